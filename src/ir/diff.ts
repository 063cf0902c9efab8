/**
 * Semantic diff of two IRs: what a second definition adds, drops or changes compared with a
 * first, by meaning rather than by position — packages and services as sets, repositories,
 * users, files and partitions matched by their identity (id, name, path, mountpoint), and
 * scalar settings field by field. Profiles are merged first, so the effective images compare.
 */

import { emptyIr } from './empty.js';
import { normalizeIr } from './normalize.js';
import { escapeToken, leaves, matchesTokens, parsePointer, pointer, reachesTokens } from './pointer.js';
import { mergeProfiles } from './profiles.js';
import type { ImageIR } from './schema.js';

export type DiffArea =
  | 'distribution'
  | 'metadata'
  | 'repositories'
  | 'packages'
  | 'system'
  | 'services'
  | 'kernel'
  | 'firewall'
  | 'users'
  | 'groups'
  | 'files'
  | 'directories'
  | 'symlinks'
  | 'overlays'
  | 'scripts'
  | 'storage'
  | 'boot'
  | 'outputs'
  | 'sbom'
  | 'containers';

export interface FieldChange {
  /** path inside the compared item, e.g. `shell` or `password/hash` */
  field: string;
  a?: unknown;
  b?: unknown;
}

export interface IrChange {
  area: DiffArea;
  kind: 'added' | 'removed' | 'changed';
  /** what changed: a package name, a user name, a file path, a setting name */
  key: string;
  /** JSON Pointer of the item in the first IR (removed, changed) */
  pointerA?: string;
  /** JSON Pointer of the item in the second IR (added, changed) */
  pointerB?: string;
  /** for `changed`: the fields that differ */
  fields?: FieldChange[];
}

export interface DiffOptions {
  /**
   * Compare only fields every one of these capability tables expresses (each entry a list
   * of JSON Pointer patterns): the fields both formats of a translation can say.
   */
  restrictTo?: readonly (readonly string[])[];
}

