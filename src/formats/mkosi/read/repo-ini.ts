/**
 * The INI of dnf/yum `.repo` files (Python configparser rules, which yum used and libdnf
 * follows): `[section]`, `key=value`, whole-line comments starting with `#` or `;`, and a line
 * indented deeper than its key continues the key's value — the usual way to list several
 * `baseurl=` mirrors. Every value line keeps its position. There is no backslash continuation.
 */

export interface RepoValueLine {
  text: string;
  line: number;
  column: number;
}

export interface RepoIniEntry {
  section: string;
  /** where the `[section]` header is */
  sectionAt: { line: number; column: number };
  key: string;
  /** the first line's value and each continuation line, stripped */
  lines: RepoValueLine[];
  line: number;
  column: number;
}

export interface RepoIniProblem {
  kind: 'outside-section' | 'not-an-assignment';
  text: string;
  line: number;
  column: number;
}

export interface RepoIni {
  entries: RepoIniEntry[];
  problems: RepoIniProblem[];
}

const indentOf = (line: string) => line.length - line.trimStart().length;

export function parseRepoIni(text: string): RepoIni {
  const entries: RepoIniEntry[] = [];
  const problems: RepoIniProblem[] = [];
  let section: { name: string; at: { line: number; column: number } } | undefined;
  let current: { entry: RepoIniEntry; indent: number } | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    const indent = indentOf(raw);
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (current && indent > current.indent) {
      current.entry.lines.push({ text: trimmed, line, column: indent + 1 });
      return;
    }
    current = undefined;
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      section = { name: trimmed.slice(1, -1).trim(), at: { line, column: indent + 1 } };
      return;
    }
    const eq = trimmed.indexOf('=');
    if (eq <= 0) {
      problems.push({ kind: 'not-an-assignment', text: trimmed, line, column: indent + 1 });
      return;
    }
    if (section === undefined) {
      problems.push({ kind: 'outside-section', text: trimmed, line, column: indent + 1 });
      return;
    }
    const value = trimmed.slice(eq + 1);
    const valueColumn = indent + eq + 2 + (value.length - value.trimStart().length);
    const entry: RepoIniEntry = {
      section: section.name,
      sectionAt: section.at,
      key: trimmed.slice(0, eq).trim(),
      lines: value.trim() === '' ? [] : [{ text: value.trim(), line, column: valueColumn }],
      line,
      column: indent + 1,
    };
    entries.push(entry);
    current = { entry, indent };
  });
  return { entries, problems };
}

/** The words of a value (whitespace or comma separated), each with its position. */
export function valueWords(entry: RepoIniEntry): RepoValueLine[] {
  const out: RepoValueLine[] = [];
  for (const l of entry.lines) {
    for (const m of l.text.matchAll(/[^\s,]+/g)) {
      out.push({ text: m[0], line: l.line, column: l.column + m.index! });
    }
  }
  return out;
}

export const joinedValue = (entry: RepoIniEntry) => entry.lines.map((l) => l.text).join('\n');
