/** What the Packer reader and writer agree on: builder kinds, their disk formats, and the install commands. */
import { lookupTable } from '../../lib/lookup-table.js';

/** Output (disk) format a builder makes, when the builder type fixes it. */
export const BUILDER_FORMAT: Readonly<Record<string, string>> = lookupTable({
  'virtualbox-iso': 'ova',
  'virtualbox-ovf': 'ova',
  'vmware-iso': 'vmdk',
  'vmware-vmx': 'vmdk',
  'vsphere-iso': 'vmdk',
  'vsphere-clone': 'vmdk',
  'hyperv-iso': 'vhdx',
  'amazon-ebs': 'ami',
  'amazon-ebssurrogate': 'ami',
  'amazon-instance': 'ami',
  azure: 'vhd',
  'azure-arm': 'vhd',
  googlecompute: 'gce',
  'parallels-iso': 'hdd',
});

/** Builder settings the IR holds; the rest stay Packer data. */
export const MAPPED_SETTINGS = ['disk_size', 'format', 'vm_name'] as const;

/** Builder settings that drive the installer; noted, kept as Packer data. */
export const INSTALLER_SETTINGS = [
  'boot_command',
  'http_directory',
  'iso_url',
  'iso_urls',
  'cd_files',
  'floppy_files',
];

/** One provisioner line installs packages: the command per package manager, as the writer spells it. */
export const INSTALL_COMMANDS: Readonly<Record<string, string>> = lookupTable({
  debian: 'apt-get install -y',
  redhat: 'dnf install -y',
  suse: 'zypper --non-interactive install',
  arch: 'pacman -S --noconfirm',
});

/** The variable a `${var.x}`, `var.x` or legacy `{{user `x`}}` reference names, when that is the whole value. */
export function referencedVariable(value: string): string | undefined {
  const m =
    /^\$\{\s*var\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}$/.exec(value) ??
    /^\{\{\s*user\s+`([^`]+)`\s*\}\}$/.exec(value);
  return m?.[1];
}

/**
 * Legacy `{{user `x`}}` references → HCL2 `${var.x}`, and `{{template_dir}}` → `${path.root}`:
 * Packer has no template folder for its Go templates in an HCL2 template, and refuses it there.
 */
export function hclReferences(value: string): string {
  return value
    .replace(/\{\{\s*user\s+`([A-Za-z_][A-Za-z0-9_-]*)`\s*\}\}/g, '${var.$1}')
    .replace(/\{\{\s*template_dir\s*\}\}/g, '${path.root}');
}
