/**
 * The bootc-image-builder config (`config.toml` / `config.json`, a blueprint subset) and
 * bootc `kargs.d` files → IR. What bib accepts but the IR has no field for (installer, iso,
 * sshd, ignition, unknown keys) is kept as-is in `extensions.containerfile.config`.
 */

import { parse as parseToml } from 'smol-toml';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { tooDeepDiagnostic } from '../../../input/nesting.js';
import { pointer } from '../../../ir/pointer.js';
import type { PositionTable } from '../../../ir/positions.js';
import type { ImageIR, Partition, Storage, User } from '../../../ir/schema.js';
import { lookupTable } from '../../../lib/lookup-table.js';
import { containerfileCodes } from '../codes.js';
import { ROLE_BY_MOUNT } from '../vocabulary.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const KEPT_AS_IS = new Set(['installer', 'iso', 'sshd', 'ignition']);
const UNITS: Record<string, number> = lookupTable({
  b: 1,
  kb: 1e3,
  kib: 1024,
  mb: 1e6,
  mib: 1024 ** 2,
  gb: 1e9,
  gib: 1024 ** 3,
  tb: 1e12,
  tib: 1024 ** 4,
});

/** Bytes, or undefined when unreadable; a size past what an IR integer holds (2^53) is unreadable. */
export function parseSize(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(v);
  if (!m) return undefined;
  const unit = UNITS[(m[2] || 'b').toLowerCase()];
  const bytes = unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
  return bytes !== undefined && Number.isSafeInteger(bytes) ? bytes : undefined;
}

const SIZE = 'bytes or a size such as "20 GiB", below 8 PiB';

/** A size key's bytes; a present but unreadable value is reported, never dropped in silence. */
function sizeOf(value: unknown, key: string, bad: (key: string, expected: string) => void) {
  const bytes = parseSize(value);
  if (bytes === undefined && value !== undefined) bad(key, SIZE);
  return bytes;
}

/** Line numbers of TOML table headers, by header name, in order. */
function headerLines(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /^\s*\[\[?\s*([\w.-]+)\s*\]\]?/.exec(line);
    if (!m) return;
    const lines = out.get(m[1]!) ?? [];
    lines.push(i + 1);
    out.set(m[1]!, lines);
  });
  return out;
}

function keyLine(text: string, key: string): number | undefined {
  const idx = text.split(/\r?\n/).findIndex((l) => new RegExp(`^\\s*"?${key}"?\\s*=`).test(l));
  return idx < 0 ? undefined : idx + 1;
}

export interface ConfigLowering {
  diagnostics: Diagnostic[];
  /** bib keys kept as-is */
  kept?: Obj;
}

