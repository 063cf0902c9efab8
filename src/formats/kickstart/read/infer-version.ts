/**
 * Which kickstart syntax version a file is read with. An explicit `--ks-version` wins; then the
 * file's own `#version=` comment (except DEVEL, which anaconda writes on every release); then a
 * release named by its `url`/`repo` URLs; otherwise the syntax decides: the newest version
 * (of the family the URLs name, if any) under which the file has the fewest errors, then the
 * fewest warnings. The choice is always reported with the reason (IMGC5030).
 */

import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { kickstartCodes } from '../codes.js';
import {
  DEFAULT_KS_VERSION,
  isRhel,
  KS_VERSIONS,
  type KsVersion,
  NEWEST_FEDORA,
  OLDEST_FEDORA,
  resolveVersion,
} from '../versions.js';
import { type DistroHint, distroHint, type KsFamily } from './distro-hint.js';
import { type KsDocument, type KsLocation, parseDocument } from './document.js';
import { type LowerResult, lowerDocument } from './lower.js';
import type { SourceLine } from './source.js';

export interface Reading {
  version: KsVersion;
  doc: KsDocument;
  lowered: LowerResult;
  errors: Diagnostic[];
  warnings: number;
}

export interface VersionChoice {
  reading: Reading;
  note: Diagnostic;
}

/** `probe`: the document parsed with DEFAULT_KS_VERSION already, reused when that is the version. */
export function readAs(lines: readonly SourceLine[], version: KsVersion, probe?: KsDocument): Reading {
  const doc = probe && version === DEFAULT_KS_VERSION ? probe : parseDocument(lines, version);
  const lowered = lowerDocument(doc, version);
  const all = [...doc.diagnostics, ...lowered.diagnostics];
  return {
    version,
    doc,
    lowered,
    errors: all.filter((d) => d.severity === 'error'),
    warnings: all.filter((d) => d.severity === 'warning').length,
  };
}

const NEWEST_RHEL = 10;
const OLDEST_RHEL = 5;

/** The version for a named release, clamped to the supported range (the clamp is said). */
export function versionForRelease(
  family: KsFamily,
  release: number | 'rawhide',
): { version: KsVersion; clamped: boolean } {
  if (release === 'rawhide') return { version: DEFAULT_KS_VERSION, clamped: false };
  const [low, high] = family === 'F' ? [OLDEST_FEDORA, NEWEST_FEDORA] : [OLDEST_RHEL, NEWEST_RHEL];
  const n = Math.min(Math.max(release, low), high);
  return { version: `${family}${n}` as KsVersion, clamped: n !== release };
}

function note(version: KsVersion, reason: string, at: KsLocation): Diagnostic {
  return diag(kickstartCodes.versionChosen, { version, reason }, at);
}

function commentLocation(lines: readonly SourceLine[], main: string): KsLocation {
  const line = lines.find((l) => l.file === main && l.text.trim().startsWith('#version='));
  return { file: main, line: line?.line ?? 1, column: 1 };
}

function hintReason(hint: DistroHint, version: KsVersion, clamped: boolean): string {
  const release = hint.release === 'rawhide' ? 'Rawhide' : String(hint.release);
  const base = `the URL ${hint.url} names ${hint.distro} ${release}`;
  return clamped ? `${base}; ${version} is the nearest syntax imgc knows` : base;
}

/**
 * Newest first, RHEL before Fedora: when a file without a release fits both, the long-lived
 * enterprise release is the likelier source of an old file than an end-of-life Fedora.
 */
function candidates(family: KsFamily | undefined): KsVersion[] {
  const newestFirst = [...KS_VERSIONS].reverse();
  const rhel = newestFirst.filter(isRhel);
  const fedora = newestFirst.filter((v) => !isRhel(v));
  if (family === 'RHEL') return rhel;
  if (family === 'F') return fedora;
  return [...rhel, ...fedora];
}

/** Fewest errors, then fewest warnings; ties go to the earlier candidate. */
function fewer(chosen: Reading | undefined, r: Reading): Reading {
  if (
    !chosen ||
    r.errors.length < chosen.errors.length ||
    (r.errors.length === chosen.errors.length && r.warnings < chosen.warnings)
  ) {
    return r;
  }
  return chosen;
}

/**
 * The best RHEL and the best Fedora reading; Fedora only wins with fewer errors, so that a
 * warning (install deprecated in RHEL8) does not send an AlmaLinux 8 file to Fedora 28.
 * Only the best reading of each family is kept while the others are read: a big file read
 * under 45 versions at once held 45 documents (over 1 GiB for a 2 MB file).
 */
