/**
 * What a script uses of KIWI's script environment: whether it sources `/.kconfig` or
 * `/.profile`, which helper functions it calls and which `kiwi_*` variables it reads, each
 * with the line and column of its first use (1-based, in the script text).
 */
import { HELPER_NAMES } from './helpers.js';

export interface Use {
  name: string;
  line: number;
  column: number;
}

export interface KiwiEnvUsage {
  sourcesKconfig: boolean;
  sourcesProfile: boolean;
  functions: Use[];
  variables: Use[];
}

/** a helper name in command position: line start, after ; & | ( { ! ` or a keyword */
const HELPER_CALL = new RegExp(
  `(?:^|[;&|({!\`]|\\b(?:then|do|else|elif|if|while|until|time)\\b)\\s*(${HELPER_NAMES.join('|')})(?![\\w.=-])`,
  'g',
);
const VARIABLE = /\$\{?(kiwi_[A-Za-z0-9_]+)/g;
/** `. /.kconfig`, `source /.profile`, also after `test -f /.kconfig &&` */
const SOURCES = /(?:^|[;&|(]|\s)(?:\.|source)\s+["']?\/\.(kconfig|profile)\b/g;

/** The line without a trailing `# comment` (a `#` that starts a word outside quotes). */
function code(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** Text every match of the three patterns contains: a body without any cannot use the environment. */
const ANY_USE = new RegExp(`kiwi_|/\\.(?:kconfig|profile)|${HELPER_NAMES.join('|')}`);

export function kiwiEnvUsage(body: string): KiwiEnvUsage {
  const usage: KiwiEnvUsage = { sourcesKconfig: false, sourcesProfile: false, functions: [], variables: [] };
  // every writer asks for every script: one scan of the body instead of three patterns per line
  if (!ANY_USE.test(body)) return usage;
  const seen = new Set<string>();
  const note = (list: Use[], name: string, line: number, index: number) => {
    if (seen.has(name)) return;
    seen.add(name);
    list.push({ name, line, column: index + 1 });
  };
  body.split('\n').forEach((text, i) => {
    if (i === 0 && text.startsWith('#!')) return;
    const line = code(text);
    for (const m of line.matchAll(SOURCES)) {
      if (m[1] === 'kconfig') usage.sourcesKconfig = true;
      else usage.sourcesProfile = true;
    }
    for (const m of line.matchAll(HELPER_CALL))
      note(usage.functions, m[1]!, i + 1, m.index + m[0].length - m[1]!.length);
    for (const m of line.matchAll(VARIABLE)) note(usage.variables, m[1]!, i + 1, m.index);
  });
  return usage;
}

/** Whether the script needs KIWI's environment at all. */
export function usesKiwiEnv(u: KiwiEnvUsage): boolean {
  return u.sourcesKconfig || u.sourcesProfile || u.functions.length > 0 || u.variables.length > 0;
}