/** Applies a bib config to `ir` (users, groups, kernel args, storage, files, directories, fips). */
export function lowerBibConfig(
  text: string,
  file: string,
  ir: ImageIR,
  positions: PositionTable,
): ConfigLowering {
  const diagnostics: Diagnostic[] = [];
  const tooDeep = tooDeepDiagnostic(text, file.endsWith('.json') ? 'json' : 'toml', file);
  if (tooDeep) return { diagnostics: [tooDeep] };
  let data: Obj;
  try {
    data = file.endsWith('.json')
      ? (JSON.parse(text.replace(/^\uFEFF/, '')) as Obj)
      : (parseToml(text.replace(/^\uFEFF/, '')) as Obj);
    if (isObj(data.blueprint)) data = data.blueprint as Obj;
  } catch (e) {
    const detail = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    const line = /line (\d+)/.exec(String(e))?.[1];
    diagnostics.push(
      diag(
        containerfileCodes.badConfig,
        { file, detail },
        { file, line: line ? Number(line) : 1, column: 1 },
      ),
    );
    return { diagnostics };
  }
  const headers = headerLines(text);
  const at = (header: string, n = 0) => ({ file, line: headers.get(header)?.[n] ?? 1, column: 1 });
  const kept: Obj = {};
  const keep = (path: string[], value: unknown) => {
    let cur = kept;
    for (const k of path.slice(0, -1)) {
      cur[k] ??= {};
      cur = cur[k] as Obj;
    }
    cur[path[path.length - 1]!] = value;
  };
  for (const [key, value] of Object.entries(data)) {
    if (key === 'customizations' && isObj(value)) continue;
    diagnostics.push(diag(containerfileCodes.unknownConfigKey, { key }, at(key)));
    keep([key], value);
  }
  const c = isObj(data.customizations) ? data.customizations : {};
  const bad = (key: string, expected: string) =>
    diagnostics.push(
      diag(containerfileCodes.badConfigValue, { key, expected }, at(`customizations.${key.split('.')[0]}`)),
    );
  for (const [key, value] of Object.entries(c)) {
    const header = `customizations.${key}`;
    switch (key) {
      case 'user':
        if (!Array.isArray(value)) bad(key, 'an array of tables [[customizations.user]]');
        else
          value.forEach((u, n) => {
            if (!isObj(u) || typeof u.name !== 'string') {
              bad(key, 'a table with a name');
              return;
            }
            addUser(ir, positions, u, at(header, n), bad);
          });
        break;
      case 'group':
        if (!Array.isArray(value)) bad(key, 'an array of tables [[customizations.group]]');
        else
          value.forEach((g, n) => {
            if (!isObj(g) || typeof g.name !== 'string') {
              bad(key, 'a table with a name');
              return;
            }
            positions[pointer('accounts', 'groups', ir.accounts.groups.length)] = at(header, n);
            const gid = wholeNumber(g.gid, 0, () => bad('group.gid', WHOLE));
            ir.accounts.groups.push(gid === undefined ? { name: g.name } : { name: g.name, gid });
          });
        break;
      case 'kernel':
        if (!isObj(value)) bad(key, 'a table');
        else {
          for (const k of Object.keys(value))
            if (k !== 'append')
              diagnostics.push(
                diag(containerfileCodes.unknownConfigKey, { key: `customizations.kernel.${k}` }, at(header)),
              );
          if (typeof value.append === 'string') {
            const line = keyLine(text, 'append') ?? at(header).line;
            for (const arg of value.append.split(/\s+/).filter(Boolean)) {
              if (ir.system.kernel.cmdline.includes(arg)) continue;
              positions[pointer('system', 'kernel', 'cmdline', ir.system.kernel.cmdline.length)] = {
                file,
                line,
                column: 1,
              };
              ir.system.kernel.cmdline.push(arg);
            }
          }
        }
        break;
      case 'filesystem':
        if (!Array.isArray(value)) bad(key, 'an array of tables [[customizations.filesystem]]');
        else {
          ir.storage ??= emptyStorage();
          const storage = ir.storage;
          value.forEach((fs, n) => {
            const size = isObj(fs) ? parseSize(fs.minsize ?? fs.size) : undefined;
            if (!isObj(fs) || typeof fs.mountpoint !== 'string' || size === undefined) {
              bad(key, 'mountpoint and minsize (bytes or "20 GiB")');
              return;
            }
            positions[pointer('storage', 'mountpoints', storage.mountpoints.length)] = at(header, n);
            storage.mountpoints.push({ mountpoint: fs.mountpoint, size: { min: size } });
          });
        }
        break;
      case 'disk':
        if (!isObj(value)) bad(key, 'a table');
        else lowerDisk(value, ir, positions, at(header), bad);
        break;
      case 'files':
        if (!Array.isArray(value)) bad(key, 'an array of tables');
        else
          value.forEach((f, n) => {
            if (!isObj(f) || typeof f.path !== 'string') {
              bad(key, 'a table with a path');
              return;
            }
            positions[pointer('files', ir.files.length)] = at(header, n);
            ir.files.push({
              path: f.path,
              ...(typeof f.data === 'string' ? { content: f.data } : {}),
              ...(typeof f.uri === 'string' ? { source: f.uri } : {}),
              ...(typeof f.mode === 'string' ? { mode: f.mode } : {}),
              ...owner(f, key, bad),
            });
          });
        break;
      case 'directories':
        if (!Array.isArray(value)) bad(key, 'an array of tables');
        else
          value.forEach((d, n) => {
            if (!isObj(d) || typeof d.path !== 'string') {
              bad(key, 'a table with a path');
              return;
            }
            positions[pointer('directories', ir.directories.length)] = at(header, n);
            ir.directories.push({
              path: d.path,
              ...(typeof d.mode === 'string' ? { mode: d.mode } : {}),
              ...owner(d, key, bad),
              ...(typeof d.ensure_parents === 'boolean' ? { ensureParents: d.ensure_parents } : {}),
            });
          });
        break;
      case 'fips':
        if (typeof value !== 'boolean') bad(key, 'true or false');
        else {
          ir.system.fips = value;
          positions['/system/fips'] = { file, line: keyLine(text, 'fips') ?? 1, column: 1 };
        }
        break;
      default:
        if (!KEPT_AS_IS.has(key))
          diagnostics.push(
            diag(containerfileCodes.unknownConfigKey, { key: `customizations.${key}` }, at(header)),
          );
        keep(['customizations', key], value);
    }
  }
  return Object.keys(kept).length ? { diagnostics, kept } : { diagnostics };
}

