/** Prints mkosi INI: one `[Section]` per block, `Key=value`, multi-line values already indented. */
export interface ConfSection {
  name: string;
  entries: [string, string][];
}

export function printConf(sections: ConfSection[]): string {
  return sections
    .filter((s) => s.entries.length > 0)
    .map((s) => `[${s.name}]\n${s.entries.map(([k, v]) => `${k}=${v}`).join('\n')}\n`)
    .join('\n');
}
