import { defineCodes } from '../../diagnostics/define.js';

/** IMGC35xx: Packer templates (HCL2 `*.pkr.hcl` folders and legacy JSON). */
export const packerCodes = defineCodes({
  syntax: {
    code: 'IMGC3500',
    severity: 'error',
    summary: 'a Packer template that is not valid HCL2 or JSON',
    message: (p: { language: string; detail: string }) => `not valid ${p.language}: ${p.detail}`,
    hint: 'fix the template at the position shown; `packer validate` reports the same place',
  },
  noBuilder: {
    code: 'IMGC3501',
    severity: 'error',
    summary: 'a Packer template without a builder (no `source` block, no `builders` list)',
    message: (p: { syntax: string }) =>
      p.syntax === 'json'
        ? 'no "builders" list: a legacy JSON template needs at least one builder'
        : 'no source block in the template folder',
    hint: 'a template needs `source "TYPE" "NAME" { … }` (HCL2) or `"builders": [{"type": …}]` (JSON); a variables file alone is not a template',
  },
  badShape: {
    code: 'IMGC3502',
    severity: 'error',
    summary: 'a Packer template part of the wrong shape',
    message: (p: { what: string; expected: string }) => `${p.what} must be ${p.expected}`,
    hint: 'see the Packer template reference for the block or key',
  },
  otherSources: {
    code: 'IMGC3503',
    severity: 'warning',
    summary:
      'a template with several builders: imgc reads the first as the image, the others are kept as Packer data',
    message: (p: { chosen: string; others: string }) =>
      `the image is read from ${p.chosen}; ${p.others} kept as Packer data`,
    hint: 'other writers lose the other builders (translate reports it); translate once per builder with --profile is not available for Packer',
  },
  keptProvisioner: {
    code: 'IMGC3504',
    severity: 'warning',
    summary:
      'a provisioner or post-processor imgc does not carry into the IR; kept for the Packer writer only',
    message: (p: { kind: string; type: string }) =>
      `${p.kind} "${p.type}" is not carried into the IR; kept as Packer data`,
    hint: 'shell and file provisioners are read as scripts and files; others (ansible, powershell, …) stay Packer data',
  },
  keptSetting: {
    code: 'IMGC3505',
    severity: 'warning',
    summary: 'a provisioner setting imgc does not carry into the IR',
    message: (p: { type: string; key: string }) =>
      `${p.type} provisioner: "${p.key}" is not carried into the IR`,
    hint: 'the Packer writer does not write it back; carry it over by hand',
  },
  inferred: {
    code: 'IMGC3506',
    severity: 'info',
    summary: 'a value imgc worked out from the template',
    message: (p: { field: string; value: string; how: string }) => `${p.field} = ${p.value} (${p.how})`,
  },
  installerData: {
    code: 'IMGC3507',
    severity: 'info',
    summary: 'installer automation (boot_command, http_directory, ISO) kept as builder settings',
    message: (p: { keys: string }) => `${p.keys} drive the installer; kept as Packer builder settings`,
  },
  interpolationAsText: {
    code: 'IMGC3508',
    severity: 'warning',
    summary: 'a provisioner line with an HCL interpolation, read into the IR as literal text',
    message: (p: { text: string }) =>
      `${p.text} is an HCL interpolation; the IR keeps it as literal text, and writers write it so`,
    hint: 'give the value literally, or keep the template in Packer; the Packer writer writes it back escaped ($${…})',
  },
  writeNeedsIso: {
    code: 'IMGC3520',
    severity: 'warning',
    summary:
      'the Packer writer needs an installation ISO the IR does not name; written as template variables',
    message: () =>
      'a Packer qemu builder boots an installer ISO and the definition names none: written as var.iso_url and var.iso_checksum, which packer build takes from -var',
    hint: 'pass -var iso_url=… -var iso_checksum=… to packer, or translate with -O packerIsoUrl=<URL> -O packerIsoChecksum=<type:hash or file:URL>',
  },
  writeInferred: {
    code: 'IMGC3521',
    severity: 'info',
    summary: 'the Packer writer needs a value the IR does not give, and says how it chose one',
    message: (p: { field: string; value: string; how: string }) =>
      `packer: ${p.field} = ${p.value} (${p.how})`,
    hint: 'state the value in the source definition so that nothing is assumed',
  },
});
