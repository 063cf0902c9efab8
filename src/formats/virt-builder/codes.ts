import { defineCodes } from '../../diagnostics/define.js';

/** IMGC27xx: virt-builder index files, virt-customize command files, virt-builder preseed templates. */
export const virtBuilderCodes = defineCodes({
  indexSyntax: {
    code: 'IMGC2701',
    severity: 'error',
    summary:
      'an index line virt-builder cannot parse (a key before any [section], a line that is not key=value)',
    message: (p: { detail: string }) => `index syntax: ${p.detail}`,
    hint: 'an index is [template-id] headers, each followed by key=value lines; continue notes with a leading space',
  },
  duplicate: {
    code: 'IMGC2702',
    severity: 'error',
    summary:
      'a template id given twice for one architecture, or a key twice in a section (virt-builder refuses the index)',
    message: (p: { what: string }) => `${p.what} appears twice`,
  },
  blankInSection: {
    code: 'IMGC2703',
    severity: 'warning',
    summary: 'a blank line inside a section: later virt-builder reads it, 1.48 (Debian 12) refuses the index',
    message: () =>
      'blank line inside a section: virt-builder 1.48 (Debian 12) refuses this index; imgc writes none',
  },
  severalTemplates: {
    code: 'IMGC2704',
    severity: 'info',
    summary: 'an index listing several templates: the IR describes the first, every entry is kept',
    message: (p: { count: number; first: string }) =>
      `the index lists ${p.count} templates; the IR describes the first, [${p.first}], and keeps all of them as virt-builder extension data`,
  },
  notCarried: {
    code: 'IMGC2705',
    severity: 'info',
    summary: 'an index key, command or preseed question the IR has no field for; kept as extension data',
    message: (p: { what: string }) => `${p.what} has no IR field; kept as virt-builder extension data`,
  },
  unknownOs: {
    code: 'IMGC2706',
    severity: 'warning',
    summary: 'an osinfo id (or template id) that names no distribution imgc knows',
    message: (p: { osinfo: string }) =>
      `"${p.osinfo}" names no distribution imgc knows; the distribution stays unset`,
    hint: 'pass --distro to name it',
  },
  unknownCommand: {
    code: 'IMGC2707',
    severity: 'error',
    summary: 'a command file line that is no virt-customize command (virt-customize refuses it)',
    message: (p: { command: string }) => `"${p.command}" is not a virt-customize command`,
    hint: 'write one command a line without the leading "--", e.g. "install vim"; see virt-customize(1)',
  },
  badArgument: {
    code: 'IMGC2708',
    severity: 'error',
    summary: 'a virt-customize command whose argument has not the form it needs',
    message: (p: { command: string; expected: string }) => `${p.command} needs ${p.expected}`,
  },
  preseedSyntax: {
    code: 'IMGC2709',
    severity: 'error',
    summary: 'a preseed line that is not "owner question type value"',
    message: (p: { line: string }) => `not a preseed line: "${p.line}"`,
    hint: 'each line is: owner question type value, e.g. "d-i time/zone string UTC"',
  },
  distributionFrom: {
    code: 'IMGC2710',
    severity: 'info',
    summary: 'the distribution was taken from the template id, osinfo or mirror, as it says',
    message: (p: { distribution: string; from: string }) => `distribution ${p.distribution}, from ${p.from}`,
  },
  clearsigned: {
    code: 'IMGC2711',
    severity: 'error',
    summary: 'a clearsigned index (index.asc) whose PGP armour is broken',
    message: (p: { detail: string }) => `PGP clearsigned index: ${p.detail}`,
  },
  noArch: {
    code: 'IMGC2712',
    severity: 'error',
    summary: 'a virt-builder index entry needs an architecture and the IR names none',
    message: () => 'the index entry needs arch= and the IR names no architecture',
    hint: 'pass --arch (x86_64, aarch64, ...)',
  },
  templateFile: {
    code: 'IMGC2713',
    severity: 'info',
    summary: 'the written index names a template disk image imgc does not make; build or upload it',
    message: (p: { file: string }) =>
      `the index names file=${p.file}; virt-builder downloads it, so build the image and place it beside the index`,
  },
  noSize: {
    code: 'IMGC2714',
    severity: 'warning',
    summary: 'the IR names no disk size and a virt-builder index needs one: 6 GiB is written',
    message: () =>
      "the index needs size= and the IR names no disk size; 6 GiB (6442450944) is written, the size of virt-builder's own templates",
    hint: 'give the definition a disk size, or edit size= in the written index',
  },
});
