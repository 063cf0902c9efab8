/** Arch Linux: its names and public repositories. */
import type { Repository } from '../ir/schema.js';

export const ARCH_IDS = ['arch', 'archlinux'];

export const ARCH_MIRROR = 'https://geo.mirror.pkgbuild.com';

export function archRepositories(mirror = ARCH_MIRROR): Repository[] {
  return ['core', 'extra'].map((id) => ({
    id,
    type: 'pacman' as const,
    urls: [`${mirror}/$repo/os/$arch`],
    gpgCheck: true,
  }));
}
