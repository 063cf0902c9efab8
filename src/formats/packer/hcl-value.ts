/**
 * HCL values as the packer reader and writer hold them: plain JSON data where the text was a
 * literal (strings keep their `${…}` templates as written), and `{ $expr: text }` for any other
 * expression (a reference, a function call, a conditional, a for expression), kept verbatim.
 */
export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue } | HclExpr;
export interface HclExpr {
  $expr: string;
}

export function isExpr(v: unknown): v is HclExpr {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    typeof (v as HclExpr).$expr === 'string' &&
    Object.keys(v).length === 1
  );
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** An HCL string literal; `${` and `%{` templates stay as they are. */
export function hclString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** HCL text of a value, indented for a block body at `indent`. */
export function hclText(v: HclValue, indent = ''): string {
  if (isExpr(v)) return v.$expr;
  if (v === null) return 'null';
  if (typeof v === 'string') return hclString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => `${inner}${hclText(x, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${IDENT.test(k) ? k : hclString(k)} = ${hclText(x, inner)}`).join('\n')}\n${indent}}`;
}

/** Literal text inside an HCL string: `${` and `%{` would start a template, so they are doubled. */
export function escapeTemplate(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** The literal text an HCL string holds once its `$${` / `%%{` escapes are read. */
export function unescapeTemplate(text: string): string {
  return text.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
}
