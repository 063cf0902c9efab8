/**
 * Shared by the translation matrix tests: translate one read definition to one target,
 * write it, read it back with the target's reader, and check — from the target's capability
 * table, not field by field — that every claimed field survived unless a loss was reported.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import type { FormatModule } from '../../src/formats/contract.js';
import { type LoadResult, loadDefinition } from '../../src/formats/load.js';
import type { FormatRegistry } from '../../src/formats/registry.js';
import { type TranslateInput, type TranslateResult, translateIr } from '../../src/formats/translate.js';
import { writeOutputFiles } from '../../src/formats/write-files.js';
import { project } from '../../src/ir/diff.js';
import { normalizeIr } from '../../src/ir/normalize.js';
import { getAt, parsePointer } from '../../src/ir/pointer.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { sharedDir } from '../helpers/shared.js';
import { checkReportedLosses, type LossCheck } from './false-losses.js';

export const KIWI_RNG = join(sharedDir, 'reference/schemas/kiwi-8.5.rng');

function hasXmllint(): boolean {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether KIWI output can be checked against the RelaxNG schema on this machine. */
export const canValidateKiwi = hasXmllint() && existsSync(KIWI_RNG);

/** xmllint's complaint about the KIWI description in `dir`, or undefined when it validates. */
export function kiwiSchemaErrors(dir: string): string | undefined {
  const main = readdirSync(dir).find((e) => e === 'config.xml' || e.endsWith('.kiwi'));
  if (!main) return 'no config.xml or *.kiwi was written';
  try {
    execFileSync('xmllint', ['--noout', '--relaxng', KIWI_RNG, join(dir, main)], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? String(e);
    return stderr.split('\n').filter(Boolean).slice(0, 3).join(' | ');
  }
}

export type PairStatus = 'ok' | 'reread-errors' | 'crash' | 'write-only';

export interface PairResult {
  status: PairStatus;
  /** KIWI target only, when xmllint and the schema are present: the RelaxNG complaint */
  schemaError?: string;
  /** fields the capability table claims that did not come back (pointer: expected vs got) */
  lostClaimed: string[];
  /** distribution id or an installed package name did not come back and no loss was reported */
  namesLost: string[];
  detail?: string;
  diagnostics: Diagnostic[];
  /** the reported losses checked against the re-read output (re-read pairs only) */
  lossCheck?: LossCheck;
}

const LOSS_CODES = new Set(['IMGC6001', 'IMGC6002']);

/** Pointers the translation reported as lost or approximated. */
export function reportedPointers(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => LOSS_CODES.has(d.code) && d.pointer !== undefined).map((d) => d.pointer!);
}

/** `value` without the subtrees at `pointers`; removed array elements are spliced out. */
export function withoutPointers<T>(value: T, pointers: readonly string[]): T {
  const copy = structuredClone(value) as unknown;
  const removals = pointers
    .map((p) => parsePointer(p))
    .filter((tokens) => tokens.length > 0)
    .sort((a, b) => b.length - a.length || compareTokens(b, a));
  for (const tokens of removals) {
    const parent = getAt(
      copy,
      tokens
        .slice(0, -1)
        .map((t) => `/${t.replaceAll('~', '~0').replaceAll('/', '~1')}`)
        .join(''),
    );
    const last = tokens[tokens.length - 1]!;
    if (Array.isArray(parent)) {
      const i = Number(last);
      if (Number.isInteger(i) && i < parent.length) parent[i] = REMOVED;
    } else if (parent !== null && typeof parent === 'object')
      delete (parent as Record<string, unknown>)[last];
  }
  return dropRemoved(copy) as T;
}

const REMOVED = Symbol('removed');

function dropRemoved(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== REMOVED).map(dropRemoved);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = dropRemoved(x);
    return out;
  }
  return v;
}

function compareTokens(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    const c = Number.isInteger(x) && Number.isInteger(y) ? x - y : a[i]!.localeCompare(b[i]!);
    if (c) return c;
  }
  return a.length - b.length;
}

/**
 * Does `got` hold everything `expected` holds? Objects key by key, lists as multisets (each
 * expected element matched to a distinct element that contains it), scalars by equality.
 */
export function contains(expected: unknown, got: unknown): boolean {
  if (got === undefined && isEmptyDeep(expected)) return true;
  if (Array.isArray(expected)) {
    if (!Array.isArray(got)) return expected.length === 0;
    const used = new Set<number>();
    return expected.every((e) => {
      const i = got.findIndex((g, n) => !used.has(n) && contains(e, g));
      if (i < 0) return false;
      used.add(i);
      return true;
    });
  }
  if (expected !== null && typeof expected === 'object') {
    if (got === null || typeof got !== 'object') return Object.keys(expected).length === 0;
    return Object.entries(expected).every(([k, v]) => contains(v, (got as Record<string, unknown>)[k]));
  }
  return expected === got;
}

