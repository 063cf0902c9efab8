/** The mkosi reader: detect, resolve the tree, lower to the IR. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { coreCodes } from '../../../diagnostics/codes/core.js';
import { diag } from '../../../diagnostics/define.js';
import { type Diagnostic, hasErrors } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import type { PositionTable } from '../../../ir/positions.js';
import type { ImageIR } from '../../../ir/schema.js';
import type { DetectCandidate, FormatReader, ReadOptions, ReadResult } from '../../contract.js';
import { mkosiCodes } from '../codes.js';
import { lowerResolved } from './lower.js';
import { type MatchedDistribution, matchedDistribution } from './match-distro.js';
import { DEFAULT_HOST, parseHost, resolveTree } from './resolve.js';

const SECTION_RE =
  /^[^\S\n\r\u2028\u2029]*\[(Distribution|Output|Content|Config|Build|Validation|Runtime|Host|Packages|Partitions|Match|Include)\]\s*$/m;

export function detectMkosi(c: DetectCandidate): number {
  if (c.isDirectory) {
    const entries = new Set(c.entries ?? []);
    if (entries.has('mkosi.conf') || entries.has('mkosi.conf.d')) return 0.95;
    if (entries.has('mkosi.default') || entries.has('mkosi.default.d')) return 0.9;
    if (entries.has('mkosi') && existsSync(join(c.path, 'mkosi', 'mkosi.conf'))) return 0.9;
    if ([...entries].some((e) => e.startsWith('mkosi.'))) return 0.5;
    return 0;
  }
  if (c.name === 'mkosi.conf' || c.name === 'mkosi.default' || c.name === 'mkosi.local.conf') return 0.95;
  if (c.name.startsWith('mkosi.') && c.head && SECTION_RE.test(c.head)) return 0.8;
  if (
    c.name.endsWith('.conf') &&
    c.head &&
    /^[^\S\n\r\u2028\u2029]*\[(Distribution|Content|Output)\]\s*$/m.test(c.head)
  )
    return 0.6;
  return 0;
}

export async function readMkosi(path: string, options: ReadOptions): Promise<ReadResult> {
  const opts = options.options ?? {};
  const hostGiven = typeof opts.host === 'string';
  const matched = hostGiven ? undefined : matchedDistribution(path);
  const parsedHost = parseHost(hostGiven ? (opts.host as string) : undefined);
  const host =
    parsedHost && matched
      ? { ...parsedHost, distribution: matched.distribution, release: matched.release ?? '' }
      : parsedHost;
  if (!host) {
    return {
      positions: {},
      files: [],
      diagnostics: [diag(mkosiCodes.badHost, { value: String(opts.host) })],
    };
  }
  try {
    const res = resolveTree(path, {
      host,
      profiles: options.profiles,
      legacy: opts.legacy === 'off' ? 'off' : 'auto',
      resources: typeof opts.mkosiResources === 'string' ? opts.mkosiResources : undefined,
    });
    const diagnostics = [...res.diagnostics];
    for (const p of options.profiles ?? []) {
      if (!res.declaredProfiles.includes(p)) {
        diagnostics.push(diag(coreCodes.unknownProfile, { name: p, known: res.declaredProfiles.join(', ') }));
      }
    }
    if (hasErrors(diagnostics)) return { positions: {}, files: res.files, diagnostics };
    const lowered = lowerResolved(res);
    appendAll(diagnostics, settleHostDistribution(lowered.ir, lowered.positions, hostGiven, matched, path));
    return {
      ir: lowered.ir,
      positions: lowered.positions,
      diagnostics: [...diagnostics, ...lowered.diagnostics].map((d) => ({ source: 'mkosi', ...d })),
      files: res.files,
    };
  } catch (e) {
    return {
      positions: {},
      files: [],
      diagnostics: [
        diag(
          coreCodes.internalError,
          { detail: e instanceof Error ? (e.stack ?? e.message) : String(e) },
          { file: path },
        ),
      ],
    };
  }
}

/**
 * Without `Distribution=` mkosi uses the host's; imgc names the [Match] it inferred from, or,
 * with neither a [Match] nor --host, leaves the distribution unknown rather than assume one.
 */
function settleHostDistribution(
  ir: ImageIR,
  positions: PositionTable,
  hostGiven: boolean,
  matched: MatchedDistribution | undefined,
  path: string,
): Diagnostic[] {
  if (positions['/distribution/id'] || hostGiven) return [];
  if (matched) {
    const at = { file: matched.file, line: matched.line, column: matched.column };
    positions['/distribution/id'] = at;
    return [
      diag(
        mkosiCodes.distroFromMatch,
        { distro: [ir.distribution.id, ir.distribution.release].filter(Boolean).join(' ') },
        at,
      ),
    ];
  }
  delete ir.distribution.id;
  delete ir.distribution.release;
  return [diag(mkosiCodes.distroFromHost, undefined, { file: path })];
}

export const mkosiReader: FormatReader = { detect: detectMkosi, read: readMkosi };
export { DEFAULT_HOST };
