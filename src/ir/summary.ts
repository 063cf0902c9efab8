/**
 * A readable, resolved view of a definition (what `imgc summary` prints), in the spirit of
 * `mkosi summary` and `kiwi-ng image info`: the effective image with its profiles merged,
 * where each distribution value came from, and accounts without any secret.
 */
import type { Diagnostic } from '../diagnostics/types.js';
import { type PositionTable, positionOf } from './positions.js';
import { mergeProfiles } from './profiles.js';
import type { ImageIR, Partition, Password, SizeRange } from './schema.js';

export interface Summary {
  source: { path: string; format: string | null; files: string[] };
  name?: string;
  distribution: {
    id?: string;
    release?: string;
    architecture?: string;
    /** how imgc knows: stated at a position, given with --distro, inferred (with the reader's note), or unknown */
    how: string;
  };
  repositories: { id: string; type?: string; urls: string[]; suites?: string[]; components?: string[] }[];
  packages: { install: string[]; exclude: string[]; groups: string[]; remove: string[] };
  users: {
    name: string;
    uid?: number;
    groups: string[];
    shell?: string;
    home?: string;
    /**
     * how the account logs in, never the secret: `no password`, `locked`, `empty password`,
     * `hashed password`, `clear-text password` (a key not named "password", which printers redact)
     */
    login: string;
    sshKeys: number;
  }[];
  services: { enable: string[]; disable: string[]; mask: string[] };
  outputs: string[];
  disk?: {
    partitionTable?: string;
    mode?: string;
    partitions: { mountpoint?: string; role?: string; filesystem?: string; size?: string }[];
  };
  scripts: { phase: string; name?: string; where: string; lines: number; source?: string }[];
  profiles: { name: string; active: boolean; default: boolean; description?: string }[];
}

function loginOf(p: Password | undefined): string {
  if (p?.locked) return 'locked';
  if (p?.empty) return 'empty password';
  if (p?.hash) return 'hashed password';
  if (p?.plain !== undefined) return 'clear-text password';
  return 'no password';
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MiB`;

function sizeText(s: SizeRange | undefined, grow: boolean | undefined): string | undefined {
  const parts = [];
  if (s?.min !== undefined) parts.push(s.max === s.min ? mib(s.min) : `≥ ${mib(s.min)}`);
  if (s?.max !== undefined && s.max !== s.min) parts.push(`≤ ${mib(s.max)}`);
  if (grow) parts.push('grows');
  return parts.length ? parts.join(', ') : undefined;
}

function partitionOf(p: Partition) {
  const size = sizeText(p.size, p.grow);
  return {
    ...(p.mountpoint ? { mountpoint: p.mountpoint } : {}),
    ...(p.role ? { role: p.role } : {}),
    ...(p.filesystem ? { filesystem: p.filesystem } : {}),
    ...(size ? { size } : {}),
  };
}

function distributionHow(positions: PositionTable, diagnostics: readonly Diagnostic[]): string {
  const note = diagnostics.find(
    (d) => d.severity === 'info' && /distribution/.test(d.message) && /inferred|--distro/.test(d.message),
  );
  if (note) return `${note.message} (${note.code})`;
  const at = positions['/distribution/id'] ?? positionOf(positions, '/distribution/release');
  if (at) return `stated at ${at.file}:${at.line}:${at.column}`;
  return 'not stated and not inferred: pass --distro id:release';
}

export function summarize(input: {
  path: string;
  format: string | null;
  files: string[];
  ir: ImageIR;
  positions: PositionTable;
  diagnostics: readonly Diagnostic[];
}): Summary {
  const ir = mergeProfiles(input.ir);
  const d = ir.distribution;
  const root = ir.accounts.root;
  const users: Summary['users'] = [];
  if (root?.password || root?.sshKeys.length || root?.shell)
    users.push({
      name: 'root',
      uid: 0,
      groups: [],
      ...(root.shell ? { shell: root.shell } : {}),
      login: loginOf(root.password),
      sshKeys: root.sshKeys.length,
    });
  for (const u of ir.accounts.users)
    users.push({
      name: u.name,
      ...(u.uid !== undefined ? { uid: u.uid } : {}),
      groups: u.groups,
      ...(u.shell ? { shell: u.shell } : {}),
      ...(u.home ? { home: u.home } : {}),
      login: loginOf(u.password),
      sshKeys: u.sshKeys.length,
    });
  const names = (list: { name: string }[]) => list.map((p) => p.name);
  return {
    source: { path: input.path, format: input.format, files: input.files },
    ...(ir.metadata?.name ? { name: ir.metadata.name } : {}),
    distribution: {
      ...(d.id ? { id: d.id } : {}),
      ...(d.release ? { release: d.release } : {}),
      ...(d.architecture ? { architecture: d.architecture } : {}),
      how: distributionHow(input.positions, input.diagnostics),
    },
    repositories: ir.repositories.map((r) => ({
      id: r.id,
      ...(r.type ? { type: r.type } : {}),
      urls: r.urls,
      ...(r.suites ? { suites: r.suites } : {}),
      ...(r.components ? { components: r.components } : {}),
    })),
    packages: {
      install: names(ir.packages.install),
      exclude: names(ir.packages.exclude),
      groups: ir.packages.groups.map((g) => (g.kind ? `${g.kind}:${g.name}` : g.name)),
      remove: names(ir.packages.remove),
    },
    users,
    services: ir.system.services,
    outputs: ir.outputs.map((o) => [o.type, o.format, o.name].filter(Boolean).join(':')),
    ...(ir.storage
      ? {
          disk: {
            ...(ir.storage.partitionTable ? { partitionTable: ir.storage.partitionTable } : {}),
            ...(ir.storage.mode ? { mode: ir.storage.mode } : {}),
            partitions: ir.storage.partitions.map(partitionOf),
          },
        }
      : {}),
    scripts: ir.scripts.map((s) => ({
      phase: s.phase,
      ...(s.name ? { name: s.name } : {}),
      where: s.chroot ? 'in the image' : 'on the host',
      lines: s.body ? s.body.split('\n').filter(Boolean).length : 0,
      ...(s.source ? { source: s.source } : {}),
    })),
    profiles: input.ir.profiles.map((p) => ({
      name: p.name,
      active: input.ir.activeProfiles.includes(p.name),
      default: Boolean(p.default),
      ...(p.description ? { description: p.description } : {}),
    })),
  };
}
