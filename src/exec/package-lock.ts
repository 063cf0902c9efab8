/**
 * The lock file's life: made from the plan by the backend's `lockPackages`, written sorted and
 * deterministic, read back with a position for every entry, compared with a fresh resolution
 * (`build --locked`: every package that no longer matches, at its line in the lock file) and
 * with the previous lock (`lock --update`: added, removed, up- and downgraded). Decision 0103.
 */
import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { findNodeAtLocation, type Node as JsonNode, type ParseError, parseTree } from 'jsonc-parser';
import type { BackendRegistry } from '../backends/registry.js';
import { lockCodes } from '../diagnostics/codes/lock.js';
import { diag } from '../diagnostics/define.js';
import { LineIndex } from '../diagnostics/line-index.js';
import { type Diagnostic, hasErrors, type Location } from '../diagnostics/types.js';
import { LOCK_VERSION, type LockedPackage, LockFile } from '../plan/lock-file.js';
import { pinnedToLock } from '../plan/locked-plan.js';
import type { BuildPlan } from '../plan/steps.js';
import { packageRequest } from './resolve-packages.js';

export type { LockedPackage, LockFile };

const SCHEMA_URL = 'https://imgc.dev/schemas/lock.json';

const byNameThenArch = (a: LockedPackage, b: LockedPackage) =>
  a.name < b.name
    ? -1
    : a.name > b.name
      ? 1
      : a.architecture < b.architecture
        ? -1
        : a.architecture > b.architecture
          ? 1
          : 0;

/** Resolves the plan's package set with its backend's `lockPackages`; the lock, or the reasons there is none. */
export async function lockPlan(
  plan: BuildPlan,
  backends: BackendRegistry,
  cacheDir: string,
  signal?: AbortSignal,
): Promise<{ lock?: LockFile; diagnostics: Diagnostic[] }> {
  const request = packageRequest(plan);
  const backend = backends.get(plan.backend);
  if (!backend?.lockPackages)
    return { diagnostics: [diag(lockCodes.unsupported, { family: backend?.id ?? plan.backend })] };
  if (!request)
    return {
      diagnostics: [diag(lockCodes.noMetadata, { what: 'the image', why: 'the plan installs no packages' })],
    };
  const answer = await backend.lockPackages(request, { cacheDir, ...(signal ? { signal } : {}) });
  if (hasErrors(answer.diagnostics)) return { diagnostics: answer.diagnostics };
  const d = plan.distribution;
  const lock: LockFile = {
    $schema: SCHEMA_URL,
    lockVersion: LOCK_VERSION,
    distribution: d.id,
    release: d.suite,
    architecture: d.architecture,
    backend: plan.backend,
    tool: answer.tool,
    repositories: [...answer.repositories].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0)),
    packages: [...answer.packages].sort(byNameThenArch),
  };
  return { lock, diagnostics: answer.diagnostics };
}