export function diffIr(first: ImageIR, second: ImageIR, options: DiffOptions = {}): IrChange[] {
  let a = normalizeIr(mergeProfiles(first));
  let b = normalizeIr(mergeProfiles(second));
  if (options.restrictTo?.length) {
    a = project(a, options.restrictTo);
    b = project(b, options.restrictTo);
  }
  const out: IrChange[] = [];
  const A = a as unknown as Json;
  const B = b as unknown as Json;
  scalars(out, 'distribution', A.distribution, B.distribution, '/distribution');
  scalars(out, 'metadata', A.metadata, B.metadata, '/metadata');
  keyed(out, 'repositories', A.repositories, B.repositories, '/repositories', repoKey);
  for (const list of ['install', 'exclude', 'remove', 'bootstrap', 'build'] as const) {
    keyed(
      out,
      'packages',
      get(A, 'packages', list),
      get(B, 'packages', list),
      `/packages/${list}`,
      (p) => `${list} ${str(p.name)}`,
    );
  }
  keyed(
    out,
    'packages',
    get(A, 'packages', 'groups'),
    get(B, 'packages', 'groups'),
    '/packages/groups',
    (g) => `group @${str(g.name)}`,
  );
  keyed(
    out,
    'packages',
    get(A, 'packages', 'modules'),
    get(B, 'packages', 'modules'),
    '/packages/modules',
    (m) => `module ${str(m.name)}`,
  );
  scalars(
    out,
    'packages',
    pick(A.packages, ['installDocs', 'installWeakDeps', 'languages', 'core', 'multilib']),
    pick(B.packages, ['installDocs', 'installWeakDeps', 'languages', 'core', 'multilib']),
    '/packages',
  );
  const systemScalars = [
    'hostname',
    'locale',
    'extraLocales',
    'keymap',
    'timezone',
    'utc',
    'ntpServers',
    'selinux',
    'initrd',
    'fips',
    'caCertificates',
    'machineId',
    'rootShell',
  ];
  scalars(out, 'system', pick(A.system, systemScalars), pick(B.system, systemScalars), '/system');
  for (const verb of ['enable', 'disable', 'mask'] as const) {
    stringSet(
      out,
      'services',
      get(A, 'system', 'services', verb),
      get(B, 'system', 'services', verb),
      `/system/services/${verb}`,
      (u) => `${verb} ${u}`,
    );
  }
  stringSet(
    out,
    'kernel',
    get(A, 'system', 'kernel', 'cmdline'),
    get(B, 'system', 'kernel', 'cmdline'),
    '/system/kernel/cmdline',
    (k) => `cmdline ${k}`,
  );
  scalars(
    out,
    'kernel',
    pick(get(A, 'system', 'kernel'), ['package', 'cmdlineRemove', 'modules']),
    pick(get(B, 'system', 'kernel'), ['package', 'cmdlineRemove', 'modules']),
    '/system/kernel',
  );
  scalars(out, 'firewall', get(A, 'system', 'firewall'), get(B, 'system', 'firewall'), '/system/firewall');
  if (get(A, 'accounts', 'root') !== undefined || get(B, 'accounts', 'root') !== undefined) {
    scalars(
      out,
      'users',
      wrap('root', get(A, 'accounts', 'root')),
      wrap('root', get(B, 'accounts', 'root')),
      '/accounts',
    );
  }
  keyed(out, 'users', get(A, 'accounts', 'users'), get(B, 'accounts', 'users'), '/accounts/users', (u) =>
    str(u.name),
  );
  keyed(out, 'groups', get(A, 'accounts', 'groups'), get(B, 'accounts', 'groups'), '/accounts/groups', (g) =>
    str(g.name),
  );
  keyed(out, 'files', A.files, B.files, '/files', (f) => str(f.path));
  keyed(out, 'directories', A.directories, B.directories, '/directories', (d) => str(d.path));
  keyed(out, 'symlinks', A.symlinks, B.symlinks, '/symlinks', (s) => str(s.path));
  keyed(
    out,
    'overlays',
    A.overlays,
    B.overlays,
    '/overlays',
    (o) => `${str(o.source)} → ${str(o.destination ?? '/')}`,
  );
  keyed(
    out,
    'scripts',
    A.scripts,
    B.scripts,
    '/scripts',
    (s) => `${str(s.phase)}: ${firstLine(s.body ?? s.source ?? s.name)}`,
  );
  const storageScalars = [
    'partitionTable',
    'mode',
    'size',
    'sectorSize',
    'startOffset',
    'clear',
    'installationDevice',
    'encryption',
  ];
  scalars(out, 'storage', pick(A.storage, storageScalars), pick(B.storage, storageScalars), '/storage');
  keyed(
    out,
    'storage',
    get(A, 'storage', 'partitions'),
    get(B, 'storage', 'partitions'),
    '/storage/partitions',
    partitionKey,
  );
  keyed(
    out,
    'storage',
    get(A, 'storage', 'volumeGroups'),
    get(B, 'storage', 'volumeGroups'),
    '/storage/volumeGroups',
    (v) => `volume group ${str(v.name)}`,
  );
  keyed(
    out,
    'storage',
    get(A, 'storage', 'raid'),
    get(B, 'storage', 'raid'),
    '/storage/raid',
    (r) => `raid ${str(r.name)}`,
  );
  keyed(
    out,
    'storage',
    get(A, 'storage', 'mountpoints'),
    get(B, 'storage', 'mountpoints'),
    '/storage/mountpoints',
    (m) => `mountpoint ${str(m.mountpoint)}`,
  );
  scalars(out, 'boot', A.boot, B.boot, '/boot');
  keyed(out, 'outputs', A.outputs, B.outputs, '/outputs', (o) =>
    [o.type, o.format].filter(Boolean).map(str).join(':'),
  );
  stringSet(out, 'sbom', A.sbom, B.sbom, '/sbom', (f) => `sbom ${f}`);
  keyed(out, 'containers', A.containers, B.containers, '/containers', (c) => str(c.source));
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: a walk over plain JSON
type Json = Record<string, any>;

// biome-ignore lint/suspicious/noExplicitAny: a walk over plain JSON
function get(v: unknown, ...path: string[]): any {
  // biome-ignore lint/suspicious/noExplicitAny: a walk over plain JSON
  let cur: any = v;
  for (const k of path) cur = cur === null || typeof cur !== 'object' ? undefined : cur[k];
  return cur;
}

function pick(v: unknown, keys: readonly string[]): Json | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const out: Json = {};
  for (const k of keys) if ((v as Json)[k] !== undefined) out[k] = (v as Json)[k];
  return out;
}

