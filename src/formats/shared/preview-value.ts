/** One short line for any IR value, as loss and approximation messages show it. */

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const MAX_PREVIEW = 60;

/**
 * A value as one short line: strings quoted and cut at their first line, a named item by its
 * name, lists and objects by their size and first entries; never longer than 60 characters.
 */
export function previewValue(value: unknown): string {
  return cap(previewOf(value));
}

function previewOf(value: unknown): string {
  if (typeof value === 'string') {
    const lines = value.split('\n');
    const first = lines[0]!;
    return lines.length > 1 ? `${JSON.stringify(first)} (+${lines.length - 1} lines)` : JSON.stringify(first);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const head = value.slice(0, 3).map((v) => cap(previewOf(v), 20));
    return `[${head.join(', ')}${value.length > 3 ? `, +${value.length - 3} more` : ''}]`;
  }
  if (value !== null && typeof value === 'object') {
    const rec = value as Record<string, unknown>;
    const keys = Object.keys(rec).filter((k) => rec[k] !== undefined);
    const named = ['name', 'id', 'path', 'source', 'mountpoint'].find((k) => typeof rec[k] === 'string');
    if (named) {
      const rest = keys.length - 1;
      return `${JSON.stringify(rec[named])}${rest ? ` (+${plural(rest, 'field')})` : ''}`;
    }
    if (keys.length === 0) return '{}';
    const flat = keys.map((k) => [k, rec[k]] as const);
    if (flat.every(([, v]) => v === null || typeof v !== 'object')) {
      const text = `{${flat.map(([k, v]) => `${k}: ${previewOf(v)}`).join(', ')}}`;
      if (text.length <= MAX_PREVIEW) return text;
    }
    return `{${keys.slice(0, 4).join(', ')}${keys.length > 4 ? `, +${keys.length - 4} more` : ''}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

function cap(text: string, max = MAX_PREVIEW): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