const WHOLE = 'a whole number, 0 or more';

/**
 * A TOML number the IR keeps as an integer: floats, `inf` and values past 2^53 (`gid =
 * 21e999`, found by fuzzing) are reported through `bad` and left out, not put in the IR.
 */
function wholeNumber(v: unknown, min: number, bad: () => void): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min) return v;
  bad();
  return undefined;
}

function owner(
  o: Obj,
  section: string,
  bad: (key: string, expected: string) => void,
): { user?: string | number; group?: string | number } {
  const out: { user?: string | number; group?: string | number } = {};
  for (const key of ['user', 'group'] as const) {
    const v = o[key];
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number') {
      const id = wholeNumber(v, 0, () => bad(`${section}.${key}`, `a name or ${WHOLE}`));
      if (id !== undefined) out[key] = id;
    }
  }
  return out;
}

function addUser(
  ir: ImageIR,
  positions: PositionTable,
  u: Obj,
  at: { file: string; line: number; column: number },
  bad: (key: string, expected: string) => void,
) {
  const keys =
    typeof u.key === 'string'
      ? u.key
          .split('\n')
          .map((k) => k.trim())
          .filter(Boolean)
      : [];
  const password: User['password'] = {};
  if (typeof u.password === 'string' && u.password !== '') {
    if (/^\$[0-9a-z]+\$/.test(u.password)) password.hash = u.password;
    else password.plain = u.password;
  }
  if (u.force_password_reset === true) password.forceChange = true;
  const rootOnly = Object.keys(u).every((k) => ['name', 'password', 'key', 'shell'].includes(k));
  if (u.name === 'root' && rootOnly && !ir.accounts.root) {
    const root: NonNullable<ImageIR['accounts']['root']> = { sshKeys: keys };
    if (Object.keys(password).length) root.password = password;
    if (typeof u.shell === 'string') root.shell = u.shell;
    ir.accounts.root = root;
    positions['/accounts/root'] = at;
    return;
  }
  const user: User = { name: u.name as string, groups: [], sshKeys: keys };
  const uid = wholeNumber(u.uid, 0, () => bad('user.uid', WHOLE));
  if (uid !== undefined) user.uid = uid;
  const gid = wholeNumber(u.gid, 0, () => bad('user.gid', WHOLE));
  if (gid !== undefined) user.gid = gid;
  if (Array.isArray(u.groups)) user.groups = u.groups.filter((g): g is string => typeof g === 'string');
  if (typeof u.description === 'string') user.description = u.description;
  if (typeof u.home === 'string') user.home = u.home;
  if (typeof u.shell === 'string') user.shell = u.shell;
  const expireDate = wholeNumber(u.expiredate, Number.MIN_SAFE_INTEGER, () =>
    bad('user.expiredate', 'a whole number of days'),
  );
  if (expireDate !== undefined) user.expireDate = expireDate;
  if (Object.keys(password).length) user.password = password;
  positions[pointer('accounts', 'users', ir.accounts.users.length)] = at;
  ir.accounts.users.push(user);
}

export function emptyStorage(): Storage {
  return { partitions: [], volumeGroups: [], raid: [], mountpoints: [] };
}

const sizeKey = (min: number | undefined) => (min === undefined ? {} : { size: { min } });

