import { defineCodes } from '../../diagnostics/define.js';

/** IMGC37xx: Debian live-build configuration trees. */
export const liveBuildCodes = defineCodes({
  noConfig: {
    code: 'IMGC3700',
    severity: 'error',
    summary: 'a folder that is not a live-build configuration tree',
    message: (p: { path: string }) =>
      `${p.path} holds no auto/config with "lb config", no config/ folder and no package-lists, hooks, includes.chroot or archives`,
    hint: 'point imgc at the tree that `lb config` runs in (the folder holding auto/ and config/)',
  },
  badOption: {
    code: 'IMGC3701',
    severity: 'error',
    summary: 'an lb config option without the value it takes',
    message: (p: { option: string }) => `${p.option} takes a value and none follows`,
    hint: 'lb config stops with "requires an argument" here too; give the value',
  },
  unquoted: {
    code: 'IMGC3702',
    severity: 'error',
    summary: 'a quote that is not closed in auto/config or a saved variable file',
    message: (p: { quote: string }) => `the ${p.quote} quote opened here is not closed`,
    hint: 'close the quote; sh stops at the same place',
  },
  keptOption: {
    code: 'IMGC3703',
    severity: 'warning',
    summary: 'an lb config setting imgc does not carry into the IR; kept for the live-build writer',
    message: (p: { option: string; value: string }) =>
      `${p.option} ${p.value} is not carried into the IR; kept as live-build data`,
    hint: 'other writers lose it (translate reports it); the live-build writer writes it back',
  },
  shellValue: {
    code: 'IMGC3704',
    severity: 'warning',
    summary: 'an lb config value that is a shell expansion imgc does not evaluate',
    message: (p: { option: string; value: string }) =>
      `${p.option} is "${p.value}", a shell expansion; kept as written, not read into the IR`,
    hint: 'auto/config runs as a shell script; give the value literally, or pass --distro for the distribution',
  },
  keptPart: {
    code: 'IMGC3705',
    severity: 'warning',
    summary:
      'a part of the tree imgc does not carry into the IR (binary hooks, bootloaders, installer includes, saved variables it does not map, …)',
    message: (p: { part: string; count: number }) =>
      `${p.part} (${p.count} file${p.count === 1 ? '' : 's'}) is not carried into the IR`,
    hint: 'these shape the live medium, not the installed system; carry them over by hand',
  },
  conditional: {
    code: 'IMGC3706',
    severity: 'warning',
    summary: 'a package list conditional (#if … #endif); its packages are read as if the condition held',
    message: (p: { condition: string }) => `the packages under "${p.condition}" are read as if it held`,
    hint: 'live-build evaluates these against LB_ variables; imgc reads every package in the list',
  },
  inferred: {
    code: 'IMGC3707',
    severity: 'info',
    summary: "a value imgc worked out from the tree or from live-build's defaults",
    message: (p: { field: string; value: string; how: string }) => `${p.field} = ${p.value} (${p.how})`,
  },
  symlinkOut: {
    code: 'IMGC3708',
    severity: 'warning',
    summary: 'a symlink in includes.chroot, read as a symlink in the image and never followed',
    message: (p: { path: string; target: string }) =>
      `${p.path} → ${p.target} is read as a symlink in the image; imgc does not follow it`,
  },
  writeInferred: {
    code: 'IMGC3720',
    severity: 'info',
    summary: 'the live-build writer needs a value the IR does not give, and says how it chose one',
    message: (p: { field: string; value: string; how: string }) =>
      `live-build: ${p.field} = ${p.value} (${p.how})`,
    hint: 'state the value in the source definition so that nothing is assumed',
  },
  writeNotDebian: {
    code: 'IMGC3721',
    severity: 'warning',
    summary: 'live-build builds Debian-family images only; the tree is written but lb build cannot build it',
    message: (p: { distribution: string }) =>
      `live-build bootstraps Debian or Ubuntu; the image is ${p.distribution}`,
    hint: 'translate with --distro debian:<release>, or choose a writer for this distribution',
  },
});
