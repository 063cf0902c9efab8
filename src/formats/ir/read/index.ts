/**
 * The `ir` reader: imgc's own IR saved as JSON or YAML (`*.ir.json`, `*.ir.yaml`), bare or in
 * the `{"format", "ir", "diagnostics"}` envelope that `imgc inspect --json` prints; also the
 * YAML that `imgc inspect` prints by default. Every node gets a position, so a schema error
 * points at the offending line and column. Nothing is lowered: the document is the IR, checked
 * against the IR schema (`validateIr`) and refused with positioned IMGC1012 errors when it
 * does not match.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { visit } from 'jsonc-parser';
import { coreCodes } from '../../../diagnostics/codes/core.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic, Location } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { readFailure, readInputTextSync } from '../../../input/bounded.js';
import { findTooDeep, stackOverflowDiagnostic, tooDeepDiagnostic } from '../../../input/nesting.js';
import type { PositionTable } from '../../../ir/positions.js';
import { type ImageIR, IR_VERSION } from '../../../ir/schema.js';
import { describeValue } from '../../../ir/schema-walk.js';
import { validateIr } from '../../../ir/validate.js';
import type { DetectCandidate, FormatReader, ReadOptions, ReadResult } from '../../contract.js';
import { type IrSyntax, parseIrDocument, syntaxOf } from './document.js';
import { schemaDiagnostics } from './schema-errors.js';

/** File names that are IR documents whatever they hold. */
export const IR_FILE_NAME = /\.ir\.(json|ya?ml)$/i;

