/**
 * A KIWI script made self-contained for a target that has no `/.kconfig` or `/.profile`
 * (mkosi, Kickstart %post, a Containerfile RUN): the helper functions and the `kiwi_*`
 * variables are written ahead of the script text, between marker lines, and each line that
 * sources one of the two files becomes a no-op that keeps the original as a comment.
 * `withoutInlinedEnv()` undoes exactly that, so a reader gets the original script back.
 */
import { kconfigText } from './helpers.js';
import { profileText } from './profile.js';

export const BEGIN_MARK = '# >>> imgc: KIWI script environment (/.kconfig functions, /.profile variables)';
export const END_MARK = '# <<< imgc: KIWI script environment';
/** the marker when the script had no #! line and imgc added one (KIWI runs such scripts with bash) */
const ADDED_SHEBANG = ' [#! line added]';
const SOURCED_MARK = ': # imgc: inlined above: ';

/** A line that only sources /.kconfig or /.profile, as KIWI's script template writes it. */
const SOURCE_LINE =
  /^(\s*)((?:(?:test\s+-[fe]|\[\s+-[fe])\s+["']?\/\.(?:kconfig|profile)["']?(?:\s+\])?\s*&&\s*)?(?:\.|source)\s+["']?\/\.(?:kconfig|profile)["']?\s*(?:;\s*)?(?:#.*)?)$/;

export interface Inlined {
  body: string;
  /** lines that source /.kconfig or /.profile in another way and were left as written */
  unrewritten: number[];
}

export function inlineKiwiEnv(body: string, variables: Record<string, string>): Inlined {
  const lines = body.split('\n');
  const hadShebang = body.startsWith('#!');
  const shebang = hadShebang ? lines.shift()! : '#!/bin/bash';
  const offset = hadShebang ? 2 : 1;
  const unrewritten: number[] = [];
  const rest = lines.map((line, i) => {
    const m = SOURCE_LINE.exec(line);
    if (m) return `${m[1]}${SOURCED_MARK}${m[2]}`;
    if (/(?:\.|source)\s+["']?\/\.(?:kconfig|profile)\b/.test(line.replace(/#.*/, '')))
      unrewritten.push(i + offset);
    return line;
  });
  const names = Object.keys(variables);
  const preamble = [
    hadShebang ? BEGIN_MARK : BEGIN_MARK + ADDED_SHEBANG,
    kconfigText().trimEnd(),
    profileText(variables).trimEnd(),
    ...(names.length ? [`export ${names.join(' ')}`] : []),
    END_MARK,
  ];
  return { body: [shebang, ...preamble, ...rest].join('\n'), unrewritten };
}

/** The script as it was before inlineKiwiEnv(), or the text unchanged when it has no preamble. */
export function withoutInlinedEnv(body: string): string {
  const lines = body.split('\n');
  const added = lines[1] === BEGIN_MARK + ADDED_SHEBANG;
  const end = lines.indexOf(END_MARK);
  if ((lines[1] !== BEGIN_MARK && !added) || end < 1) return body;
  const head = added ? [] : lines.slice(0, 1);
  const restored = lines.slice(end + 1).map((line) => {
    const at = line.indexOf(SOURCED_MARK);
    return at >= 0 && line.slice(0, at).trim() === ''
      ? line.slice(0, at) + line.slice(at + SOURCED_MARK.length)
      : line;
  });
  return [...head, ...restored].join('\n');
}
