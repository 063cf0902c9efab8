/**
 * vmdb2 specifications (format id `vmdb2`): Debian's disk-image builder, a YAML list of
 * `steps:` (mkimg, mklabel, mkpart, mkfs, mount, debootstrap, apt, chroot, shell, grub, ...).
 * Reads the storage layout, distribution, packages, files and scripts; writes `image.vmdb`.
 * See docs/formats/vmdb2.md.
 */
import type { FormatModule } from '../contract.js';
import { vmdb2Codes } from './codes.js';
import { vmdb2Reader } from './read/index.js';
import { vmdb2Approximations, vmdb2Capabilities } from './write/capabilities.js';
import { raiseVmdb2 } from './write/raise.js';

export const vmdb2Format: FormatModule = {
  id: 'vmdb2',
  name: 'vmdb2 specification',
  detection:
    'a *.vmdb file, or a YAML file whose top-level steps: list starts with vmdb2 steps (mkimg, mklabel, debootstrap, ...)',
  patterns: ['*.vmdb', '*.yaml', '*.yml'],
  reader: vmdb2Reader,
  writer: {
    capabilities: vmdb2Capabilities,
    approximations: vmdb2Approximations,
    profiles: false,
    write: (ir, options) => raiseVmdb2(ir, options),
  },
  codes: vmdb2Codes,
};