/** The claimed fields of `written` (minus reported losses) that `reread` does not hold. */
export function lostClaimedFields(
  written: ImageIR,
  reread: ImageIR,
  capabilities: readonly string[],
  diagnostics: readonly Diagnostic[],
): string[] {
  const expected = project(withoutPointers(normalizeIr(written), reportedPointers(diagnostics)), [
    capabilities,
  ]);
  const got = project(normalizeIr(reread), [capabilities]);
  const out: string[] = [];
  const walk = (e: unknown, g: unknown, ptr: string) => {
    if (contains(e, g)) return;
    if (
      e !== null &&
      typeof e === 'object' &&
      !Array.isArray(e) &&
      g !== null &&
      typeof g === 'object' &&
      !Array.isArray(g)
    ) {
      for (const [k, v] of Object.entries(e)) walk(v, (g as Record<string, unknown>)[k], `${ptr}/${k}`);
      return;
    }
    if (Array.isArray(e) && Array.isArray(g) && e.some((x) => x !== null && typeof x === 'object')) {
      e.forEach((x, i) => {
        if (!g.some((y) => contains(x, y))) walk(x, counterpart(x, g, i), `${ptr}/${i}`);
      });
      return;
    }
    out.push(`${ptr || '/'}: expected ${short(e)}, got ${short(g)}`);
  };
  walk(expected, got, '');
  return out;
}

function isEmptyDeep(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(isEmptyDeep);
  if (v !== null && typeof v === 'object') return Object.values(v).every(isEmptyDeep);
  return v === undefined;
}

const IDENTITY_KEYS = ['id', 'name', 'path', 'mountpoint', 'source', 'type'];

/** The element of `got` that `e` most likely corresponds to: same identity key, else same index. */
function counterpart(e: unknown, got: unknown[], index: number): unknown {
  if (e !== null && typeof e === 'object' && !Array.isArray(e)) {
    const rec = e as Record<string, unknown>;
    for (const k of IDENTITY_KEYS) {
      if (rec[k] === undefined) continue;
      const same = got.find(
        (g) => g !== null && typeof g === 'object' && (g as Record<string, unknown>)[k] === rec[k],
      );
      if (same !== undefined) return same;
    }
  }
  return got[index];
}

function short(v: unknown): string {
  const t = JSON.stringify(v) ?? 'undefined';
  return t.length > 160 ? `${t.slice(0, 157)}...` : t;
}

/** Distribution id and installed package names: back unless a loss was reported for them. */
export function lostNames(written: ImageIR, reread: ImageIR, diagnostics: readonly Diagnostic[]): string[] {
  const reported = reportedPointers(diagnostics);
  const isReported = (ptr: string) => reported.some((r) => ptr === r || ptr.startsWith(`${r}/`) || r === '');
  const out: string[] = [];
  const w = mergedDistribution(written);
  if (w && w !== mergedDistribution(reread) && !isReported('/distribution/id'))
    out.push(`distribution ${w} → ${mergedDistribution(reread) ?? '(none)'}`);
  const have = new Set(reread.packages.install.map((p) => p.name));
  for (const p of profileInstalls(reread)) have.add(p);
  written.packages.install.forEach((p, i) => {
    if (!have.has(p.name) && !isReported(`/packages/install/${i}/name`)) out.push(`package ${p.name}`);
  });
  return out;
}

function mergedDistribution(ir: ImageIR): string | undefined {
  return ir.distribution.id;
}

function profileInstalls(ir: ImageIR): string[] {
  return ir.profiles.flatMap((p) => p.overlay.packages?.install?.map((x) => x.name) ?? []);
}

/** The written folder, or its only file, as the path the target's reader is given. */
function rereadPath(dir: string): string {
  const entries = readdirSync(dir);
  if (entries.length === 1 && statSync(join(dir, entries[0]!)).isFile()) return join(dir, entries[0]!);
  return dir;
}

/**
 * The --distro a user passes for a source that names no distribution (imgc has no default).
 * The pair first checks that without it the translation stops with IMGC1021/IMGC1022.
 */
export const MATRIX_DISTRO = 'fedora:44';
const MATRIX_RELEASES: Record<string, string> = {
  fedora: '44',
  debian: 'bookworm',
  ubuntu: 'noble',
  'opensuse-leap': '15.6',
  opensuse: '15.6',
  sles: '15.6',
  centos: '10',
  rhel: '10',
  almalinux: '10',
  rocky: '10',
  mageia: '9',
  alpine: '3.20',
};

