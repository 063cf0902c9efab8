/** Containerfile vocabulary both the reader and the writer use. */

import { familyOf } from '../../ir/distribution.js';
import type { Partition } from '../../ir/schema.js';
import { lookupTable } from '../../lib/lookup-table.js';

/** the partition role bib's mountpoint implies (the writer checks a role against it) */
export const ROLE_BY_MOUNT: Record<string, Partition['role']> = lookupTable({
  '/': 'root',
  '/boot': 'boot',
  '/boot/efi': 'esp',
  '/efi': 'esp',
  '/home': 'home',
  '/var': 'var',
  '/usr': 'usr',
  '/srv': 'srv',
  '/tmp': 'tmp',
});

/** What only a Containerfile says; the containerfile writer reads it back. */
export interface ContainerfileExtension {
  /** the base image as written, when the distribution table would not give it back */
  from?: string;
  /** --platform of FROM when it is not the IR architecture's platform */
  platform?: string;
  /** `ARG …` lines before the first FROM, as written */
  globalArgs?: string[];
  /** ARG/ENV lines of the image stage, as written (`ARG X=1`, `ENV A b`) */
  env?: string[];
  /** LABELs that are not image metadata */
  labels?: Record<string, string>;
  /** build stages that are not the image (e.g. `FROM scratch AS ctx`), verbatim */
  stages?: string[];
  /** instructions without an IR meaning (USER, WORKDIR, CMD, COPY --from=…), verbatim */
  instructions?: string[];
  /** RUN flags (e.g. --mount=…) of the build script with that index */
  scriptFlags?: Record<string, string>;
  /** the package manager the RUN lines use, when the distribution (or its absence) would not give it back */
  packageManager?: PackageFamily;
  /** bootc-image-builder config keys without an IR field (installer, iso, sshd, …) */
  config?: Record<string, unknown>;
}

export type PackageFamily = 'dnf' | 'apt' | 'zypper' | 'pacman';

const FAMILY_BY_DISTRO_FAMILY: Record<string, PackageFamily> = lookupTable({
  debian: 'apt',
  suse: 'zypper',
  arch: 'pacman',
  redhat: 'dnf',
  mageia: 'dnf',
});

/** dnf-based distributions the IR's family table does not list. */
const MORE_DNF_IDS = new Set(['openeuler', 'amazonlinux', 'amzn', 'oraclelinux', 'ol', 'openmandriva']);

/** The package manager the base image runs, if the writer knows one for the distribution. */
export function packageFamily(id: string | undefined): PackageFamily | undefined {
  if (id === undefined) return undefined;
  if (MORE_DNF_IDS.has(id)) return 'dnf';
  const family = familyOf(id);
  return family === undefined ? undefined : FAMILY_BY_DISTRO_FAMILY[family];
}
