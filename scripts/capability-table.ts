/**
 * Prints the capability overview of docs/translate.md: which IR fields each registered writer
 * claims (from its capability table). Run: node --import tsx scripts/capability-table.ts
 */
import { FormatRegistry } from '../src/formats/registry.js';
import { matchesPattern } from '../src/ir/pointer.js';

const rows = [
  '/distribution/id',
  '/distribution/release',
  '/distribution/architecture',
  '/metadata/name',
  '/repositories/0/urls/0',
  '/repositories/0/gpgKeys/0',
  '/packages/install/0/name',
  '/packages/install/0/version',
  '/packages/groups/0/name',
  '/packages/modules/0/name',
  '/packages/exclude/0/name',
  '/packages/remove/0/name',
  '/packages/bootstrap/0/name',
  '/system/hostname',
  '/system/locale',
  '/system/keymap',
  '/system/timezone',
  '/system/selinux',
  '/system/fips',
  '/system/services/enable/0',
  '/system/kernel/cmdline/0',
  '/system/kernel/package',
  '/system/firewall/ports/0',
  '/accounts/root/password/hash',
  '/accounts/users/0/name',
  '/accounts/users/0/password/hash',
  '/accounts/users/0/sshKeys/0',
  '/accounts/groups/0/name',
  '/files/0/content',
  '/directories/0/path',
  '/symlinks/0/target',
  '/overlays/0/source',
  '/scripts/0/body',
  '/storage/partitions/0/mountpoint',
  '/storage/partitions/0/encryption/type',
  '/storage/volumeGroups/0/name',
  '/storage/mountpoints/0/mountpoint',
  '/boot/bootloader',
  '/outputs/0/type',
  '/containers/0/source',
  '/profiles/0/name',
];
const w = new FormatRegistry().list().filter((f) => f.writer);
console.log(`| IR field | ${w.map((f) => f.id).join(' | ')} |`);
console.log(`|---|${w.map(() => ':-:').join('|')}|`);
for (const r of rows)
  console.log(
    `| \`${r.replace(/\/0(?=\/|$)/g, '/*')}\` | ${w.map((f) => (f.writer!.capabilities.some((c) => matchesPattern(r, c)) ? '✔' : '—')).join(' | ')} |`,
  );
