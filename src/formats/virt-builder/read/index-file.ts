/**
 * A virt-builder index (guestfs-tools builder/index-parser): `[template-id]` headers, `key=value`
 * lines (a key may carry a `[subkey]`, as `checksum[sha512]`), continuation lines that start with
 * a space (the notes), `#` comments. A clearsigned `index.asc` is unwrapped first.
 */
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import type { SourcePosition } from '../../../ir/positions.js';
import { virtBuilderCodes } from '../codes.js';

export interface IndexKey {
  key: string;
  value: string;
  at: SourcePosition;
}

export interface IndexSection {
  id: string;
  at: SourcePosition;
  keys: IndexKey[];
}

export interface ParsedIndex {
  sections: IndexSection[];
  diagnostics: Diagnostic[];
}

const BEGIN = '-----BEGIN PGP SIGNED MESSAGE-----';
const SIGNATURE = '-----BEGIN PGP SIGNATURE-----';

/** The signed text of a clearsigned message, with its first line number; the text as is otherwise. */
function unwrap(text: string, file: string, diagnostics: Diagnostic[]): { lines: string[]; first: number } {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== BEGIN) return { lines, first: 1 };
  let i = 1;
  while (i < lines.length && lines[i] !== '') i++; // armour headers (Hash: ...)
  const end = lines.indexOf(SIGNATURE, i);
  if (end < 0) {
    diagnostics.push(
      diag(virtBuilderCodes.clearsigned, { detail: `no "${SIGNATURE}" line` }, { file, line: 1, column: 1 }),
    );
    return { lines: [], first: 1 };
  }
  // dash-escaped lines ("- -----") lose their "- "
  const body = lines.slice(i + 1, end).map((l) => (l.startsWith('- ') ? l.slice(2) : l));
  return { lines: body, first: i + 2 };
}

export function parseIndex(text: string, file: string): ParsedIndex {
  const diagnostics: Diagnostic[] = [];
  const { lines, first } = unwrap(text, file, diagnostics);
  const sections: IndexSection[] = [];
  let current: IndexSection | undefined;
  let currentKeys = new Set<string>(); // the keys of `current`, so a duplicate is one lookup, not a scan
  let last: IndexKey | undefined;
  let blankAt: SourcePosition | undefined;
  lines.forEach((raw, n) => {
    const at = { file, line: first + n, column: 1 };
    // trimEnd, not replace(/\s+$/): that regex retries from every space of a long run that is
    // followed by something else, quadratic in the run (a 466 KB line took over a minute)
    const line = raw.trimEnd();
    if (raw.startsWith(' ') && last) {
      last.value += `\n${raw.slice(1)}`;
      return;
    }
    if (line === '') {
      if (current?.keys.length) blankAt ??= at;
      last = undefined;
      return;
    }
    if (line.startsWith('#')) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      blankAt = undefined;
      const id = header[1]!;
      current = { id, at, keys: [] };
      currentKeys = new Set();
      sections.push(current);
      last = undefined;
      return;
    }
    const kv = /^([A-Za-z0-9_.-]+(?:\[[^\]]*\])?)=(.*)$/.exec(line);
    if (!kv) {
      const detail = raw.startsWith(' ')
        ? 'a continuation line with nothing to continue'
        : `"${line.slice(0, 60)}" is neither [section], key=value nor a continuation (which starts with a space)`;
      diagnostics.push(diag(virtBuilderCodes.indexSyntax, { detail }, at));
      last = undefined;
      return;
    }
    if (!current) {
      diagnostics.push(diag(virtBuilderCodes.indexSyntax, { detail: `${kv[1]}= before any [section]` }, at));
      return;
    }
    if (blankAt) {
      diagnostics.push(diag(virtBuilderCodes.blankInSection, undefined, blankAt));
      blankAt = undefined;
    }
    const key = kv[1]!;
    if (currentKeys.has(key))
      diagnostics.push(diag(virtBuilderCodes.duplicate, { what: `key ${key} in [${current.id}]` }, at));
    last = { key, value: kv[2]!, at: { ...at, column: 1 } };
    current.keys.push(last);
    currentKeys.add(key);
  });
  // virt-builder tells templates apart by id and architecture
  const seen = new Set<string>();
  for (const section of sections) {
    const arch = section.keys.find((k) => k.key === 'arch')?.value ?? '';
    const key = `${section.id}\u0000${arch}`;
    if (seen.has(key))
      diagnostics.push(
        diag(
          virtBuilderCodes.duplicate,
          { what: `template [${section.id}] for ${arch || 'no arch'}` },
          section.at,
        ),
      );
    seen.add(key);
  }
  return { sections, diagnostics };
}
