import { defineCodes } from '../define.js';

/** IMGC905x–906x: running built outputs (`imgc boot`, `imgc shell`). */
export const commandCodes = defineCodes({
  notBootable: {
    code: 'IMGC9050',
    severity: 'error',
    summary: 'the path is not an output imgc boots (disk image, ISO, UKI, PXE folder)',
    message: (p: { path: string; why: string }) => `cannot boot ${p.path}: ${p.why}`,
    hint: 'give a disk image (.raw, .qcow2, .vmdk, .vhdx), an .iso, a UKI (.efi) or a PXE folder (vmlinuz, initrd.img, cmdline.txt); a directory tree opens with `imgc shell`',
  },
  toolMissing: {
    code: 'IMGC9051',
    severity: 'error',
    summary: 'a tool needed to run the output is not installed',
    message: (p: { tool: string; pkg: string }) => `${p.tool} is not installed (Debian package ${p.pkg})`,
    hint: 'install it with apt-get, or run scripts/ensure-host-tools.sh',
  },
  markerMissed: {
    code: 'IMGC9052',
    severity: 'error',
    summary: 'the marker asked for with --until did not appear on the serial console',
    message: (p: { marker: string; outcome: string; seconds: string; line: string }) =>
      `"${p.marker}" did not appear on the console: ${p.outcome} after ${p.seconds} s${p.line ? ` (${p.line})` : ''}`,
    hint: 'look at the serial log (--log FILE); raise --timeout for slow guests under TCG',
  },
  firmwareChosen: {
    code: 'IMGC9053',
    severity: 'info',
    summary: 'which firmware the output is booted with, and why',
    message: (p: { firmware: string; why: string }) => `booting with ${p.firmware}: ${p.why}`,
    hint: 'pass --firmware uefi or --firmware bios to choose',
  },
  notATree: {
    code: 'IMGC9054',
    severity: 'error',
    summary: 'the path is not a built directory tree with a shell',
    message: (p: { path: string; why: string }) => `cannot open a shell in ${p.path}: ${p.why}`,
    hint: 'give the folder a `--output directory` build wrote (it holds usr/ and bin/sh)',
  },
  needsRoot: {
    code: 'IMGC9055',
    severity: 'error',
    summary: 'entering an image tree needs root (systemd-nspawn or chroot)',
    message: (p: { what: string }) => `${p.what} needs root`,
    hint: 'run it with sudo, as mkosi shell needs',
  },
});