export function detectIr(c: DetectCandidate): number {
  // below every format's own folder detection: a folder is an IR only when nothing else claims it
  if (c.isDirectory) return (c.entries ?? []).some((e) => IR_FILE_NAME.test(e)) ? 0.35 : 0;
  if (IR_FILE_NAME.test(c.name)) return 1;
  const head = c.head ?? '';
  if (/\.json$/i.test(c.name) || /^\uFEFF?\s*\{/.test(head)) return jsonHasIrVersion(head) ? 0.95 : 0;
  if (/\.ya?ml$/i.test(c.name) || !c.name.includes('.')) return yamlHasIrVersion(head) ? 0.95 : 0;
  return 0;
}

/**
 * `irVersion` on the top level of a JSON object or of its `ir`, or the `imgc inspect --json`
 * envelope (top-level `format` and `ir`, the latter null when inspect failed). The head may be
 * cut off anywhere.
 */
function jsonHasIrVersion(head: string): boolean {
  const text = head.replace(/^\uFEFF/, '');
  // without escapes, a property is named in the text as it is: most JSON heads (blueprints,
  // Packer templates) name neither and need no parse
  if (!text.includes('\\') && !text.includes('irVersion') && !text.includes('format')) return false;
  let found = false;
  const topLevel = new Set<string>();
  // jsonc-parser's visitor recurses: look only at the part above the nesting limit
  visit(text.slice(0, findTooDeep(text, 'json')?.offset), {
    onObjectProperty(property, _offset, _length, _line, _column, path) {
      const at = path();
      if (at.length === 0) topLevel.add(property);
      if (property === 'irVersion' && (at.length === 0 || (at.length === 1 && at[0] === 'ir'))) found = true;
    },
  });
  return found || (topLevel.has('format') && topLevel.has('ir'));
}

function yamlHasIrVersion(head: string): boolean {
  if (/^irVersion[ \t]*:/m.test(head)) return true;
  return /^ir[ \t]*:[ \t]*(#.*)?\r?$/m.test(head) && /^[ \t]+irVersion[ \t]*:/m.test(head);
}

const LANGUAGE: Record<IrSyntax, string> = { json: 'JSON', yaml: 'YAML' };

async function resolveFile(path: string): Promise<{ file?: string; diagnostic?: Diagnostic }> {
  if (!statSync(path).isDirectory()) return { file: path };
  const found = readdirSync(path)
    .filter((e) => IR_FILE_NAME.test(e))
    .sort();
  if (found.length > 1)
    return {
      diagnostic: diag(
        coreCodes.directoryHoldsSeveral,
        { path, candidates: found.join(', ') },
        { file: path },
      ),
    };
  if (!found.length)
    return {
      diagnostic: diag(
        coreCodes.fileNotFound,
        { path, reason: 'no *.ir.json, *.ir.yaml or *.ir.yml in this folder' },
        { file: path },
      ),
    };
  return { file: join(path, found[0]!) };
}

export async function readIr(path: string, options: ReadOptions): Promise<ReadResult> {
  let file: string;
  let text: string;
  try {
    const resolved = await resolveFile(path);
    if (!resolved.file) return { positions: {}, files: [], diagnostics: [resolved.diagnostic!] };
    file = resolved.file;
    text = readInputTextSync(file);
  } catch (e) {
    return { positions: {}, files: [], diagnostics: [readFailure(e, path)] };
  }
  const syntax = syntaxOf(file, text);
  const language = LANGUAGE[syntax];
  const tooDeep = tooDeepDiagnostic(text, syntax, file);
  if (tooDeep) return { positions: {}, files: [file], diagnostics: [{ ...tooDeep, source: 'ir' }] };
  let doc: ReturnType<typeof parseIrDocument>;
  try {
    doc = parseIrDocument(text, file, syntax);
  } catch (e) {
    // the yaml parser recurses per line on some broken indentation the nesting pre-scan cannot see
    const overflow = stackOverflowDiagnostic(e, text, syntax, file);
    if (!overflow) throw e;
    return { positions: {}, files: [file], diagnostics: [{ ...overflow, source: 'ir' }] };
  }
  const diagnostics: Diagnostic[] = [];
  const failed = (d: Diagnostic, positions: PositionTable = {}): ReadResult => ({
    positions,
    files: [file],
    diagnostics: [...diagnostics, d],
  });
  if (!doc.ok) {
    const at = { file, line: doc.line, column: doc.column };
    if (doc.tooLarge)
      return failed(
        diag(coreCodes.yamlTooManyTokens, { what: 'the IR document', limit: doc.tooLarge.tokenLimit }, at, {
          source: 'ir',
        }),
      );
    return failed(diag(coreCodes.irSyntax, { language, detail: doc.message }, at, { source: 'ir' }));
  }
  for (const dup of doc.duplicates)
    diagnostics.push(
      diag(
        coreCodes.irSyntax,
        { language, detail: `"${dup.key}" appears twice in one object; the later value is used` },
        { file, line: dup.line, column: dup.column },
        { source: 'ir', severity: 'warning', hint: 'remove one of them' },
      ),
    );

  // the `imgc inspect --json` envelope: {"format", "ir", "diagnostics"}
  let base = '';
  let value = doc.value;
  if (isRecord(value) && !Object.hasOwn(value, 'irVersion') && Object.hasOwn(value, 'ir')) {
    base = '/ir';
    value = value.ir;
  }
  const positions = rebase(doc.positions, base);
  const where = (ptr: string): Location => {
    const p = positions[ptr];
    return p ? { file, line: p.line, column: p.column } : { file };
  };
  if (value === null && base)
    return failed(
      diag(
        coreCodes.notAnIr,
        { detail: 'its "ir" is null: the `imgc inspect` that wrote it found errors' },
        where(''),
        { source: 'ir', hint: 'fix the definition `imgc inspect` read, and run it again' },
      ),
    );
  if (!isRecord(value))
    return failed(
      diag(
        coreCodes.notAnIr,
        { detail: `the ${base ? '"ir"' : 'top level'} is ${describeValue(value)}, not an object` },
        where(''),
        { source: 'ir' },
      ),
    );
  if (!Object.hasOwn(value, 'irVersion'))
    return failed(diag(coreCodes.notAnIr, { detail: 'it has no irVersion' }, where(''), { source: 'ir' }));
  // a number other than 1 is another version; any other value is a schema error below
  if (typeof value.irVersion === 'number' && value.irVersion !== IR_VERSION)
    return failed(
      diag(
        coreCodes.irVersionUnsupported,
        { found: String(value.irVersion), supported: IR_VERSION },
        where('/irVersion'),
        { source: 'ir', pointer: '/irVersion' },
      ),
      positions,
    );

  const errors = validateIr(value);
  if (errors.length) {
    const plainScalars = new Set(
      Object.keys(rebase(doc.positions, base)).filter((p) => doc.plainScalars.has(base + p)),
    );
    appendAll(diagnostics, schemaDiagnostics(errors, { file, value, positions, plainScalars }));
    return { positions, files: [file], diagnostics };
  }
  const ir = value as unknown as ImageIR;
  const chosen = options.profiles ?? [];
  const unknown = chosen.filter((name) => !ir.profiles.some((p) => p.name === name));
  for (const name of unknown)
    diagnostics.push(
      diag(
        coreCodes.unknownProfile,
        { name, known: ir.profiles.map((p) => p.name).join(', ') },
        where(ir.profiles.length ? '/profiles' : ''),
        { source: 'ir' },
      ),
    );
  if (unknown.length) return { positions, files: [file], diagnostics };
  if (chosen.length) ir.activeProfiles = [...chosen];
  return { ir, positions, files: [file], diagnostics };
}

/** Pointers into the document → pointers into the IR inside it (`/ir/...` → `/...`). */
function rebase<T>(table: Record<string, T>, base: string): Record<string, T> {
  if (!base) return table;
  const out: Record<string, T> = {};
  for (const [ptr, v] of Object.entries(table)) {
    if (ptr === base) out[''] = v;
    else if (ptr.startsWith(`${base}/`)) out[ptr.slice(base.length)] = v;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export const irReader: FormatReader = { detect: detectIr, read: readIr };
