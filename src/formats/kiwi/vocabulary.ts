/** KIWI spellings and folder conventions both the reader and the writer use. */

import type { Output, Script } from '../../ir/schema.js';
import { lookupTable } from '../../lib/lookup-table.js';

export const DOCKER_FORMAT = 'docker-archive';

/** The image= value the writer produces for an output, so the reader consumes only what comes back. */
export function imageOfOutput(o: Pick<Output, 'type' | 'format'>): string | undefined {
  switch (o.type) {
    case 'disk':
      return 'oem';
    case 'iso':
      return 'iso';
    case 'pxe':
      return 'pxe';
    case 'oci':
      return o.format === DOCKER_FORMAT ? 'docker' : 'oci';
    case 'tar':
      return 'tbz';
    case 'cpio':
      return 'cpio';
    case 'wsl':
      return 'wsl';
    default:
      return undefined;
  }
}

export const DEFAULT_CONTAINER_BACKEND = 'podman';

/** registry/path/name:tag → its parts; the registry is everything before the first slash. */
export function parseContainerReference(ref: string): {
  host: string;
  path?: string;
  name: string;
  tag?: string;
} {
  const slash = ref.indexOf('/');
  const host = slash < 0 ? '' : ref.slice(0, slash);
  let rest = slash < 0 ? ref : ref.slice(slash + 1);
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const last = rest.lastIndexOf('/');
  const name = last < 0 ? rest : rest.slice(last + 1);
  const path = last < 0 ? undefined : rest.slice(0, last);
  return { host, name, ...(path ? { path } : {}), ...(tag !== undefined ? { tag } : {}) };
}

/** How the writer spells a size: whole GiB as `NG`, else MiB as `NM`. */
export function formatKiwiSize(bytes: number): string {
  return bytes % (1024 * MIB) === 0 ? `${bytes / (1024 * MIB)}G` : `${Math.ceil(bytes / MIB)}M`;
}

/** Text for locale `en_US`: KIWI configures `en_US.UTF-8`. */
export function localeToIr(value: string): string {
  return value.includes('.') || value === 'C' || value === 'POSIX' ? value : `${value}.UTF-8`;
}

/** Description-folder scripts: file name → when KIWI runs it. */
export const SCRIPT_FILES: Record<string, Pick<Script, 'phase' | 'chroot'>> = lookupTable({
  'post_bootstrap.sh': { phase: 'pre-packages', chroot: true },
  'config.sh': { phase: 'post-install', chroot: true },
  'config-overlay.sh': { phase: 'post-install', chroot: true },
  'config-host-overlay.sh': { phase: 'post-install', chroot: false },
  'images.sh': { phase: 'finalize', chroot: true },
  'pre_disk_sync.sh': { phase: 'pre-disk', chroot: true },
  'disk.sh': { phase: 'disk', chroot: true },
  'edit_boot_config.sh': { phase: 'disk', chroot: false },
  'edit_boot_install.sh': { phase: 'disk', chroot: false },
});

export const ROOT_OVERLAY = 'root';

/** KIWI has no hostname setting; descriptions set it with this overlay file. */
export const HOSTNAME_FILE = 'root/etc/hostname';

export const MIB = 1024 * 1024;

/** `\d+` (MiB), `\d+M`, `\d+G` → bytes. */
export function parseKiwiSize(value: string | undefined): number | undefined {
  const m = /^(\d+)([MG]?)$/.exec(value ?? '');
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'G' ? 1024 * MIB : MIB);
}

export function containerReference(
  host: string,
  path: string | undefined,
  name: string,
  tag: string | undefined,
): string {
  return `${host}/${path ? `${path}/` : ''}${name}${tag !== undefined ? `:${tag}` : ''}`;
}
