import { catalogue } from './catalogue.js';

/** The Markdown list of every diagnostic code, grouped by area. */
export function diagnosticsDoc(): string {
  const lines = [
    '# Diagnostic codes',
    '',
    'Generated from `src/diagnostics/codes/` and `src/formats/<id>/codes.ts` by `npm run docs`; do not edit by hand.',
    '',
  ];
  for (const [area, entries] of Object.entries(catalogue)) {
    lines.push(`## ${area}`, '', '| code | severity | meaning |', '|---|---|---|');
    const defs = Object.values(entries).sort((a, b) => a.code.localeCompare(b.code));
    for (const def of defs)
      lines.push(`| ${def.code} | ${def.severity} | ${def.summary.replaceAll('|', '\\|')} |`);
    lines.push('');
  }
  return lines.join('\n');
}
