/** osbuild's path policies (reference: blueprint.md §2.4). */

const DENIED_MOUNTPOINTS = [
  '/etc',
  '/sys',
  '/proc',
  '/dev',
  '/run',
  '/bin',
  '/sbin',
  '/lib',
  '/lib64',
  '/lost+found',
  '/sysroot',
  '/var/run',
  '/var/lock',
];
const DENIED_DIRECTORIES = [
  '/bin',
  '/boot',
  '/dev',
  '/efi',
  '/lib',
  '/lib64',
  '/lost+found',
  '/proc',
  '/run',
  '/sbin',
  '/sys',
  '/sysroot',
  '/tmp',
  '/usr',
  '/var/run',
  '/var/tmp',
];
const DENIED_FILES = ['/etc/fstab', '/etc/group', '/etc/passwd', '/etc/shadow'];

const under = (path: string, root: string) => path === root || path.startsWith(`${root}/`);

export function isCanonicalAbsolute(path: string): boolean {
  if (!path.startsWith('/')) return false;
  if (path === '/') return true;
  return (
    !path.endsWith('/') &&
    !path
      .split('/')
      .slice(1)
      .some((t) => t === '' || t === '.' || t === '..')
  );
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
  if (DENIED_FILES.includes(path))
    return 'this file is managed by osbuild itself (use user/group customizations)';
  if (path === '/') return 'a file cannot be /';
  return directoryViolation(path);
}

export const MODE_PATTERN = /^0?[0-7]{3}$/;
export const REPO_FILENAME_PATTERN = /^[\w.-]{1,250}(\.repo)?$/;
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
export const CRYPT_PATTERN = /^\$(1|2[abxy]?|5|6|y|gy|7)\$/;
