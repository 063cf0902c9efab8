/**
 * imgc has no default distribution. The distribution comes from the definition (named, or
 * inferred by its reader with a positioned note), and `--distro id[:release]` / `--release`
 * win over both. When none of them tells, the commands stop with IMGC1021/IMGC1022 naming
 * the flag; only a distribution with a single release (Arch, Tumbleweed) implies it.
 */

import { coreCodes } from '../diagnostics/codes/core.js';
import { discoveryCodes } from '../diagnostics/codes/discovery.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { type DistroGuess, distroFromUrl, ONLY_RELEASE, splitDistro } from './distribution.js';
import type { PositionTable, SourcePosition } from './positions.js';
import type { ImageIR, Repository } from './schema.js';

export interface DistroFlags {
  distro?: unknown;
  release?: unknown;
  /** from the environment or the user config file: fills a distribution the definition lacks, never replaces one */
  defaultDistro?: unknown;
  /** where defaultDistro came from, for the note */
  defaultDistroFrom?: unknown;
}

/** `debian:bookworm`, `debian` or the one-string `fedora-41` → id and release. */
export function parseDistroFlag(value: string): { id: string; release?: string } | undefined {
  const [id, release, ...rest] = value.split(':');
  if (!id || rest.length || release === '') return undefined;
  if (release !== undefined) return { id, release };
  return splitDistro(id);
}

/**
 * Applies `--distro`/`--release` to the IR (in place): the user's choice wins over what the
 * definition says or its reader inferred, and IMGC1020 says what it replaced.
 */
export function applyDistroFlags(ir: ImageIR, positions: PositionTable, flags: DistroFlags): Diagnostic[] {
  const distro = typeof flags.distro === 'string' ? flags.distro : undefined;
  const releaseFlag = typeof flags.release === 'string' && flags.release ? flags.release : undefined;
  if (distro === undefined && releaseFlag === undefined) return applyDefaultDistro(ir, flags);
  const parsed = distro === undefined ? undefined : parseDistroFlag(distro);
  if (distro !== undefined && !parsed) return [diag(coreCodes.badDistroFlag, { value: distro })];
  const d = ir.distribution;
  const before = d.id ? [d.id, d.release].filter(Boolean).join(' ') : '';
  const at = positions['/distribution/id'] ?? positions['/distribution/release'];
  if (parsed) {
    if (parsed.id !== d.id) delete d.release;
    d.id = parsed.id;
    if (parsed.release) d.release = parsed.release;
  }
  if (releaseFlag && d.id) d.release = releaseFlag;
  const after = [d.id, d.release].filter(Boolean).join(' ');
  if (after === before) return [];
  delete positions['/distribution/id'];
  delete positions['/distribution/release'];
  const replaced = before && at ? `${before} (${at.file}:${at.line}:${at.column})` : before;
  return [
    diag(coreCodes.distroFromFlag, { distro: after, replaced }, undefined, { pointer: '/distribution' }),
  ];
}

/** The user's default distribution (IMGC_DISTRO, or distro in the user config file) for a definition that names none. */
function applyDefaultDistro(ir: ImageIR, flags: DistroFlags): Diagnostic[] {
  if (ir.distribution.id || typeof flags.defaultDistro !== 'string') return [];
  const parsed = parseDistroFlag(flags.defaultDistro);
  if (!parsed) return [diag(coreCodes.badDistroFlag, { value: flags.defaultDistro })];
  ir.distribution.id = parsed.id;
  if (parsed.release) ir.distribution.release = parsed.release;
  const from = typeof flags.defaultDistroFrom === 'string' ? flags.defaultDistroFrom : 'the user config';
  return [
    diag(
      discoveryCodes.defaultFromConfig,
      { flag: 'distribution', value: flags.defaultDistro, from },
      undefined,
      {
        pointer: '/distribution',
      },
    ),
  ];
}

/**
 * IMGC1021 when the IR names no distribution, IMGC1022 when `needRelease` and it names no
 * release that a single-release distribution would imply. `what` says who needs it.
 */
export function missingDistribution(
  ir: ImageIR,
  positions: PositionTable,
  what: string,
  needRelease: boolean,
  file?: string,
): Diagnostic[] {
  const d = ir.distribution;
  const at: Partial<SourcePosition> = positions['/distribution/id'] ?? (file ? { file } : {});
  if (!d.id) {
    return [
      diag(coreCodes.distroUnknown, { why: `the definition names none and ${what} needs one` }, at, {
        pointer: '/distribution/id',
      }),
    ];
  }
  if (needRelease && !d.release && !ONLY_RELEASE[d.id]) {
    return [
      diag(
        coreCodes.releaseUnknown,
        { id: d.id, why: `the definition names none and ${what} needs one` },
        at,
        { pointer: '/distribution/release' },
      ),
    ];
  }
  return [];
}

/**
 * For formats that do not name the distribution (kickstart, blueprints without `distro`):
 * the first repository whose URL is a distribution's own mirror names it (IMGC1024).
 */
export function inferFromRepositories(ir: ImageIR, positions: PositionTable): Diagnostic[] {
  if (ir.distribution.id) return [];
  const found = distroOfRepositories(ir.repositories);
  if (!found) return [];
  const { guess, index, url } = found;
  ir.distribution.id = guess.id;
  if (guess.release && !ir.distribution.release) ir.distribution.release = guess.release;
  const at = positions[`/repositories/${index}`];
  if (at) positions['/distribution/id'] = at;
  const distro = [guess.id, ir.distribution.release].filter(Boolean).join(' ');
  return [diag(coreCodes.distroFromRepository, { distro, url }, at, { pointer: '/distribution/id' })];
}

/**
 * The distribution the first repository on a distribution's own mirror names, as the readers
 * of formats without a distribution field infer it (writers use it to tell whether what they
 * write carries the distribution back).
 */
export function distroOfRepositories(
  repositories: readonly Pick<Repository, 'urls' | 'mirrorlist' | 'metalink'>[],
): { guess: DistroGuess & { id: string }; index: number; url: string } | undefined {
  for (const [index, repo] of repositories.entries()) {
    for (const url of [...repo.urls, repo.mirrorlist, repo.metalink].filter((u): u is string => !!u)) {
      const guess = distroFromUrl(url);
      if (guess?.id) return { guess: guess as DistroGuess & { id: string }, index, url };
    }
  }
  return undefined;
}
