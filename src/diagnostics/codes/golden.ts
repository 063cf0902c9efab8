import { defineCodes } from '../define.js';

/** IMGC7760–7799: golden manifests, SBOMs and drift (src/golden, `imgc drift`). */
export const goldenCodes = defineCodes({
  manifestUnreadable: {
    code: 'IMGC7760',
    severity: 'error',
    summary: 'the golden manifest cannot be read or is not JSON',
    message: (p: { reason: string }) => `cannot read the golden manifest: ${p.reason}`,
    hint: 'pass the .manifest.json file `imgc build` wrote beside its outputs',
  },
  manifestVersion: {
    code: 'IMGC7761',
    severity: 'error',
    summary: 'a golden manifest of a schema version this imgc does not read',
    message: (p: { found: string; expected: number }) =>
      `the manifest has manifestVersion ${p.found}; this imgc reads version ${p.expected}`,
    hint: 'rebuild the image with this imgc, or run the imgc version that wrote the manifest',
  },
  manifestInvalid: {
    code: 'IMGC7762',
    severity: 'error',
    summary: 'a golden manifest that does not match schemas/golden-manifest.schema.json',
    message: (p: { where: string; problem: string }) =>
      `the manifest is not valid at ${p.where}: ${p.problem}`,
  },
  targetMissing: {
    code: 'IMGC7763',
    severity: 'error',
    summary: 'the drift target does not exist',
    message: (p: { path: string }) => `${p.path}: no such file or directory`,
  },
  targetUnknown: {
    code: 'IMGC7764',
    severity: 'error',
    summary: 'the drift target is not a directory, tar archive, GPT disk image or ext2/3/4 image',
    message: (p: { reason: string }) => p.reason,
  },
  targetUnreadable: {
    code: 'IMGC7765',
    severity: 'error',
    summary: 'the drift target cannot be read (a corrupt image or archive)',
    message: (p: { reason: string }) => p.reason,
    hint: 'check the file with the tool that made it (fsck.ext4 -n, tar -t)',
  },
  noRootPartition: {
    code: 'IMGC7766',
    severity: 'error',
    summary: 'a disk image without an ext2/3/4 root partition',
    message: (p: { reason: string }) => p.reason,
    hint: 'drift reads the root filesystem of GPT disks whose root is ext2/3/4; extract other filesystems to a folder first',
  },
  ignoreRule: {
    code: 'IMGC7767',
    severity: 'error',
    summary: 'a line of the drift ignore file that is not a rule',
    message: (p: { reason: string }) => p.reason,
    hint: 'one absolute path pattern a line, `!pattern` to report a path again, `reset` to drop the defaults',
  },
  xattrsNotCompared: {
    code: 'IMGC7768',
    severity: 'info',
    summary: 'extended attributes were not compared: the target was read by a tool that does not copy them',
    message: (p: { kind: string }) =>
      `extended attributes were not compared: a ${p.kind} image is read with debugfs, which does not copy them`,
  },
  xattrToolMissing: {
    code: 'IMGC7769',
    severity: 'error',
    summary: 'getfattr (package attr) is missing: the manifest records extended attributes',
    message: () =>
      'getfattr is not installed: it reads the extended attributes (file capabilities, ACLs) into the manifest',
    hint: 'apt-get install attr (or dnf install attr)',
  },
  goldenWritten: {
    code: 'IMGC7770',
    severity: 'info',
    summary: 'where the build wrote the golden manifest and its exports',
    message: (p: { files: string }) => `golden manifest: ${p.files}`,
  },
  goldenFailed: {
    code: 'IMGC7771',
    severity: 'error',
    summary: 'the golden manifest of the built tree could not be made',
    message: (p: { reason: string }) => `cannot write the golden manifest: ${p.reason}`,
  },
  ignoreFileUnreadable: {
    code: 'IMGC7772',
    severity: 'error',
    summary: 'the drift ignore file cannot be read',
    message: (p: { path: string; reason: string }) => `cannot read the ignore file ${p.path}: ${p.reason}`,
  },
  sourceDateEpoch: {
    code: 'IMGC7773',
    severity: 'error',
    summary: 'SOURCE_DATE_EPOCH is set but is not a whole number of seconds',
    message: (p: { value: string }) => `SOURCE_DATE_EPOCH="${p.value}" is not a number of seconds since 1970`,
    hint: 'set it to an integer (git log -1 --format=%ct gives the last commit time), or unset it to take the time from the image',
  },
  sbomUnknown: {
    code: 'IMGC7774',
    severity: 'error',
    summary: 'an --sbom value that is not an SBOM format imgc writes',
    message: (p: { value: string }) => `--sbom ${p.value}: imgc writes spdx and cyclonedx`,
    hint: '--sbom spdx,cyclonedx',
  },
});
