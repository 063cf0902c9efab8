/** Containerfile vocabulary both the reader and the writer use. */

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
  /** bootc-image-builder config keys without an IR field (installer, iso, sshd, …) */
  config?: Record<string, unknown>;
}
