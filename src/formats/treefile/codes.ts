import { defineCodes } from '../../diagnostics/define.js';

/** IMGC25xx: rpm-ostree treefiles (YAML or JSON) and the includes they pull in. */
export const treefileCodes = defineCodes({
  syntax: {
    code: 'IMGC2501',
    severity: 'error',
    summary: 'a treefile that is not valid YAML or JSON',
    message: (p: { detail: string }) => `not a valid treefile: ${p.detail}`,
    hint: 'rpm-ostree reads *.json as JSON and everything else as YAML',
  },
  notAMapping: {
    code: 'IMGC2502',
    severity: 'error',
    summary: 'a treefile whose top level is not a mapping of keys',
    message: (p: { found: string }) => `a treefile is a mapping of keys, found ${p.found}`,
    hint: 'start with keys such as `ref:` and `packages:`',
  },
  wrongType: {
    code: 'IMGC2503',
    severity: 'error',
    summary: 'a treefile key holds a value of the wrong kind',
    message: (p: { key: string; expected: string }) => `"${p.key}" must be ${p.expected}`,
  },
  includeMissing: {
    code: 'IMGC2504',
    severity: 'error',
    summary: 'an include, arch-include or conditional-include names a file that cannot be read',
    message: (p: { path: string; reason: string }) => `cannot read included treefile ${p.path}: ${p.reason}`,
    hint: 'include paths are relative to the treefile that names them',
  },
  includeTwice: {
    code: 'IMGC2505',
    severity: 'error',
    summary: 'the same treefile is included twice (rpm-ostree refuses this)',
    message: (p: { path: string }) => `${p.path} is included more than once`,
  },
  includeTooDeep: {
    code: 'IMGC2506',
    severity: 'error',
    summary: 'includes nested deeper than rpm-ostree allows',
    message: (p: { depth: number }) => `includes nest deeper than ${p.depth} levels`,
  },
  badCondition: {
    code: 'IMGC2507',
    severity: 'warning',
    summary: 'a conditional-include condition that cannot be evaluated here; its include is not read',
    message: (p: { condition: string; reason: string }) =>
      `cannot evaluate "${p.condition}": ${p.reason}; its include is not read`,
    hint: 'a fragment often relies on variables its includer defines: read the main treefile; otherwise write `<variable> <op> <value>` with op one of == != < <= > >= and a variable from `variables` or releasever/basearch',
  },
  unknownVariable: {
    code: 'IMGC2508',
    severity: 'warning',
    summary: 'a variable reference that no `variables` entry defines; the text is kept as written',
    message: (p: { name: string }) => `\${${p.name}} is not defined; kept as written`,
    hint: 'define it under `variables:` here or in the treefile that includes this one (releasever and basearch are predefined); rpm-ostree refuses undefined variables',
  },
  notCarried: {
    code: 'IMGC2509',
    severity: 'info',
    summary: 'a treefile key the IR has no field for; it is kept as treefile extension data',
    message: (p: { key: string }) => `"${p.key}" has no IR field; kept as treefile extension data`,
    hint: 'it is written back when the target is a treefile and reported as lost otherwise',
  },
  unknownKey: {
    code: 'IMGC2510',
    severity: 'warning',
    summary: 'a key rpm-ostree does not document',
    message: (p: { key: string }) =>
      `unknown treefile key "${p.key}": current rpm-ostree refuses it; kept as extension data, not written back`,
    hint: 'see rpm-ostree docs/treefile.md for the keys it reads; old releases ignored keys such as "comment"',
  },
  repoNotFound: {
    code: 'IMGC2511',
    severity: 'warning',
    summary: 'a repos entry with no [section] of that name in the .repo files beside the treefile',
    message: (p: { name: string }) =>
      `repository "${p.name}" is not defined in any .repo file next to the treefile; kept by name as treefile extension data`,
    hint: 'rpm-ostree reads the repositories from *.repo files in the treefile’s folder',
  },
  archAssumed: {
    code: 'IMGC2512',
    severity: 'info',
    summary: 'arch-specific parts were chosen for the build host’s architecture',
    message: (p: { arch: string }) =>
      `arch-include and packages-<arch> were evaluated for ${p.arch}, the host’s architecture (as rpm-ostree does)`,
    hint: 'pass --arch to evaluate them for another architecture',
  },
  otherArch: {
    code: 'IMGC2513',
    severity: 'info',
    summary: 'a packages-<arch> list or arch-include for another architecture than the one read',
    message: (p: { key: string; arch: string }) =>
      `"${p.key}" does not apply to ${p.arch}; kept as extension data`,
  },
  kickstartInclude: {
    code: 'IMGC2514',
    severity: 'warning',
    summary: 'an included .ks file: only its %packages would be honoured by rpm-ostree',
    message: (p: { path: string }) =>
      `${p.path}: kickstart includes are not read; its %packages are not in the IR`,
    hint: 'list the packages in a YAML treefile instead',
  },
  repoPinned: {
    code: 'IMGC2515',
    severity: 'warning',
    summary: 'repo-packages: the packages are installed, but the pin to one repository is not in the IR',
    message: (p: { repo: string }) =>
      `packages pinned to repository "${p.repo}" are installed from any repository`,
  },
  noRef: {
    code: 'IMGC2516',
    severity: 'info',
    summary:
      'a treefile without `ref`: fine for `rpm-ostree compose image` or an include, refused by `compose tree`',
    message: () =>
      'no "ref": the IR gets no ostree-commit output (`rpm-ostree compose tree` needs one, `compose image` does not)',
  },
  noRefWritten: {
    code: 'IMGC2517',
    severity: 'info',
    summary: 'the IR has no ostree-commit output, so the written treefile has no ref',
    message: () => 'no ostree-commit output names a ref: the treefile is written without one',
    hint: '`rpm-ostree compose image` needs none; for `compose tree` add an ostree-commit output with a name (the ref)',
  },
  symlinkStub: {
    code: 'IMGC2518',
    severity: 'info',
    summary: 'a file holding only a relative path: a git symlink checked out as text, followed',
    message: (p: { target: string }) => `this file only names ${p.target}; read as a symbolic link to it`,
    hint: 'git writes symbolic links as such files when core.symlinks is false',
  },
});
