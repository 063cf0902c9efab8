import { defineCodes } from '../define.js';

/** IMGC773x–775x: the lock file (`imgc lock`, `imgc build --locked`, the lock beside every build). */
export const lockCodes = defineCodes({
  mismatch: {
    code: 'IMGC7730',
    severity: 'error',
    summary:
      'a locked package no longer matches what the repositories hold (gone, other version, other sha256)',
    message: (p: { name: string; why: string }) => `locked package ${p.name} no longer matches: ${p.why}`,
    hint: 'build from a repository snapshot that still holds the locked set, or run `imgc lock --update` and review the changes',
  },
  unreadable: {
    code: 'IMGC7731',
    severity: 'error',
    summary: 'the lock file cannot be read: missing, not JSON, or not a lock file of this version',
    message: (p: { why: string }) => `the lock file cannot be used: ${p.why}`,
    hint: 'write it again with `imgc lock <definition>`; its format is docs/lock-file.md and schemas/lock.schema.json',
  },
  unsupported: {
    code: 'IMGC7732',
    severity: 'error',
    summary: 'the backend of this family cannot lock packages (it has no lockPackages)',
    message: (p: { family: string }) =>
      `the ${p.family} backend cannot lock packages (it has no lockPackages)`,
    hint: 'build without --locked; a plugin backend gains it by answering the lockPackages method',
  },
  noMetadata: {
    code: 'IMGC7733',
    severity: 'error',
    summary: "a resolved package or a repository has no download URL or digest in the repository's metadata",
    message: (p: { what: string; why: string }) => `cannot lock ${p.what}: ${p.why}`,
    hint: 'give the repository a baseurl whose metadata is gzip-compressed (apt: an InRelease or Release file)',
  },
  otherImage: {
    code: 'IMGC7734',
    severity: 'error',
    summary: 'the lock file was written for another distribution, release, architecture or backend',
    message: (p: { field: string; locked: string; planned: string }) =>
      `the lock file is for ${p.field} ${p.locked}, the plan builds ${p.planned}`,
    hint: 'give the lock file of this definition with --lock FILE, or write a new one with `imgc lock`',
  },
  download: {
    code: 'IMGC7735',
    severity: 'error',
    summary: 'a locked package file could not be downloaded, or its SHA-256 is not the locked one',
    message: (p: { name: string; why: string }) => `locked package ${p.name}: ${p.why}`,
    hint: 'check the repository is reachable; a digest that differs means the file changed since it was locked',
  },
  installedDiffers: {
    code: 'IMGC7736',
    severity: 'error',
    summary: 'after a --locked build the installed package set is not the locked set',
    message: (p: { differences: string }) =>
      `the built tree does not hold the locked package set:\n${p.differences}`,
    hint: 'a package outside the lock (an essential package added since) was pulled in; run `imgc lock --update`',
  },
  notWritten: {
    code: 'IMGC7737',
    severity: 'warning',
    summary: 'the build could not write its lock file beside the outputs',
    message: (p: { why: string }) => `no lock file was written beside the outputs: ${p.why}`,
    hint: 'the image is built; run `imgc lock <definition>` to see why the package set could not be locked',
  },
  exists: {
    code: 'IMGC7739',
    severity: 'error',
    summary: '`imgc lock` would replace an existing lock file without --update',
    message: (p: { file: string }) => `${p.file} exists`,
    hint: 'pass --update to rewrite it and see what changed, or -o FILE to write another file',
  },
});
