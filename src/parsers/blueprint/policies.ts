/** osbuild's size syntax and path policies (reference: blueprint.md §2.3–2.4). */

const UNITS: Record<string, number> = {
  B: 1,
  kB: 1000,
  KB: 1000,
  KiB: 1024,
  MB: 1000 ** 2,
  MiB: 1024 ** 2,
  GB: 1000 ** 3,
  GiB: 1024 ** 3,
  TB: 1000 ** 4,
  TiB: 1024 ** 4,
};

/** Bytes from an integer or a string such as "20 GiB"; undefined when unreadable. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(value);
  if (!m) return undefined;
  const unit = m[2] || 'B';
  const factor = UNITS[unit];
  if (factor === undefined) return undefined;
  return Math.round(Number(m[1]) * factor);
}

/** The shortest exact "N Unit" spelling of a byte count, in binary units. */
export function formatSize(bytes: number): string | number {
  for (const [unit, factor] of [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor} ${unit}`;
  }
  return bytes;
}

const DENIED_MOUNTPOINTS = ['/etc', '/sys', '/proc', '/dev', '/run', '/bin', '/sbin', '/lib', '/lib64', '/lost+found', '/sysroot', '/var/run', '/var/lock'];
const DENIED_DIRECTORIES = ['/bin', '/boot', '/dev', '/efi', '/lib', '/lib64', '/lost+found', '/proc', '/run', '/sbin', '/sys', '/sysroot', '/tmp', '/usr', '/var/run', '/var/tmp'];
const DENIED_FILES = ['/etc/fstab', '/etc/group', '/etc/passwd', '/etc/shadow'];

const under = (path: string, root: string) => path === root || path.startsWith(`${root}/`);

export function isCanonicalAbsolute(path: string): boolean {
  if (!path.startsWith('/')) return false;
  if (path === '/') return true;
  return !path.endsWith('/') && !path.split('/').slice(1).some((t) => t === '' || t === '.' || t === '..');
}

/** Why a mountpoint is refused, or undefined when osbuild allows it. */
export function mountpointViolation(mountpoint: string): string | undefined {
  if (!isCanonicalAbsolute(mountpoint)) return 'must be an absolute, canonical path';
  if (mountpoint.startsWith('/usr/')) return 'only /usr itself may be a mountpoint, not paths below it';
  const denied = DENIED_MOUNTPOINTS.find((d) => under(mountpoint, d));
  return denied ? `${denied} and paths below it cannot be separate mountpoints` : undefined;
}

export function directoryViolation(path: string): string | undefined {
  if (!isCanonicalAbsolute(path)) return 'must be an absolute, canonical path';
  if (under(path, '/usr/local')) return undefined;
  const denied = DENIED_DIRECTORIES.find((d) => under(path, d));
  return denied ? `osbuild does not create custom content under ${denied}` : undefined;
}

export function fileViolation(path: string): string | undefined {
  if (DENIED_FILES.includes(path)) return 'this file is managed by osbuild itself (use user/group customizations)';
  if (path === '/') return 'a file cannot be /';
  return directoryViolation(path);
}

export const MODE_PATTERN = /^0?[0-7]{3}$/;
export const REPO_FILENAME_PATTERN = /^[\w.-]{1,250}(\.repo)?$/;
export const SEMVER_PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
export const CRYPT_PATTERN = /^\$(1|2[abxy]?|5|6|y|gy|7)\$/;
