/**
 * The lb config settings of a tree, with positions: the options of the `lb config` call in
 * auto/config (shell words, line continuations joined), or, in a tree without one, the
 * variables live-build saved in config/{common,bootstrap,chroot,binary}.
 */
import { LineIndex } from '../../../diagnostics/line-index.js';
import type { SourcePosition } from '../../../ir/positions.js';
import { MAPPED_OPTIONS, OPTION_ALIASES, SWITCHES } from '../vocabulary.js';

export interface Setting {
  /** the long option name (`distribution`), or the saved variable (`LB_…`) when it maps to none */
  name: string;
  value: string;
  at: SourcePosition;
  /** the value holds a shell expansion ($var, $(…), `…`) */
  expanded: boolean;
}

export type SettingsResult =
  | { ok: true; settings: Setting[]; from: 'auto' | 'saved' | 'none'; preamble?: string }
  | { ok: false; problem: 'value' | 'quote'; detail: string; at: SourcePosition };

interface Word {
  text: string;
  offset: number;
  expanded: boolean;
  quoted: boolean;
}

/** Shell words of one command starting at `start`, up to an unescaped newline, `;`, `&`, `|` or `#` comment. */
function words(text: string, start: number): { words: Word[] } | { quote: string; offset: number } {
  const out: Word[] = [];
  let i = start;
  let cur: Word | undefined;
  const flush = () => {
    if (cur) out.push(cur);
    cur = undefined;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      flush();
      i++;
      continue;
    }
    if (c === '\n' || c === ';' || c === '&' || c === '|' || (c === '#' && !cur)) break;
    cur ??= { text: '', offset: i, expanded: false, quoted: false };
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return { quote: c === '"' ? 'double' : 'single', offset: i };
      const inner = text.slice(i + 1, end);
      if (c === '"' && /\$|`/.test(inner)) cur.expanded = true;
      cur.quoted = true;
      cur.text += c === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
      i = end + 1;
      continue;
    }
    if (c === '\\') {
      cur.text += text[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === '$' || c === '`') cur.expanded = true;
    cur.text += c;
    i++;
  }
  flush();
  return { words: out };
}

const LB_CONFIG = /(^|[\s;&|(])lb\s+config\b/gm;

/**
 * The first `lb config` call that is not in a comment. A commented match skips the rest of its
 * line: every later match there is behind the same `#` (a line of 100,000 commented calls was
 * scanned back to its start per call, 40 s for 1 MB).
 */
function lbConfigCall(text: string): RegExpExecArray | undefined {
  const re = new RegExp(LB_CONFIG.source, LB_CONFIG.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (!text.slice(lineStart, m.index + m[1]!.length).includes('#')) return m;
    const lineEnd = text.indexOf('\n', m.index + m[0].length);
    if (lineEnd < 0) return undefined;
    re.lastIndex = lineEnd;
  }
  return undefined;
}

export function autoConfigSettings(text: string, file: string): SettingsResult {
  const index = new LineIndex(text);
  const at = (offset: number): SourcePosition => ({ file, ...index.position(offset) });
  const m = lbConfigCall(text);
  if (!m) return { ok: true, settings: [], from: 'none' };
  const start = m.index + m[0].length;
  const scanned = words(text, start);
  if ('quote' in scanned)
    return { ok: false, problem: 'quote', detail: scanned.quote, at: at(scanned.offset) };
  const settings: Setting[] = [];
  const list = scanned.words;
  for (let k = 0; k < list.length; k++) {
    const w = list[k]!;
    if (!w.text.startsWith('-')) continue;
    const [flag, inline] = w.text.includes('=')
      ? [w.text.slice(0, w.text.indexOf('=')), w.text.slice(w.text.indexOf('=') + 1)]
      : [w.text, undefined];
    const bare = flag.startsWith('--') ? flag.slice(2) : flag;
    const name = OPTION_ALIASES[bare] ?? bare;
    if (SWITCHES.has(name)) continue;
    if (inline !== undefined) {
      settings.push({ name, value: inline, at: at(w.offset), expanded: w.expanded });
      continue;
    }
    const next = list[k + 1];
    const takesDashes = /-options$|^bootappend/.test(name) || next?.quoted;
    if (!next || (next.text.startsWith('-') && !takesDashes && !/^-\d/.test(next.text))) {
      if (next?.text === '"$@"' || next?.text === '$@' || next?.text === '${@}') continue;
      return { ok: false, problem: 'value', detail: flag, at: at(w.offset) };
    }
    settings.push({ name, value: next.text, at: at(w.offset), expanded: next.expanded });
    k++;
  }
  const preamble = preambleOf(text.slice(0, m.index + m[1]!.length));
  return {
    ok: true,
    settings: settings.filter((s) => !/^"?\$\{?@\}?"?$/.test(s.value)),
    from: 'auto',
    ...(preamble ? { preamble } : {}),
  };
}

/** What auto/config does before `lb config` (variables the call uses), without the shebang, comments and `set -e`. */
function preambleOf(before: string): string | undefined {
  const lines = before.split('\n').filter((l) => !/^\s*(#.*)?$/.test(l) && !/^\s*set\s+-e\s*$/.test(l));
  return lines.length ? `${lines.join('\n')}\n` : undefined;
}

const VARIABLE_NAME: Record<string, string> = Object.fromEntries(
  Object.entries(MAPPED_OPTIONS).flatMap(([option, vars]) => vars.map((v) => [v, option])),
);

/** `LB_X="value"` lines of a saved config file; mapped variables take their option name. */
export function savedSettings(text: string, file: string): SettingsResult {
  const index = new LineIndex(text);
  const settings: Setting[] = [];
  const re = /^([A-Z][A-Z0-9_]*)=("((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*))/gm;
  for (const m of text.matchAll(re)) {
    const value = m[3] !== undefined ? m[3].replace(/\\(["\\$`])/g, '$1') : (m[4] ?? m[5] ?? '');
    const at = { file, ...index.position(m.index) };
    settings.push({
      name: VARIABLE_NAME[m[1]!] ?? m[1]!,
      value,
      at,
      expanded: m[4] === undefined && /\$|`/.test(value),
    });
  }
  return { ok: true, settings, from: 'saved' };
}
