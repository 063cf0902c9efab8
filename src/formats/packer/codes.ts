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
  provisionerNotForBuilder: {
    code: 'IMGC3528',
    severity: 'info',
    summary: 'a provisioner that does not run on the builder read as the image; kept as Packer data',
    message: (p: { type: string; builder: string; list: string }) =>
      `${p.type} provisioner: ${p.list} leaves out ${p.builder}, the builder read as the image; kept as Packer data`,
    hint: 'its scripts and files are not part of this image; the Packer writer writes it back with its list',
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
  writeDeclaredVariable: {
    code: 'IMGC3522',
    severity: 'info',
    summary:
      'a legacy JSON template uses a user variable it never declares; the HCL2 template declares it with ""',
    message: (p: { name: string }) =>
      `{{user \`${p.name}\`}} is used but not declared; Packer's JSON reading gives it "", HCL2 refuses an undeclared var.${p.name}: declared with default ""`,
    hint: 'declare the variable in the source template, or pass -var to packer',
  },
  writeEmptyAsUnset: {
    code: 'IMGC3523',
    severity: 'info',
    summary:
      'a setting that is one legacy JSON user variable defaulting to "": written so that "" leaves the setting unset',
    message: (p: { setting: string; name: string }) =>
      `${p.setting} = {{user \`${p.name}\`}} with default "": Packer's JSON reading takes "" as the setting's zero value, HCL2 would refuse "" for a bool or number; written as var.${p.name} != "" ? var.${p.name} : null`,
  },
  writeResolvedName: {
    code: 'IMGC3524',
    severity: 'info',
    summary: 'a builder name that HCL2 cannot use as a source label, written as a plain name',
    message: (p: { name: string; label: string; how: string }) =>
      `builder name "${p.name}" is written as source label "${p.label}" (${p.how})`,
    hint: 'give the builder a plain name (letters, digits, _ and -) in the source template',
  },
  writeSplitOverride: {
    code: 'IMGC3525',
    severity: 'info',
    summary:
      'a vagrant post-processor with per-provider overrides, written as one post-processor per provider with only = [sources]',
    message: (p: { providers: string }) =>
      `vagrant "override" (${p.providers}) is a map of maps, which HCL2 vagrant post-processors of Packer 1.6 take only as strings: written as one post-processor per provider, each limited with only`,
  },
  duplicateSource: {
    code: 'IMGC3526',
    severity: 'warning',
    summary: 'a template folder declares the same source twice; Packer refuses the folder',
    message: (p: { source: string; first: string }) =>
      `source ${p.source} is declared again (first at ${p.first}); Packer refuses a folder with a duplicate source: imgc keeps the first`,
    hint: 'keep one declaration; if the files are alternatives, move one to its own folder',
  },
  writeNeedsNewerPacker: {
    code: 'IMGC3527',
    severity: 'warning',
    summary: 'the written template needs Packer 1.7 or later, as its source does',
    message: (p: { what: string }) =>
      `${p.what} is written as the source has it; Packer 1.7 and later need it, Packer 1.6 refuses the template because of it`,
    hint: 'run the written template with Packer 1.7 or later (packer init first); for Packer 1.6, delete the packer block: its builders are built in',
  },
});