/** The --distro value a user would pass for an IR whose source names no (or no release of its) distribution. */
export function userDistroFor(ir: ImageIR): string {
  const id = ir.distribution.id;
  return id ? `${id}:${MATRIX_RELEASES[id] ?? 'unnamed'}` : MATRIX_DISTRO;
}

/** The target stopped to ask for --distro (IMGC1021/1022): the source names no (usable) distribution. */
export function asksForDistro(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.code === 'IMGC1021' || d.code === 'IMGC1022');
}

/**
 * Translates as a user does: imgc has no default distribution, so when the target asks for
 * --distro, translate again with the value a user would pass (the matrix's value).
 */
export async function translateAsUser(input: TranslateInput): Promise<TranslateResult> {
  const first = await translateIr(input);
  if (!asksForDistro(first.diagnostics)) return first;
  return translateIr({ ...input, options: { ...input.options, distro: userDistroFor(input.ir) } });
}

export async function translatePair(
  registry: FormatRegistry,
  loaded: LoadResult,
  sourceDir: string | undefined,
  target: FormatModule,
): Promise<PairResult> {
  const out = mkdtempSync(join(tmpdir(), `imgc-matrix-${target.id}-`));
  try {
    const unnamed = !loaded.ir!.distribution.id || !loaded.ir!.distribution.release;
    const input = { ir: loaded.ir!, positions: loaded.positions, sourceDir, target };
    let options = {};
    if (unnamed) {
      const bare = await translateIr({ ...input, options: {} });
      const asked = asksForDistro(bare.diagnostics);
      // a silent default would show as a distribution the source did not have
      const before = loaded.ir!.distribution;
      const after = bare.written.distribution;
      if (after.id !== before.id || after.release !== before.release)
        return {
          status: 'crash',
          lostClaimed: [],
          namesLost: [],
          detail: `translated without --distro, the distribution became ${after.id} ${after.release ?? ''}`,
          diagnostics: bare.diagnostics,
        };
      if (asked) options = { distro: userDistroFor(loaded.ir!) };
    }
    // a target that needs an architecture the source does not name asks for --arch (IMGC2615, IMGC2712)
    if (!loaded.ir!.distribution.architecture && (target.id === 'tdl' || target.id === 'virt-builder'))
      options = { ...options, arch: 'x86_64' };
    let translated = await translateIr({ ...input, options });
    // a TDL for a distribution with no public install tree asks for one, as a user would give it
    if (translated.diagnostics.some((d) => d.code === 'IMGC2612'))
      translated = await translateIr({
        ...input,
        options: { ...options, 'tdl-install-url': 'https://mirror.example.org/install-tree/' },
      });
    await writeOutputFiles(out, translated.files);
    const schemaError = target.id === 'kiwi' && canValidateKiwi ? kiwiSchemaErrors(out) : undefined;
    const extra = schemaError ? { schemaError } : {};
    if (!target.reader)
      return { status: 'write-only', lostClaimed: [], namesLost: [], diagnostics: translated.diagnostics };
    const reread = await loadDefinition(registry, rereadPath(out), { from: target.id });
    const errors = reread.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length || !reread.ir) {
      return {
        ...extra,
        status: 'reread-errors',
        lostClaimed: [],
        namesLost: [],
        detail: errors.map((d) => `${d.code} ${d.line ?? ''}:${d.column ?? ''} ${d.message}`).join('; '),
        diagnostics: translated.diagnostics,
      };
    }
    return {
      ...extra,
      status: 'ok',
      lostClaimed: lostClaimedFields(
        translated.written,
        reread.ir,
        target.writer!.capabilities,
        translated.diagnostics,
      ),
      namesLost: lostNames(translated.written, reread.ir, translated.diagnostics),
      diagnostics: translated.diagnostics,
      lossCheck: checkReportedLosses(translated.written, reread.ir, translated.diagnostics),
    };
  } catch (e) {
    return {
      status: 'crash',
      lostClaimed: [],
      namesLost: [],
      detail: e instanceof Error ? `${e.message}\n${e.stack?.split('\n').slice(1, 4).join('\n')}` : String(e),
      diagnostics: [],
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Definitions under `dir`: the folder itself when the reader takes it, else each entry it takes. */
export async function definitionsIn(dir: string, format: FormatModule): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const { describeCandidate } = await import('../../src/formats/load.js');
  if (format.reader!.detect(await describeCandidate(dir)) > 0) return [dir];
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (format.reader!.detect(await describeCandidate(path)) > 0) found.push(path);
  }
  return found;
}