function wrap(key: string, v: unknown): Json | undefined {
  return v === undefined ? undefined : { [key]: v };
}

const str = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const firstLine = (v: unknown) => {
  const s = typeof v === 'string' ? v.trim().split('\n')[0]! : String(v);
  return s.length > 50 ? `${s.slice(0, 47)}...` : s;
};

function repoKey(r: Json): string {
  return str(r.id);
}

function partitionKey(p: Json): string {
  return `partition ${str(p.mountpoint ?? p.role ?? p.name ?? p.filesystem ?? '?')}`;
}

function leafMap(v: unknown): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const [ptr, value] of leaves(v)) m.set(ptr.slice(1), value);
  return m;
}

function fieldChanges(a: unknown, b: unknown): FieldChange[] {
  const la = leafMap(a);
  const lb = leafMap(b);
  const fields: FieldChange[] = [];
  for (const k of new Set([...la.keys(), ...lb.keys()])) {
    const x = la.get(k);
    const y = lb.get(k);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    const f: FieldChange = { field: k };
    if (x !== undefined) f.a = x;
    if (y !== undefined) f.b = y;
    fields.push(f);
  }
  return fields;
}

/** Objects of settings: one `changed` entry per differing top-level key. */
function scalars(out: IrChange[], area: DiffArea, a: Json | undefined, b: Json | undefined, base: string) {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  for (const key of keys) {
    const x = a?.[key];
    const y = b?.[key];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    const ptr = `${base}/${escapeToken(key)}`;
    if (x === undefined)
      out.push({ area, kind: 'added', key, pointerB: ptr, fields: fieldChanges(undefined, { [key]: y }) });
    else if (y === undefined)
      out.push({ area, kind: 'removed', key, pointerA: ptr, fields: fieldChanges({ [key]: x }, undefined) });
    else
      out.push({
        area,
        kind: 'changed',
        key,
        pointerA: ptr,
        pointerB: ptr,
        fields: fieldChanges({ [key]: x }, { [key]: y }),
      });
  }
}

function stringSet(
  out: IrChange[],
  area: DiffArea,
  a: unknown,
  b: unknown,
  base: string,
  label: (s: string) => string,
) {
  const la = (Array.isArray(a) ? a : []) as string[];
  const lb = (Array.isArray(b) ? b : []) as string[];
  const sb = new Set(lb);
  const sa = new Set(la);
  la.forEach((x, i) => {
    if (!sb.has(x))
      out.push({ area, kind: 'removed', key: label(x), pointerA: pointer(...base.slice(1).split('/'), i) });
  });
  lb.forEach((x, i) => {
    if (!sa.has(x))
      out.push({ area, kind: 'added', key: label(x), pointerB: pointer(...base.slice(1).split('/'), i) });
  });
}