function best(first: Reading, pool: readonly KsVersion[], lines: readonly SourceLine[]): Reading {
  let rhel: Reading | undefined;
  let fedora: Reading | undefined;
  const settled = (r: Reading | undefined) => r !== undefined && r.errors.length === 0 && r.warnings === 0;
  for (const v of pool) {
    // nothing can beat a reading without errors and warnings, and Fedora only wins with fewer
    // errors than RHEL: those readings are skipped, not made
    if (isRhel(v) ? settled(rhel) : settled(fedora) || rhel?.errors.length === 0) continue;
    const r = v === first.version ? first : readAs(lines, v);
    if (isRhel(v)) rhel = fewer(rhel, r);
    else fedora = fewer(fedora, r);
  }
  if (!rhel || !fedora) return (rhel ?? fedora)!;
  return fedora.errors.length < rhel.errors.length ? fedora : rhel;
}

/**
 * Comparing versions reads the file about 45 times; real kickstarts have at most a few hundred
 * lines (510 in the corpus), a fuzzed one 26,000 lines of one unknown command (3 s).
 */
export const MAX_LINES_COMPARED = 5_000;

function describeError(d: Diagnostic): string {
  const where = d.line !== undefined ? ` at ${d.line}:${d.column ?? 1}` : '';
  return `${d.code} (${d.message})${where}`;
}

function bySyntax(
  lines: readonly SourceLine[],
  main: string,
  hint: DistroHint | undefined,
  probe: KsDocument,
): VersionChoice {
  const family = hint?.family;
  const pool = candidates(family);
  // the newest syntax of the family (F45 when no family is named) is tried first: files it accepts keep it
  const newest = readAs(lines, family === 'RHEL' ? pool[0]! : DEFAULT_KS_VERSION, probe);
  const scope = hint
    ? `the URL ${hint.url} names ${hint.distro} without a release`
    : 'nothing in the file names a release';
  const at = hint?.at ?? { file: main, line: 1, column: 1 };
  if (newest.errors.length === 0) {
    return { reading: newest, note: note(newest.version, `${scope}, and the newest syntax accepts it`, at) };
  }
  if (lines.length > MAX_LINES_COMPARED) {
    const reason = `${scope}; ${newest.version} rejects ${describeError(newest.errors[0]!)}, and the file has ${lines.length} lines, more than the ${MAX_LINES_COMPARED} on which imgc compares every version: the newest syntax is kept (choose another with --ks-version)`;
    return { reading: newest, note: note(newest.version, reason, at) };
  }
  const chosen = best(newest, pool, lines);
  const rejected = `${newest.version} rejects ${describeError(newest.errors[0]!)}`;
  const reason =
    chosen.errors.length === 0
      ? `${scope}; ${rejected}; ${chosen.version} is the newest version that accepts every line`
      : `${scope}; no version accepts every line; ${chosen.version} has the fewest errors (${chosen.errors.length})`;
  const place = newest.errors[0]!;
  const where = place.file ? { file: place.file, line: place.line ?? 1, column: place.column ?? 1 } : at;
  return { reading: chosen, note: note(chosen.version, reason, where) };
}

export function chooseVersion(
  lines: readonly SourceLine[],
  main: string,
  explicit: KsVersion | undefined,
): VersionChoice {
  const start = { file: main, line: 1, column: 1 };
  if (explicit)
    return { reading: readAs(lines, explicit), note: note(explicit, 'given with --ks-version', start) };
  // also the reading of DEFAULT_KS_VERSION when that is the one chosen: not parsed twice
  const probe = parseDocument(lines, DEFAULT_KS_VERSION);
  const comment = probe.versionComment;
  const stated =
    comment !== undefined && comment.toUpperCase() !== 'DEVEL' ? resolveVersion(comment) : undefined;
  if (stated) {
    const reason = `the file says #version=${comment}`;
    return {
      reading: readAs(lines, stated, probe),
      note: note(stated, reason, commentLocation(lines, main)),
    };
  }
  const hint = distroHint(probe);
  if (hint?.release !== undefined) {
    const { version, clamped } = versionForRelease(hint.family, hint.release);
    return {
      reading: readAs(lines, version, probe),
      note: note(version, hintReason(hint, version, clamped), hint.at),
    };
  }
  return bySyntax(lines, main, hint, probe);
}