function lowerDisk(
  disk: Obj,
  ir: ImageIR,
  positions: PositionTable,
  at: { file: string; line: number; column: number },
  bad: (key: string, expected: string) => void,
) {
  ir.storage ??= emptyStorage();
  const storage = ir.storage;
  storage.mode = 'explicit';
  positions['/storage'] = at;
  if (disk.type === 'gpt' || disk.type === 'dos') storage.partitionTable = disk.type;
  const min = sizeOf(disk.minsize, 'disk.minsize', bad);
  if (min !== undefined) storage.size = { min };
  const sectorSize = wholeNumber(disk.sector_size, 512, () =>
    bad('disk.sector_size', 'a whole number, 512 or more'),
  );
  if (sectorSize !== undefined) storage.sectorSize = sectorSize;
  const offset = sizeOf(disk.start_offset, 'disk.start_offset', bad);
  if (offset !== undefined) storage.startOffset = offset;
  const parts = Array.isArray(disk.partitions) ? disk.partitions : [];
  for (const p of parts) {
    if (!isObj(p)) {
      bad('disk.partitions', 'tables');
      continue;
    }
    const part: Partition = {};
    const size = sizeOf(p.minsize, 'disk.partitions.minsize', bad);
    if (size !== undefined) part.size = { min: size };
    if (typeof p.part_type === 'string') part.typeUuid = p.part_type;
    if (typeof p.part_label === 'string') part.name = p.part_label;
    if (typeof p.part_uuid === 'string') part.uuid = p.part_uuid;
    const type = typeof p.type === 'string' ? p.type : 'plain';
    if (type === 'lvm') {
      const name = typeof p.name === 'string' ? p.name : `vg${storage.volumeGroups.length}`;
      part.role = 'lvm';
      part.volumeGroup = name;
      const lvs = Array.isArray(p.logical_volumes) ? p.logical_volumes.filter(isObj) : [];
      storage.volumeGroups.push({
        name,
        logicalVolumes: lvs.map((lv, n) => ({
          name: typeof lv.name === 'string' ? lv.name : `lv${n}`,
          ...(typeof lv.mountpoint === 'string' ? { mountpoint: lv.mountpoint } : {}),
          ...(typeof lv.fs_type === 'string' ? { filesystem: lv.fs_type } : {}),
          ...(typeof lv.label === 'string' ? { fsLabel: lv.label } : {}),
          ...sizeKey(sizeOf(lv.minsize, 'disk.partitions.logical_volumes.minsize', bad)),
        })),
      });
    } else if (type === 'btrfs') {
      part.filesystem = 'btrfs';
      const subs = Array.isArray(p.subvolumes) ? p.subvolumes.filter(isObj) : [];
      part.subvolumes = subs.map((s) => ({
        name: String(s.name ?? ''),
        ...(typeof s.mountpoint === 'string' ? { mountpoint: s.mountpoint } : {}),
      }));
    } else {
      if (typeof p.mountpoint === 'string') {
        part.mountpoint = p.mountpoint;
        const role = ROLE_BY_MOUNT[p.mountpoint];
        if (role) part.role = role;
      }
      if (typeof p.fs_type === 'string') part.filesystem = p.fs_type;
      if (p.fs_type === 'swap') part.role = 'swap';
      if (typeof p.label === 'string') part.fsLabel = p.label;
    }
    positions[pointer('storage', 'partitions', storage.partitions.length)] = at;
    storage.partitions.push(part);
  }
}

/** A bootc kargs.d file: `kargs = [...]`, optional `match-architectures`. */
export function parseKargs(
  text: string,
  file: string,
): { kargs: string[]; arches?: string[]; diagnostics: Diagnostic[] } {
  try {
    const data = parseToml(text.replace(/^\uFEFF/, '')) as Obj;
    const kargs = Array.isArray(data.kargs)
      ? data.kargs.filter((k): k is string => typeof k === 'string')
      : [];
    const arches = Array.isArray(data['match-architectures'])
      ? data['match-architectures'].filter((a): a is string => typeof a === 'string')
      : undefined;
    return arches ? { kargs, arches, diagnostics: [] } : { kargs, diagnostics: [] };
  } catch (e) {
    const detail = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return {
      kargs: [],
      diagnostics: [diag(containerfileCodes.badConfig, { file, detail }, { file, line: 1, column: 1 })],
    };
  }
}
