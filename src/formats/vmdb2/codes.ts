import { defineCodes } from '../../diagnostics/define.js';

/** IMGC36xx: vmdb2 specifications (the `steps:` YAML of Debian's vmdb2). */
export const vmdb2Codes = defineCodes({
  syntax: {
    code: 'IMGC3600',
    severity: 'error',
    summary: 'a vmdb2 specification that is not valid YAML',
    message: (p: { detail: string }) => `not valid YAML: ${p.detail}`,
    hint: 'vmdb2 reads its specification with PyYAML; fix the YAML at the position shown',
  },
  noSteps: {
    code: 'IMGC3601',
    severity: 'error',
    summary: 'a vmdb2 specification without a `steps:` list',
    message: (p: { found: string }) => `expected a mapping with a "steps:" list, found ${p.found}`,
    hint: 'a vmdb2 specification is `steps:` followed by a list of step mappings such as `- mkimg: "{{ output }}"`',
  },
  badStep: {
    code: 'IMGC3602',
    severity: 'error',
    summary: 'a step that is not a mapping, or whose step name is missing',
    message: (p: { detail: string }) => `not a vmdb2 step: ${p.detail}`,
    hint: 'each step is a mapping whose first key names the step, e.g. `- apt: install`',
  },
  badValue: {
    code: 'IMGC3603',
    severity: 'error',
    summary: 'a step value of the wrong kind, as vmdb2 would reject it',
    message: (p: { step: string; key: string; expected: string }) =>
      `${p.step}: "${p.key}" must be ${p.expected}`,
    hint: 'vmdb2 checks each step key against the kind its plugin declares',
  },
  missingKey: {
    code: 'IMGC3604',
    severity: 'error',
    summary: 'a step without a key its vmdb2 plugin requires',
    message: (p: { step: string; key: string }) => `${p.step} needs "${p.key}"`,
    hint: 'vmdb2 refuses the step without it; see the step in vmdb2(1)',
  },
  unknownTag: {
    code: 'IMGC3605',
    severity: 'warning',
    summary:
      'a step names a tag no earlier step made; vmdb2 accepts the file but stops at that step when it builds',
    message: (p: { step: string; tag: string }) =>
      `${p.step}: no earlier step made the tag "${p.tag}"; vmdb2 would stop here, and imgc skips the step`,
    hint: 'tags are made by mkpart (tag:), mount (fs-tag:), lvcreate and cryptsetup; name one of them',
  },
  legacyApt: {
    code: 'IMGC3611',
    severity: 'warning',
    summary: 'the apt step of early vmdb2 (`apt: <package>`), which vmdb2 0.27 refuses',
    message: (p: { name: string }) =>
      `"apt: ${p.name}" is early vmdb2's one-package form; read as installing ${p.name} (vmdb2 0.27 wants "apt: install" with packages:)`,
    hint: 'write `apt: install` and list the package under packages:',
  },
  keptStep: {
    code: 'IMGC3606',
    severity: 'warning',
    summary: 'a vmdb2 step imgc does not carry into the IR; it is kept for the vmdb2 writer only',
    message: (p: { step: string; why: string }) =>
      `step "${p.step}" is not carried into the IR (${p.why}); kept as vmdb2 data`,
    hint: 'other writers lose it (translate reports it); carry it over by hand if the target needs it',
  },
  buildMechanics: {
    code: 'IMGC3607',
    severity: 'info',
    summary: 'a step that only drives the vmdb2 build (kpartx, fstab, rootfs cache, virtual filesystems)',
    message: (p: { step: string }) =>
      `step "${p.step}" is build mechanics: imgc's writers and builders do it themselves`,
  },
  keptKey: {
    code: 'IMGC3608',
    severity: 'warning',
    summary: 'a step key imgc does not carry into the IR',
    message: (p: { step: string; key: string; value: string }) =>
      `${p.step}: "${p.key}: ${p.value}" is not carried into the IR`,
    hint: 'the vmdb2 writer does not write it back either; carry it over by hand',
  },
  inferred: {
    code: 'IMGC3609',
    severity: 'info',
    summary: 'a value imgc worked out from what the specification says',
    message: (p: { field: string; value: string; how: string }) => `${p.field} = ${p.value} (${p.how})`,
  },
  unknownKey: {
    code: 'IMGC3610',
    severity: 'warning',
    summary: 'a key the step does not know; vmdb2 ignores it',
    message: (p: { step: string; key: string }) => `${p.step}: unknown key "${p.key}" (vmdb2 ignores it)`,
    hint: 'check the spelling against the step in vmdb2(1)',
  },
  writeInferred: {
    code: 'IMGC3620',
    severity: 'info',
    summary: 'the vmdb2 writer needs a value the IR does not give, and says how it chose one',
    message: (p: { field: string; value: string; how: string }) =>
      `vmdb2: ${p.field} = ${p.value} (${p.how})`,
    hint: 'state the value in the source definition so that nothing is assumed',
  },
  writeVariable: {
    code: 'IMGC3621',
    severity: 'warning',
    summary: 'a value vmdb2 needs and the IR does not give, written as a vmdb2 template variable',
    message: (p: { field: string; name: string }) =>
      `vmdb2 needs ${p.field} and the definition gives none; written as "{{ ${p.name} }}", which vmdb2 fills from --variable ${p.name}=…`,
    hint: 'run vmdb2 with --variable, or add the value to the definition (-O vmdb2Mirror=<URL> gives the mirror)',
  },
  writeNotDebian: {
    code: 'IMGC3622',
    severity: 'warning',
    summary: 'vmdb2 builds Debian-family images only; the specification is written but vmdb2 cannot build it',
    message: (p: { distribution: string }) =>
      `vmdb2 debootstraps Debian or Ubuntu; the image is ${p.distribution}, so debootstrap will fail on what is written`,
    hint: 'translate with --distro debian:<release>, or choose a writer for this distribution',
  },
});
