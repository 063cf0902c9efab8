import type { Partition } from './schema.js';

/** The partition role a mountpoint (and filesystem) implies, for formats that only say the mountpoint. */
export function roleForMountpoint(mountpoint: string | undefined, filesystem?: string): Partition['role'] {
  if (filesystem === 'swap') return 'swap';
  switch (mountpoint) {
    case '/':
      return 'root';
    case '/boot/efi':
    case '/efi':
      return 'esp';
    case '/boot':
      return 'boot';
    case '/usr':
      return 'usr';
    case '/home':
      return 'home';
    case '/var':
      return 'var';
    case '/srv':
      return 'srv';
    case '/tmp':
      return 'tmp';
    default:
      return mountpoint ? 'data' : undefined;
  }
}
