/**
 * A debconf preseed (the Debian/Ubuntu templates virt-builder images are installed from): lines
 * `owner question type value`, `#` comments, a trailing "\" joins the next line.
 */
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import type { SourcePosition } from '../../../ir/positions.js';
import { virtBuilderCodes } from '../codes.js';

export interface PreseedAnswer {
  owner: string;
  question: string;
  type: string;
  value: string;
  at: SourcePosition;
}

/** Drops the white space at the end of the parts' text (an all-space part goes altogether). */
function trimEnd(parts: string[]): void {
  while (parts.length > 0) {
    const last = parts.pop()!.trimEnd();
    if (last !== '') {
      parts.push(last);
      return;
    }
  }
}

export function parsePreseed(
  text: string,
  file: string,
): { answers: PreseedAnswer[]; diagnostics: Diagnostic[] } {
  const answers: PreseedAnswer[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const at = { file, line: i + 1, column: 1 };
    // while the text so far ends in "\" (white space after it ignored), drop it with the white
    // space before it and join the next line, trimmed, after a space; kept as parts so that a
    // long run of continued lines is not copied and rescanned once per line
    const parts = [lines[i]!];
    trimEnd(parts);
    while (parts.at(-1)?.endsWith('\\') && i + 1 < lines.length) {
      parts.push(parts.pop()!.slice(0, -1));
      trimEnd(parts);
      parts.push(' ', lines[++i]!.trim());
      trimEnd(parts);
    }
    const trimmed = parts.join('').trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    // the value starts at a non-space: with (.*) a value that cannot reach the end (a lone \r)
    // was retried from every space of the run before it, quadratic in the run
    const m = /^(\S+)\s+(\S+)\s+(\S+)(?:\s+(\S.*))?$/.exec(trimmed);
    if (!m) {
      diagnostics.push(diag(virtBuilderCodes.preseedSyntax, { line: trimmed.slice(0, 60) }, at));
      continue;
    }
    answers.push({ owner: m[1]!, question: m[2]!, type: m[3]!, value: (m[4] ?? '').trim(), at });
  }
  return { answers, diagnostics };
}
