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

export function parsePreseed(
  text: string,
  file: string,
): { answers: PreseedAnswer[]; diagnostics: Diagnostic[] } {
  const answers: PreseedAnswer[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const at = { file, line: i + 1, column: 1 };
    let line = lines[i]!;
    while (/\\\s*$/.test(line) && i + 1 < lines.length)
      line = `${line.replace(/\s*\\\s*$/, '')} ${lines[++i]!.trim()}`;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = /^(\S+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(trimmed);
    if (!m) {
      diagnostics.push(diag(virtBuilderCodes.preseedSyntax, { line: trimmed.slice(0, 60) }, at));
      continue;
    }
    answers.push({ owner: m[1]!, question: m[2]!, type: m[3]!, value: (m[4] ?? '').trim(), at });
  }
  return { answers, diagnostics };
}
