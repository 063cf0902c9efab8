import { defineCodes } from '../define.js';

/** IMGC7620–7659: the OSTree outputs (src/outputs/ostree): commits, deployed disks, bootc-style OCI images. */
export const ostreeCodes = defineCodes({
  noKernel: {
    code: 'IMGC7620',
    severity: 'error',
    summary: 'an OSTree commit needs exactly one kernel, and the tree has none',
    message: (p: { output: string }) =>
      `the ${p.output} output found no kernel (no /boot/vmlinuz-* and no /usr/lib/modules/*/vmlinuz)`,
    hint: 'install a kernel package (Debian: linux-image-amd64)',
  },
  severalKernels: {
    code: 'IMGC7621',
    severity: 'error',
    summary: 'an OSTree commit holds one kernel, and the tree has several',
    message: (p: { output: string; versions: string }) =>
      `the ${p.output} output needs exactly one kernel, and the tree has ${p.versions}`,
    hint: 'remove the kernels you do not boot (packages.remove) so that one remains',
  },
  noInitrd: {
    code: 'IMGC7622',
    severity: 'error',
    summary: 'the kernel of an OSTree commit has no initrd',
    message: (p: { version: string }) => `kernel ${p.version} has no initrd (/boot/initrd.img-${p.version})`,
    hint: 'install initramfs-tools in the image',
  },
  noPrepareRoot: {
    code: 'IMGC7623',
    severity: 'error',
    summary: 'the tree lacks what puts ostree-prepare-root into its initrd',
    message: (p: { missing: string }) =>
      `the initrd cannot boot an OSTree deployment: ${p.missing} is missing from the tree`,
    hint: 'build with an ostree output, which installs ostree-boot and the initramfs-tools hook before the initrd is made',
  },
  bootNotEmpty: {
    code: 'IMGC7624',
    severity: 'error',
    summary: '/boot holds files an OSTree commit has no place for',
    message: (p: { files: string }) =>
      `/boot must be empty in an OSTree commit once the kernel is moved, and it holds ${p.files}`,
    hint: 'remove the package or script that puts them there; OSTree deploys the kernel into /boot itself',
  },
  specialFile: {
    code: 'IMGC7625',
    severity: 'error',
    summary: 'the tree holds a device node, socket or FIFO, which OSTree cannot commit',
    message: (p: { path: string; kind: string }) =>
      `${p.path} is a ${p.kind}; OSTree commits hold no ${p.kind}s`,
    hint: 'create it at boot instead (a tmpfiles.d entry or udev rule)',
  },
  usrEtcExists: {
    code: 'IMGC7626',
    severity: 'error',
    summary: '/usr/etc exists already, where the OSTree layout moves /etc',
    message: () => 'the tree has a /usr/etc, where an OSTree commit keeps /etc: the two cannot be merged',
    hint: 'remove /usr/etc from the image',
  },
  awkwardPath: {
    code: 'IMGC7627',
    severity: 'error',
    summary: 'a path under /var cannot be written as a tmpfiles.d entry',
    message: (p: { path: string }) =>
      `${JSON.stringify(p.path)} has whitespace, a backslash or a control character; it cannot become a tmpfiles.d entry`,
    hint: 'rename it, or create it at boot from a script',
  },
  notADirectory: {
    code: 'IMGC7628',
    severity: 'error',
    summary: 'a top-level folder the OSTree layout turns into a symlink is a file',
    message: (p: { path: string }) =>
      `${p.path} must be a folder (or missing) to become a symlink into /var, and it is a file`,
  },
  ostreeFailed: {
    code: 'IMGC7629',
    severity: 'error',
    summary: 'the ostree command failed',
    message: (p: { command: string; exitCode: string; stderr: string }) =>
      `${p.command} failed (exit ${p.exitCode})${p.stderr ? `: ${p.stderr}` : ''}`,
  },
  repoMissing: {
    code: 'IMGC7630',
    severity: 'error',
    summary: 'the OSTree repository given with --ostree-repo is not a repository',
    message: (p: { path: string }) => `${p.path} is not an OSTree repository (no config file in it)`,
    hint: 'create it with `ostree init --repo=PATH --mode=archive`, or leave --ostree-repo out to get a new one',
  },
  badRef: {
    code: 'IMGC7631',
    severity: 'error',
    summary: 'an OSTree ref name that ostree refuses',
    message: (p: { ref: string }) =>
      `"${p.ref}" is not a valid OSTree ref (letters, digits, '_', '-', '.', separated by '/')`,
    hint: 'pass --ostree-ref, e.g. debian/12/x86_64/edge',
  },
  refInferred: {
    code: 'IMGC7632',
    severity: 'info',
    summary: 'the OSTree ref was not given and is made from the distribution',
    message: (p: { ref: string }) =>
      `no OSTree ref given: committing to "${p.ref}" (distribution/release/architecture)`,
    hint: "pass --ostree-ref (or the definition's ostree ref) to choose it",
  },
  parentMismatch: {
    code: 'IMGC7633',
    severity: 'error',
    summary: 'the parent commit asked for is not the head of the ref',
    message: (p: { parent: string; ref: string; head: string }) =>
      `the parent ${p.parent} is not the head of ${p.ref} in the repository (${p.head})`,
    hint: 'commit onto the repository that holds the parent, or drop the parent setting',
  },
  urlNotPulled: {
    code: 'IMGC7634',
    severity: 'info',
    summary:
      'the definition names a remote OSTree URL; imgc builds the commit from the definition instead of pulling',
    message: (p: { url: string }) =>
      `the commit is built from this definition's packages, not pulled from ${p.url}; the URL becomes the deployment's remote`,
  },
  notBootc: {
    code: 'IMGC7635',
    severity: 'info',
    summary: 'what a bootc-style OCI image from imgc lacks for a real bootc host',
    message: () =>
      'the bootc-oci image has the OSTree layout and the bootc labels, but no bootc binary: a host turns it into a disk with imgc --output ostree-disk, not with bootc install',
  },
  upgradeDisk: {
    code: 'IMGC7636',
    severity: 'error',
    summary: 'the disk to deploy an upgrade into is not an imgc ostree-disk',
    message: (p: { path: string; detail: string }) => `cannot deploy into ${p.path}: ${p.detail}`,
    hint: 'the disk must come from imgc --output ostree-disk (GPT, ESP first, ext4 root second)',
  },
  timestampNow: {
    code: 'IMGC7637',
    severity: 'info',
    summary: 'no SOURCE_DATE_EPOCH: the OSTree commit is timestamped with the build time',
    message: () =>
      'SOURCE_DATE_EPOCH is not set: the commit gets the planning time as its timestamp, so its checksum differs from build to build',
    hint: 'set SOURCE_DATE_EPOCH (seconds) for a reproducible commit checksum',
  },
  noOstreeStack: {
    code: 'IMGC7638',
    severity: 'error',
    summary: 'the backend names no OSTree boot packages for its distribution',
    message: (p: { output: string; backend: string }) =>
      `the ${p.output} output needs ostree and ostree-prepare-root in the image, and backend ${p.backend} does not name their packages`,
    hint: 'OSTree outputs are built with the Debian backend (ostree, ostree-boot)',
  },
  initrdGenerator: {
    code: 'IMGC7639',
    severity: 'error',
    summary: 'OSTree outputs put ostree-prepare-root into the initrd with initramfs-tools or dracut only',
    message: (p: { generator: string }) =>
      `the initrd generator ${p.generator} cannot be given ostree-prepare-root by imgc`,
    hint: 'leave system.initrd.generator unset, or use initramfs-tools or dracut',
  },
});
