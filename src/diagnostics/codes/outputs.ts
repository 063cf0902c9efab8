import { defineCodes } from '../define.js';

/** IMGC76xx–78xx: the boot and distribution outputs (src/outputs/{cpio,initrd,uki,esp,iso,pxe,oci,extension}). */
export const outputCodes = defineCodes({
  notBuildable: {
    code: 'IMGC7600',
    severity: 'error',
    summary: 'the definition asks for an output imgc cannot build yet',
    message: (p: { type: string; detail: string }) => `cannot build the "${p.type}" output: ${p.detail}`,
    hint: 'buildable outputs: directory, tar, cpio, disk, esp, uki, iso, pxe, oci, sysext, confext, portable; see docs/backends/outputs.md',
  },
  toolMissing: {
    code: 'IMGC7601',
    severity: 'error',
    summary: 'a host tool an output assembler needs is not installed',
    message: (p: { tool: string; packageName: string; output: string }) =>
      `${p.tool} is not installed (Debian package ${p.packageName}); the ${p.output} output needs it`,
    hint: 'run scripts/ensure-host-tools.sh, or install the package with apt-get',
  },
  toolFailed: {
    code: 'IMGC7602',
    severity: 'error',
    summary: 'a host tool exited with an error while an output was assembled',
    message: (p: { command: string; exitCode: string; stderr: string }) =>
      `${p.command} failed (exit ${p.exitCode})${p.stderr ? `: ${p.stderr}` : ''}`,
  },
  kernelMissing: {
    code: 'IMGC7603',
    severity: 'error',
    summary: 'the output needs a kernel and an initrd, and the tree has none',
    message: (p: { output: string; detail: string }) => `the ${p.output} output needs a kernel: ${p.detail}`,
    hint: 'install a kernel package (Debian: linux-image-amd64) and an initrd generator (initramfs-tools or dracut)',
  },
  stubMissing: {
    code: 'IMGC7604',
    severity: 'error',
    summary: 'the systemd EFI stub for unified kernel images was not found',
    message: (p: { looked: string }) => `systemd-stub (linuxx64.efi.stub) not found (looked in ${p.looked})`,
    hint: 'install systemd-boot-efi on the host or systemd-boot in the image',
  },
  badStub: {
    code: 'IMGC7605',
    severity: 'error',
    summary: 'the EFI stub is not a PE32+ image imgc can add sections to',
    message: (p: { path: string; detail: string }) => `${p.path} is not a usable PE32+ EFI stub: ${p.detail}`,
  },
  signFailed: {
    code: 'IMGC7606',
    severity: 'error',
    summary: 'the configured UKI signing command failed',
    message: (p: { command: string; exitCode: string; stderr: string }) =>
      `signing command \`${p.command}\` failed (exit ${p.exitCode})${p.stderr ? `: ${p.stderr}` : ''}`,
    hint: 'the command gets the UKI path as $1 and must sign the file in place (e.g. sbsign --key K --cert C --output "$1" "$1")',
  },
  unsigned: {
    code: 'IMGC7607',
    severity: 'warning',
    summary: 'secure boot is asked for but no signing command is configured',
    message: (p: { output: string }) =>
      `secure boot is enabled in the definition, but the ${p.output} output is left unsigned`,
    hint: 'pass -O sign-command=\'sbsign --key KEY --cert CERT --output "$1" "$1"\'',
  },
  noLiveStack: {
    code: 'IMGC7608',
    severity: 'error',
    summary: 'the backend has no live boot stack for live ISO and PXE outputs',
    message: (p: { output: string; backend: string }) =>
      `the ${p.output} output needs a live boot stack, and backend ${p.backend} does not name one`,
    hint: 'live ISO and PXE outputs are built with the Debian backend (live-boot)',
  },
  liveFilesystem: {
    code: 'IMGC7609',
    severity: 'error',
    summary: 'the live root filesystem asked for is not one the live boot stack mounts',
    message: (p: { output: string; filesystem: string }) =>
      `the ${p.output} output cannot use a ${p.filesystem} root (live-boot mounts squashfs)`,
    hint: 'drop the filesystem setting or use squashfs',
  },
  extensionFilesystem: {
    code: 'IMGC7610',
    severity: 'error',
    summary: 'an extension image filesystem imgc cannot make',
    message: (p: { output: string; filesystem: string }) =>
      `the ${p.output} output cannot be a ${p.filesystem} image (squashfs or erofs)`,
  },
  pxeUrlMissing: {
    code: 'IMGC7611',
    severity: 'warning',
    summary: 'the PXE bundle does not know the URL it is served from',
    message: (p: { placeholder: string }) =>
      `no -O pxe-url given: the bundle's command line fetches the root image from ${p.placeholder}`,
    hint: 'pass -O pxe-url=http://SERVER/PATH (the folder the bundle is served from)',
  },
  initrdGenerator: {
    code: 'IMGC7612',
    severity: 'error',
    summary: 'the initrd generator asked for cannot be run by imgc',
    message: (p: { generator: string }) => `cannot regenerate the image's initrd with ${p.generator}`,
    hint: 'imgc regenerates initrds with initramfs-tools or dracut',
  },
  emptyExtension: {
    code: 'IMGC7613',
    severity: 'error',
    summary: 'the extension image would be empty',
    message: (p: { output: string; dirs: string }) => `the ${p.output} output found nothing under ${p.dirs}`,
  },
  containerFormat: {
    code: 'IMGC7614',
    severity: 'info',
    summary: 'a container archive format is written as an OCI archive',
    message: (p: { format: string }) =>
      `"${p.format}" is written as an OCI image layout and OCI archive; load it with skopeo copy oci-archive:...`,
  },
  initrdCompressorMissing: {
    code: 'IMGC7616',
    severity: 'error',
    summary: 'the initrd compression asked for has no compressor in the image',
    message: (p: { compression: string; tool: string }) =>
      `the initrd is to be compressed with ${p.compression}, but the image has no ${p.tool} (the generator would fall back to gzip without saying so)`,
    hint: (p: { compression: string; tool: string }) =>
      `add the package that ships ${p.tool} (Debian and Fedora: ${p.compression === 'xz' ? 'xz-utils / xz' : p.tool}) to the definition, or set system.initrd.compression to gzip`,
  },
  aborted: {
    code: 'IMGC7615',
    severity: 'error',
    summary: 'output assembly was interrupted',
    message: () => 'output assembly was interrupted',
  },
});
