/** mkosi setting names, tree kinds and repart types both the reader and the writer use. */

import { OUTPUT_TYPES, type OutputType, type Overlay, type Partition, type Script } from '../../ir/schema.js';
import { lookupTable } from '../../lib/lookup-table.js';
import { ENUMS } from './settings.js';

/** What only mkosi says, kept in `extensions.mkosi` so a round trip loses nothing. */
export interface MkosiExtension {
  /** configured settings without an exact IR field: name → value (strings, lists, maps) */
  settings: Record<string, ExtensionValue>;
  /** legacy keys that have no modern equivalent */
  legacy?: { name: string; section: string; value: string }[];
  /** where each repository's file sits in the tree (parallel to `repositories`) */
  repositoryPaths?: string[];
  /** sub-images from mkosi.images/, with their own (local) settings */
  images?: { name: string; settings: Record<string, ExtensionValue> }[];
  /** repart files lowered to storage: per partition, its file name and keys without an IR field */
  repart?: { file: string; extra: Record<string, string[]> }[];
  /** sysusers.d files inside extra trees that were lowered to accounts, with what each declared */
  sysusers?: { file: string; users: string[]; groups: string[] }[];
  /** configurations built into mkosi (Include=mkosi-*) that could not be read; written back as Include= */
  builtinIncludes?: string[];
}

export type ExtensionValue = string | boolean | string[] | Record<string, string>;

export const OS_RELEASE_ID: Record<string, string> = lookupTable({
  alma: 'almalinux',
  azure: 'azurelinux',
  'rhel-ubi': 'rhel',
});

export const SCRIPT_PHASES: Record<string, Script['phase']> = lookupTable({
  SyncScripts: 'sync',
  PrepareScripts: 'prepare',
  BuildScripts: 'build',
  PostInstallationScripts: 'post-install',
  FinalizeScripts: 'finalize',
  PostOutputScripts: 'post-output',
  CleanScripts: 'clean',
});

export const TREE_KINDS: Record<string, NonNullable<Overlay['kind']>> = lookupTable({
  SkeletonTrees: 'skeleton',
  ExtraTrees: 'extra',
  SandboxTrees: 'package-manager',
});

export function splitTree(item: string): { src: string; dst?: string } {
  const i = item.indexOf(':', 1);
  return i < 0 ? { src: item } : { src: item.slice(0, i), dst: item.slice(i + 1) };
}

export const REPART_ROLES: Record<string, NonNullable<Partition['role']>> = lookupTable({
  esp: 'esp',
  xbootldr: 'xbootldr',
  swap: 'swap',
  home: 'home',
  srv: 'srv',
  var: 'var',
  tmp: 'tmp',
  root: 'root',
  usr: 'usr',
  'root-verity': 'root-verity',
  'usr-verity': 'usr-verity',
});

/** the repart Type= imgc writes for a role */
export const ROLE_TO_REPART_TYPE: Record<string, string> = lookupTable({
  ...Object.fromEntries(Object.entries(REPART_ROLES).map(([k, v]) => [v, k])),
  'bios-boot': '21686148-6449-6e6f-744e-656564454649',
  data: 'linux-generic',
});

/** what a partition without a role is written as (and read back as: no role) */
export const GENERIC_TYPE = 'linux-generic';

/** the file name imgc gives the i-th partition when the source named none */
export function defaultRepartName(count: number, i: number, role: string | undefined): string {
  const width = count > 10 ? 3 : 2;
  return `mkosi.repart/${String(i * 10).padStart(width, '0')}-${role ?? 'partition'}.conf`;
}

/** The IR output types mkosi builds, under a `Format=` value of the same name (the others it has not). */
export const MKOSI_OUTPUT_TYPES: ReadonlySet<string> = new Set<OutputType>(
  OUTPUT_TYPES.filter((type) => ENUMS.OutputFormat!.includes(type)),
);