/** Lists of objects matched by identity; duplicates after the first are compared in order. */
function keyed(
  out: IrChange[],
  area: DiffArea,
  a: unknown,
  b: unknown,
  base: string,
  keyOf: (item: Json) => string,
) {
  const la = (Array.isArray(a) ? a : []) as Json[];
  const lb = (Array.isArray(b) ? b : []) as Json[];
  const index = (list: Json[]) => {
    const m = new Map<string, number[]>();
    list.forEach((item, i) => {
      const k = keyOf(item);
      const at = m.get(k) ?? [];
      at.push(i);
      m.set(k, at);
    });
    return m;
  };
  const ia = index(la);
  const ib = index(lb);
  const at = (i: number) => `${base}/${i}`;
  for (const [key, positions] of ia) {
    const other = ib.get(key) ?? [];
    positions.forEach((i, n) => {
      const j = other[n];
      if (j === undefined) {
        out.push({ area, kind: 'removed', key, pointerA: at(i) });
        return;
      }
      const fields = fieldChanges(la[i], lb[j]);
      if (fields.length) out.push({ area, kind: 'changed', key, pointerA: at(i), pointerB: at(j), fields });
    });
  }
  for (const [key, positions] of ib) {
    const other = ia.get(key) ?? [];
    positions.slice(other.length).forEach((j) => {
      out.push({ area, kind: 'added', key, pointerB: at(j) });
    });
  }
}

/** The IR with only the leaves that every capability table claims; lists keep their order. */
export function project(ir: ImageIR, tables: readonly (readonly string[])[]): ImageIR {
  const compiled = tables.map((t) => t.map(parsePointer));
  // list indices never decide a match unless a pattern names one, so results are shared per shape
  const byShape = !compiled.some((t) => t.some((q) => q.some((tok) => /^\d+$/.test(tok))));
  const shape = (ptr: string) => (byShape ? ptr.replace(/\/\d+(?=\/|$)/g, '/0') : ptr);
  const reach = new Map<string, 'none' | 'all' | 'some'>();
  const leaf = new Map<string, boolean>();
  const keep = (ptr: string) => {
    const key = shape(ptr);
    let hit = leaf.get(key);
    if (hit === undefined) {
      const p = parsePointer(key);
      hit = compiled.every((t) => t.some((q) => matchesTokens(p, q)));
      leaf.set(key, hit);
    }
    return hit;
  };
  const reachOf = (ptr: string) => {
    const key = shape(ptr);
    let r = reach.get(key);
    if (r === undefined) {
      const p = parsePointer(key);
      if (!compiled.every((t) => t.some((q) => reachesTokens(p, q)))) r = 'none';
      else if (compiled.every((t) => t.some((q) => q[q.length - 1] === '**' && matchesTokens(p, q))))
        r = 'all';
      else r = 'some';
      reach.set(key, r);
    }
    return r;
  };
  const walk = (node: unknown, ptr: string): unknown => {
    if (ptr !== '') {
      const r = reachOf(ptr);
      if (r === 'none') return undefined;
      if (r === 'all') return node;
    }
    if (Array.isArray(node)) {
      const items = node.map((child, i) => walk(child, `${ptr}/${i}`));
      return items.some((x) => x !== undefined) ? items.map((x) => x ?? {}) : [];
    }
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(node)) {
        const v = walk(child, `${ptr}/${escapeToken(k)}`);
        if (v !== undefined) out[k] = v;
      }
      return Object.keys(out).length ? out : undefined;
    }
    return keep(ptr) ? node : undefined;
  };
  const projected = (walk(ir, '') ?? {}) as Record<string, unknown>;
  // keep the required skeleton so the result is still an IR-shaped object
  return normalizeIr({
    ...emptyLists(),
    ...projected,
    irVersion: ir.irVersion,
    profiles: projected.profiles ?? [],
    activeProfiles: projected.activeProfiles ?? [],
  } as unknown as ImageIR);
}

/** The IR skeleton without the fields the projection sets itself, in emptyIr's key order. */
function emptyLists() {
  const { irVersion: _version, profiles: _profiles, activeProfiles: _active, ...lists } = emptyIr();
  return { ...lists, metadata: undefined, storage: undefined, boot: undefined };
}
