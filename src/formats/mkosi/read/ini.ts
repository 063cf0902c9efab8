/**
 * mkosi's INI dialect, read the way mkosi's own `parse_ini` reads it, plus positions.
 *
 * - the text is dedented first (common leading whitespace of non-blank lines removed);
 * - everything from the first `#` on any line is a comment (there is no escape);
 * - an indented line after `Key=value` continues that value (joined with "\n");
 * - sections and keys may repeat; a key outside a section or without `=` is an error;
 * - each section ends with an end-of-section event (`key === ''`), which [Match] logic uses.
 *
 * Deviation from mkosi: a UTF-8 byte order mark is ignored (mkosi would reject the file).
 */

export interface IniPosition {
  line: number;
  column: number;
}

export interface IniAssignment {
  kind: 'assign';
  section: string;
  key: string;
  /** the value with continuation lines joined by "\n", stripped */
  value: string;
  keyAt: IniPosition;
  /** where the value starts (after `=` and spaces); for an empty value, just after `=` */
  valueAt: IniPosition;
  /** start of every value line, first line included */
  lineStarts: IniPosition[];
}

export interface IniSectionEnd {
  kind: 'end';
  section: string;
  at: IniPosition;
}

export type IniEvent = IniAssignment | IniSectionEnd;

export interface IniError {
  message: string;
  expected: string;
  at: IniPosition;
}

export interface IniResult {
  events: IniEvent[];
  /** section headers in order, with positions */
  sections: { name: string; at: IniPosition }[];
  errors: IniError[];
}

/** Python's str.isspace() for one character (the ASCII and common Unicode spaces). */
const isSpace = (c: string | undefined) => c !== undefined && /[\s\u001c-\u001f\u0085]/.test(c);

function pyStripStart(s: string): string {
  let i = 0;
  while (i < s.length && isSpace(s[i])) i++;
  return s.slice(i);
}

function pyStripEnd(s: string): string {
  let j = s.length;
  while (j > 0 && isSpace(s[j - 1])) j--;
  return s.slice(0, j);
}

export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** textwrap.dedent: the longest whitespace prefix shared by all non-blank lines. */
function commonIndent(lines: string[]): string {
  let prefix: string | undefined;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (prefix === undefined) prefix = indent;
    else {
      let k = 0;
      while (k < prefix.length && k < indent.length && prefix[k] === indent[k]) k++;
      prefix = prefix.slice(0, k);
    }
    if (prefix === '') break;
  }
  return prefix ?? '';
}

export function parseIni(input: string): IniResult {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const rawLines = splitLines(text);
  const indent = commonIndent(rawLines);
  const events: IniEvent[] = [];
  const sections: IniResult['sections'] = [];
  const errors: IniError[] = [];
  let section: string | undefined;
  let sectionAt: IniPosition = { line: 1, column: 1 };
  let current: IniAssignment | undefined;

  const flush = () => {
    if (current) events.push(current);
    current = undefined;
  };

  rawLines.forEach((raw, index) => {
    const lineNo = index + 1;
    const dedented = raw.trim() === '' ? '' : raw.slice(indent.length);
    const base = raw.length - dedented.length;
    const hash = dedented.indexOf('#');
    const line = hash >= 0 ? dedented.slice(0, hash) : dedented;
    if (line.trim() === '' || pyStripStart(line) === '') return;

    if (section !== undefined && current && isSpace(line[0])) {
      const stripped = pyStripEnd(pyStripStart(line));
      const col = base + (line.length - pyStripStart(line).length) + 1;
      current.value = `${current.value}\n${stripped}`;
      current.lineStarts.push({ line: lineNo, column: col });
      return;
    }
    flush();

    const lead = line.length - pyStripStart(line).length;
    const body = pyStripEnd(pyStripStart(line));
    const at = { line: lineNo, column: base + lead + 1 };
    if (body[0] === '[') {
      if (body[body.length - 1] !== ']') {
        errors.push({ message: `${body} is not a valid section`, expected: 'a section header "[Name]"', at });
        return;
      }
      if (section !== undefined) events.push({ kind: 'end', section, at: sectionAt });
      const name = body.slice(1, -1).trim();
      if (!name) {
        errors.push({ message: 'section name cannot be empty', expected: 'a section name inside [ ]', at });
        section = undefined;
        return;
      }
      section = name;
      sectionAt = at;
      sections.push({ name, at });
      return;
    }
    if (section === undefined) {
      errors.push({
        message: `setting ${body} is outside of any section`,
        expected: 'a [Section] header first',
        at,
      });
      return;
    }
    const eq = body.indexOf('=');
    if (eq < 0) {
      errors.push({ message: `setting ${body} must be followed by '='`, expected: 'Key=value', at });
      return;
    }
    const key = pyStripEnd(body.slice(0, eq));
    if (!key) {
      errors.push({ message: `missing setting name before '=' in ${body}`, expected: 'Key=value', at });
      return;
    }
    const afterEq = body.slice(eq + 1);
    const valueLead = afterEq.length - pyStripStart(afterEq).length;
    const valueAt = { line: lineNo, column: at.column + eq + 1 + valueLead };
    current = {
      kind: 'assign',
      section,
      key,
      value: pyStripEnd(pyStripStart(afterEq)),
      keyAt: at,
      valueAt,
      lineStarts: [valueAt],
    };
  });
  flush();
  if (section !== undefined) events.push({ kind: 'end', section, at: sectionAt });
  return { events, sections, errors };
}
