import { readdir, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { coreCodes } from '../diagnostics/codes/core.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { applyDistroFlags } from '../ir/distro-defaults.js';
import { validateIr } from '../ir/validate.js';
import type { DetectCandidate, FormatModule, ReadOptions, ReadResult } from './contract.js';
import type { FormatRegistry } from './registry.js';
import { unsafeValueDiagnostics } from './unsafe-values.js';

export interface LoadResult extends ReadResult {
  format?: FormatModule;
}

export async function describeCandidate(path: string): Promise<DetectCandidate> {
  const info = await stat(path);
  const candidate: DetectCandidate = { path, isDirectory: info.isDirectory(), name: basename(path) };
  if (info.isDirectory()) candidate.entries = (await readdir(path)).sort();
  else {
    const buf = await readFile(path);
    candidate.head = buf.subarray(0, 8192).toString('utf8');
  }
  return candidate;
}

/** Picks the format of `path`: `--from` when given, else the most confident reader. */
export async function detectFormat(
  registry: FormatRegistry,
  path: string,
  from?: string,
): Promise<{ format?: FormatModule; diagnostics: Diagnostic[] }> {
  if (from) {
    const format = registry.get(from);
    if (!format?.reader) {
      return { diagnostics: [diag(coreCodes.unknownFormat, { id: from, known: readableIds(registry) })] };
    }
    return { format, diagnostics: [] };
  }
  let candidate: DetectCandidate;
  try {
    candidate = await describeCandidate(path);
  } catch (e) {
    return { diagnostics: [diag(coreCodes.fileNotFound, { path, reason: reasonOf(e) }, { file: path })] };
  }
  const scored = registry
    .list()
    .filter((f) => f.reader)
    .map((f) => ({ f, score: f.reader!.detect(candidate) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best) return { diagnostics: [diag(coreCodes.formatUndetected, { path }, { file: path })] };
  const rivals = scored.filter((s) => s !== best && s.score === best.score);
  const diagnostics = rivals.length
    ? [
        diag(
          coreCodes.formatAmbiguous,
          { chosen: best.f.id, others: rivals.map((r) => r.f.id).join(', ') },
          { file: path },
        ),
      ]
    : [];
  return { format: best.f, diagnostics };
}

/** Detects, reads and lowers; checks the IR against its schema so a reader bug never escapes. */
export async function loadDefinition(
  registry: FormatRegistry,
  path: string,
  options: ReadOptions & { from?: string } = {},
): Promise<LoadResult> {
  try {
    await stat(path);
  } catch (e) {
    return {
      positions: {},
      files: [],
      diagnostics: [diag(coreCodes.fileNotFound, { path, reason: reasonOf(e) }, { file: path })],
    };
  }
  const detected = await detectFormat(registry, path, options.from);
  if (!detected.format) return { positions: {}, files: [], diagnostics: detected.diagnostics };
  const result = await detected.format.reader!.read(path, options);
  const diagnostics = [...detected.diagnostics, ...result.diagnostics];
  if (result.ir) {
    diagnostics.push(...applyDistroFlags(result.ir, result.positions, options.options ?? {}));
    for (const e of validateIr(result.ir)) {
      diagnostics.push(diag(coreCodes.irInvalid, { pointer: e.pointer, detail: e.message }, { file: path }));
    }
    diagnostics.push(...unsafeValueDiagnostics(result.ir, result.positions ?? {}, path));
  }
  return { ...result, diagnostics, format: detected.format };
}

function readableIds(registry: FormatRegistry): string {
  return registry
    .list()
    .filter((f) => f.reader)
    .map((f) => f.id)
    .join(', ');
}

export function reasonOf(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && e.code === 'ENOENT') return 'no such file or folder';
  return e instanceof Error ? e.message : String(e);
}
