/**
 * The `/.profile` KIWI gives its scripts (`kiwi_*` variables), derived from the IR. A variable
 * whose source the IR has no value for is written empty, as KIWI writes unset attributes.
 * KIWI also passes the same variables in the script's environment.
 */
import { lookupTable } from '../../lib/lookup-table.js';
import type { ImageIR, Output } from '../schema.js';
import { shellQuote } from './helpers.js';

interface KeptElement {
  name?: string;
  attrs?: Record<string, string>;
  children?: KeptElement[];
}

interface KiwiLeftovers {
  attrs?: Record<string, Record<string, string>>;
  children?: Record<string, KeptElement[]>;
  sections?: KeptElement[];
  forcedRemove?: string[];
}

const IMAGE_OF_OUTPUT: Partial<Record<Output['type'], string>> = {
  disk: 'oem',
  iso: 'iso',
  pxe: 'pxe',
  tar: 'tbz',
  cpio: 'cpio',
  wsl: 'wsl',
};

const BOOTLOADER_NAMES: Record<string, string> = lookupTable({
  grub: 'grub2',
  'systemd-boot': 'systemd_boot',
});

/** KIWI's firmware= for the IR's: KIWI's `uefi` is EFI with secure boot; its `efi` also boots BIOS on x86. */
function kiwiFirmware(ir: ImageIR): string {
  const firmware = ir.boot?.firmware;
  if (firmware === 'bios') return 'bios';
  if (firmware === 'uefi' && ir.boot?.secureBoot?.enabled) return 'uefi';
  return firmware ? 'efi' : '';
}

function leftovers(ir: ImageIR): KiwiLeftovers {
  const ext = ir.extensions.kiwi;
  return ext && typeof ext === 'object' ? (ext as KiwiLeftovers) : {};
}

/** An attribute of the selected `<type>` that the KIWI reader kept because no IR field holds it. */
function typeAttr(k: KiwiLeftovers, ...names: string[]): string {
  const kept = [
    k.attrs?.type,
    ...(k.children?.preferences ?? []).filter((c) => c.name === 'type').map((c) => c.attrs),
  ];
  for (const attrs of kept) for (const n of names) if (attrs?.[n] !== undefined) return attrs[n]!;
  return '';
}

function kiwiType(ir: ImageIR, k: KiwiLeftovers): string {
  const output = ir.outputs[0];
  if (!output) return '';
  if (output.type === 'oci') return output.format === 'docker-archive' ? 'docker' : 'oci';
  return typeAttr(k, 'image') || (IMAGE_OF_OUTPUT[output.type] ?? '');
}

function drivers(k: KiwiLeftovers): string {
  return (k.sections ?? [])
    .filter((s) => s.name === 'drivers')
    .flatMap((s) => s.children ?? [])
    .map((f) => f.attrs?.name ?? '')
    .filter(Boolean)
    .join(',');
}

/** The variables, in the order /.profile lists them. */
export function kiwiProfileVariables(ir: ImageIR): Record<string, string> {
  const k = leftovers(ir);
  const name = ir.metadata?.name ?? '';
  const bootloader = ir.boot?.bootloader ?? '';
  return {
    kiwi_iname: name,
    kiwi_displayname: k.attrs?.image?.displayname ?? name,
    kiwi_iversion: ir.metadata?.version ?? '',
    kiwi_profiles: ir.activeProfiles.join(','),
    kiwi_type: kiwiType(ir, k),
    kiwi_keytable: ir.system.keymap ?? '',
    // KIWI's <locale> text: the reader turns `en_US` into `en_US.UTF-8`
    kiwi_language: (ir.system.locale ?? '').replace(/\.UTF-8$/, ''),
    kiwi_timezone: ir.system.timezone ?? '',
    kiwi_delete: (k.forcedRemove ?? []).join(' '),
    kiwi_drivers: drivers(k),
    kiwi_cmdline: (ir.system.kernel?.cmdline ?? []).join(' '),
    kiwi_bootloader: BOOTLOADER_NAMES[bootloader] ?? bootloader,
    kiwi_firmware: typeAttr(k, 'firmware') || kiwiFirmware(ir),
    kiwi_initrd_system: typeAttr(k, 'initrd_system'),
    kiwi_compressed: typeAttr(k, 'compressed'),
    kiwi_btrfs_root_is_snapshot: typeAttr(k, 'btrfs_root_is_snapshot', 'btrfs_root_is_snapper_snapshot'),
    kiwi_devicepersistency: typeAttr(k, 'devicepersistency'),
    kiwi_boot_timeout: ir.boot?.timeout !== undefined ? String(ir.boot.timeout) : '',
    // KIWI's defaults where the description names none: the ISO volume id, the first sector
    kiwi_install_volid: ir.outputs[0]?.volumeId ?? 'INSTALL',
    kiwi_startsector: '2048',
  };
}

/** The text of /.profile: one `name='value'` line per variable. */
export function profileText(variables: Record<string, string>): string {
  return Object.entries(variables)
    .map(([name, value]) => `${name}=${shellQuote(value)}\n`)
    .join('');
}
