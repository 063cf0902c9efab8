import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { capDiagnostics } from '../diagnostics/cap.js';
import { coreCodes } from '../diagnostics/codes/core.js';
import { discoveryCodes } from '../diagnostics/codes/discovery.js';
import { diag } from '../diagnostics/define.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import { appendAll } from '../input/append.js';
import { checkStats, InputRejected, MAX_DIAGNOSTICS, MAX_NESTING, readFailure } from '../input/bounded.js';
import { valueDepthExceeds } from '../input/nesting.js';
import { reasonOf } from '../input/reason.js';
import { applyDistroFlags } from '../ir/distro-defaults.js';
import { validateIr } from '../ir/validate.js';
import type { DetectCandidate, FormatModule, ReadOptions, ReadResult } from './contract.js';
import type { FormatRegistry } from './registry.js';
import { unsafeValueDiagnostics } from './unsafe-values.js';

export interface LoadResult extends ReadResult {
  format?: FormatModule;
}

// Synchronous on purpose: five small calls, each a thread-pool round trip when asynchronous,
// cost more than the calls themselves (a batch translate and the fuzz harness waited on them).
export async function describeCandidate(path: string): Promise<DetectCandidate> {
  const info = statSync(path);
  const candidate: DetectCandidate = { path, isDirectory: info.isDirectory(), name: basename(path) };
  if (info.isDirectory()) candidate.entries = readdirSync(path).sort();
  else candidate.head = readHead(path);
  return candidate;
}

/** The first 8 KiB of a regular file; a FIFO or device is refused before anything blocks. */
function readHead(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    checkStats(path, fstatSync(fd));
    const buf = Buffer.alloc(8192);
    const bytesRead = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    closeSync(fd);
  }
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
    return { diagnostics: [readFailure(e, path)] };
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
  const others =
    candidate.isDirectory && !rivals.length
      ? otherFormatsIn(
          candidate,
          scored.map((s) => s.f),
        )
      : [];
  if (others.length) return { format: best.f, diagnostics: [severalFormats(candidate, best.f, others)] };
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

const filesOf = (candidate: DetectCandidate, format: FormatModule) =>
  (candidate.entries ?? []).filter((e) => format.patterns.some((p) => matchesTop(p, e)));

/** The formats after the first that a folder also holds files of, besides those the first one reads. */
function otherFormatsIn(candidate: DetectCandidate, formats: FormatModule[]): FormatModule[] {
  const [chosen, ...rest] = formats;
  const claimed = new Set(filesOf(candidate, chosen!));
  return rest.filter((f) => {
    const files = filesOf(candidate, f);
    return !files.length || files.some((file) => !claimed.has(file));
  });
}

/** IMGC1082: a folder holding definitions of several formats says what it found and which it read. */
function severalFormats(
  candidate: DetectCandidate,
  chosen: FormatModule,
  others: FormatModule[],
): Diagnostic {
  const found = [chosen, ...others]
    .map((f) => {
      const files = filesOf(candidate, f);
      return `${f.name} (${f.id}${files.length ? `: ${files.join(', ')}` : ''})`;
    })
    .join(' and ');
  return diag(
    discoveryCodes.severalFormatsFound,
    { path: candidate.path, found, chosen: chosen.id, others: others.map((f) => f.id).join(' or ') },
    { file: candidate.path },
  );
}

/** Whether a folder entry is the first segment of a format's file pattern (`*.kiwi`, `mkosi.conf.d/*.conf`). */
function matchesTop(pattern: string, entry: string): boolean {
  const top = pattern.split('/')[0]!;
  const re = new RegExp(
    `^${top
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(entry);
}

/** Detects, reads and lowers; checks the IR against its schema so a reader bug never escapes. */
export async function loadDefinition(
  registry: FormatRegistry,
  path: string,
  options: ReadOptions & { from?: string } = {},
): Promise<LoadResult> {
  try {
    statSync(path);
  } catch (e) {
    return {
      positions: {},
      files: [],
      diagnostics: [diag(coreCodes.fileNotFound, { path, reason: reasonOf(e) }, { file: path })],
    };
  }
  const detected = await detectFormat(registry, path, options.from);
  if (!detected.format) return { positions: {}, files: [], diagnostics: detected.diagnostics };
  let result: ReadResult;
  try {
    result = await detected.format.reader!.read(path, options);
  } catch (e) {
    // a reader that let a bounded-input refusal escape still gets a clear error, not IMGC1009
    if (!(e instanceof InputRejected)) throw e;
    return { positions: {}, files: [], diagnostics: [...detected.diagnostics, e.diagnostic({ file: path })] };
  }
  const diagnostics = [...detected.diagnostics, ...result.diagnostics];
  if (result.ir && valueDepthExceeds(result.ir)) {
    const d = diag(coreCodes.inputTooDeep, { what: 'the IR read from this definition', limit: MAX_NESTING });
    return { positions: {}, files: result.files, diagnostics: [...diagnostics, { ...d, file: path }] };
  }
  if (result.ir) {
    appendAll(diagnostics, applyDistroFlags(result.ir, result.positions, options.options ?? {}));
    for (const e of validateIr(result.ir)) {
      diagnostics.push(diag(coreCodes.irInvalid, { pointer: e.pointer, detail: e.message }, { file: path }));
    }
    appendAll(diagnostics, unsafeValueDiagnostics(result.ir, result.positions ?? {}, path));
  }
  return { ...result, diagnostics: capDiagnostics(diagnostics, MAX_DIAGNOSTICS), format: detected.format };
}

function readableIds(registry: FormatRegistry): string {
  return registry
    .list()
    .filter((f) => f.reader)
    .map((f) => f.id)
    .join(', ');
}