/** The file's text: two-space JSON, keys in schema order, one trailing newline. */
export function lockFileText(lock: LockFile): string {
  const ordered: LockFile = {
    $schema: lock.$schema ?? SCHEMA_URL,
    lockVersion: lock.lockVersion,
    distribution: lock.distribution,
    release: lock.release,
    architecture: lock.architecture,
    backend: lock.backend,
    tool: lock.tool,
    repositories: lock.repositories.map((r) => ({ url: r.url, kind: r.kind, timestamp: r.timestamp })),
    packages: lock.packages.map((p) => ({
      name: p.name,
      version: p.version,
      architecture: p.architecture,
      repository: p.repository,
      url: p.url,
      sha256: p.sha256,
      size: p.size,
    })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export interface ReadLock {
  lock: LockFile;
  /** where a JSON path starts in the file, for positioned errors */
  locate(path: (string | number)[]): Location;
}

function locator(file: string, text: string, root: JsonNode | undefined) {
  const lines = new LineIndex(text);
  return (path: (string | number)[]): Location => {
    let node: JsonNode | undefined;
    for (let n = path.length; n >= 0 && !node; n--) node = root && findNodeAtLocation(root, path.slice(0, n));
    const at = lines.position(node?.parent?.type === 'property' ? node.parent.offset : (node?.offset ?? 0));
    return { file, ...at };
  };
}

/** Reads a lock file; IMGC7731 at the first problem's line and column when it cannot be used. */
export async function readLockFile(file: string): Promise<{ read?: ReadLock; diagnostics: Diagnostic[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { diagnostics: [diag(lockCodes.unreadable, { why: (e as Error).message }, { file })] };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const locate = locator(file, text, root);
  if (errors.length || !root) {
    const at = new LineIndex(text).position(errors[0]?.offset ?? 0);
    return { diagnostics: [diag(lockCodes.unreadable, { why: 'it is not valid JSON' }, { file, ...at })] };
  }
  const value = JSON.parse(text) as unknown;
  const problem = Value.Errors(LockFile, value).First();
  if (problem) {
    const path = problem.path
      .split('/')
      .slice(1)
      .map((t) => (/^\d+$/.test(t) ? Number(t) : t));
    const why = `${problem.path || '/'}: ${problem.message}`;
    return { diagnostics: [diag(lockCodes.unreadable, { why }, locate(path))] };
  }
  return { read: { lock: value as LockFile, locate }, diagnostics: [] };
}

/** IMGC7734 for each of distribution, release, architecture and backend that differs from the plan. */
export function checkLockTarget(read: ReadLock, plan: BuildPlan): Diagnostic[] {
  const d = plan.distribution;
  const pairs: [keyof LockFile, string, string][] = [
    ['distribution', read.lock.distribution, d.id],
    ['release', read.lock.release, d.suite],
    ['architecture', read.lock.architecture, d.architecture],
    ['backend', read.lock.backend, plan.backend],
  ];
  return pairs
    .filter(([, locked, planned]) => locked !== planned)
    .map(([field, locked, planned]) =>
      diag(lockCodes.otherImage, { field, locked, planned }, read.locate([field])),
    );
}

const key = (p: LockedPackage) => `${p.name}\u0000${p.architecture}`;

/**
 * Every locked package the fresh resolution no longer gives alike (gone, another version,
 * another digest), at its entry in the lock file, and every package the resolution now adds.
 */
export function compareWithLock(read: ReadLock, fresh: LockFile): Diagnostic[] {
  const now = new Map(fresh.packages.map((p) => [key(p), p]));
  const byName = new Map(fresh.packages.map((p) => [p.name, p]));
  const out: Diagnostic[] = [];
  read.lock.packages.forEach((locked, i) => {
    const current = now.get(key(locked)) ?? byName.get(locked.name);
    let why: string | undefined;
    if (!current) why = `${locked.version} is gone: the repositories no longer give ${locked.name}`;
    else if (current.version !== locked.version)
      why = `locked ${locked.version}, the repositories now give ${current.version}`;
    else if (current.architecture !== locked.architecture)
      why = `locked for ${locked.architecture}, the repositories now give ${current.architecture}`;
    else if (current.sha256 !== locked.sha256)
      why = `${locked.version} now has sha256 ${current.sha256}, locked ${locked.sha256}`;
    if (why) out.push(diag(lockCodes.mismatch, { name: locked.name, why }, read.locate(['packages', i])));
  });
  const locked = new Set(read.lock.packages.map((p) => p.name));
  for (const p of fresh.packages)
    if (!locked.has(p.name))
      out.push(
        diag(
          lockCodes.mismatch,
          { name: p.name, why: `not in the lock file, the resolver now adds ${p.version}` },
          read.locate(['packages']),
        ),
      );
  return out;
}

/** dpkg's ordering of version strings (also right for the usual rpm and pacman versions). */
export function compareVersions(a: string, b: string): number {
  const [ea, ra] = splitEpoch(a);
  const [eb, rb] = splitEpoch(b);
  if (ea !== eb) return ea - eb;
  return comparePart(ra, rb);
}

function splitEpoch(v: string): [number, string] {
  const m = /^(\d+):(.*)$/.exec(v);
  return m ? [Number(m[1]), m[2]!] : [0, v];
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** dpkg's weight of a non-digit: `~` before everything, even the end; letters before other signs. */
function weight(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (c === '~') return -1;
  return /[A-Za-z]/.test(c) ? c.charCodeAt(0) : c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp: alternating non-digit and digit runs. */
function comparePart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const diff = weight(a[i]) - weight(b[j]);
      if (diff) return diff;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    let first = 0;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!first) first = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (first) return first;
  }
  return 0;
}

export interface LockChange {
  name: string;
  change: 'added' | 'removed' | 'upgraded' | 'downgraded' | 'rebuilt';
  from?: string;
  to?: string;
}

/** What `lock --update` changed: per package name, sorted. `rebuilt`: same version, another sha256. */
export function lockChanges(before: LockFile, after: LockFile): LockChange[] {
  const old = new Map(before.packages.map((p) => [key(p), p]));
  const now = new Map(after.packages.map((p) => [key(p), p]));
  const changes: LockChange[] = [];
  for (const [k, p] of now) {
    const was = old.get(k);
    if (!was) changes.push({ name: p.name, change: 'added', to: p.version });
    else if (was.version !== p.version) {
      const up = compareVersions(p.version, was.version) > 0;
      changes.push({
        name: p.name,
        change: up ? 'upgraded' : 'downgraded',
        from: was.version,
        to: p.version,
      });
    } else if (was.sha256 !== p.sha256)
      changes.push({ name: p.name, change: 'rebuilt', from: was.version, to: p.version });
  }
  for (const [k, p] of old)
    if (!now.has(k)) changes.push({ name: p.name, change: 'removed', from: p.version });
  return changes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function renderChanges(changes: readonly LockChange[]): string {
  if (!changes.length) return 'no changes\n';
  const width = changes.reduce((w, c) => Math.max(w, c.name.length), 0);
  return `${changes
    .map(
      (c) => `${c.change.padEnd(10)} ${c.name.padEnd(width)}  ${[c.from, c.to].filter(Boolean).join(' → ')}`,
    )
    .join('\n')}\n`;
}

export interface Locking {
  plan: BuildPlan;
  /** --locked: the checked lock file */
  lock?: LockFile;
  diagnostics: Diagnostic[];
}

/**
 * `--locked` (build, submit): the lock file read, checked against the plan and a fresh
 * resolution, and the plan pinned to it.
 */
export async function checkedLock(
  plan: BuildPlan,
  backends: BackendRegistry,
  cacheDir: string,
  file: string,
): Promise<Locking> {
  const { read, diagnostics } = await readLockFile(file);
  if (!read) return { plan, diagnostics };
  const target = checkLockTarget(read, plan);
  if (target.length) return { plan, diagnostics: target };
  const fresh = await lockPlan(plan, backends, cacheDir);
  if (!fresh.lock) return { plan, diagnostics: fresh.diagnostics };
  const mismatches = compareWithLock(read, fresh.lock);
  if (mismatches.length) return { plan, diagnostics: mismatches };
  return { plan: pinnedToLock(plan, read.lock), lock: read.lock, diagnostics: [] };
}
