/**
 * systemd's unit-file INI (repart.d, sysusers-style configs, .repo files): comments are lines
 * starting with `#` or `;`, keys may repeat, a trailing backslash continues a line.
 */
export interface UnitEntry {
  section: string;
  key: string;
  value: string;
  line: number;
  column: number;
}

export function parseUnitIni(text: string): {
  entries: UnitEntry[];
  sections: { name: string; line: number }[];
} {
  const entries: UnitEntry[] = [];
  const sections: { name: string; line: number }[] = [];
  let section = '';
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const lineNo = i + 1;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
    }
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      section = trimmed.slice(1, -1).trim();
      sections.push({ name: section, line: lineNo });
      continue;
    }
    const eq = trimmed.indexOf('=');
    if (eq < 0) continue;
    const lead = line.length - line.trimStart().length;
    entries.push({
      section,
      key: trimmed.slice(0, eq).trim(),
      value: trimmed.slice(eq + 1).trim(),
      line: lineNo,
      column: lead + 1,
    });
  }
  return { entries, sections };
}
