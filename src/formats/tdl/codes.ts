import { defineCodes } from '../../diagnostics/define.js';

/** IMGC26xx: ImageFactory / Oz TDL templates. */
export const tdlCodes = defineCodes({
  xmlMalformed: {
    code: 'IMGC2601',
    severity: 'error',
    summary: 'a TDL file that is not well-formed XML',
    message: (p: { detail: string }) => `not well-formed XML: ${p.detail}`,
  },
  refusedXmlName: {
    code: 'IMGC2617',
    severity: 'error',
    summary: 'an element or attribute named __proto__, constructor or prototype',
    message: (p: { name: string }) =>
      `the name "${p.name}" cannot be read: imgc refuses __proto__, constructor and prototype as element or attribute names`,
    hint: 'TDL defines no such element or attribute; remove or rename it',
  },
  notTemplate: {
    code: 'IMGC2602',
    severity: 'error',
    summary: 'the root element is not <template>',
    message: (p: { found: string }) => `the root element is <${p.found}>; a TDL starts with <template>`,
  },
  badVersion: {
    code: 'IMGC2603',
    severity: 'error',
    summary: 'a template version Oz does not know',
    message: (p: { version: string }) => `template version "${p.version}" is not 1.0, the only TDL version`,
  },
  missing: {
    code: 'IMGC2604',
    severity: 'error',
    summary: 'an element or attribute Oz requires is missing or empty',
    message: (p: { what: string }) => `missing ${p.what}`,
    hint: 'a template needs <name> and <os> with <name>, <version>, <arch> and <install type="url|iso">',
  },
  duplicate: {
    code: 'IMGC2605',
    severity: 'error',
    summary: 'an element that may appear once appears more than once',
    message: (p: { what: string }) => `more than one ${p.what}`,
  },
  badValue: {
    code: 'IMGC2606',
    severity: 'error',
    summary: 'a value Oz refuses (architecture, install type, boolean, base64, disk size, file type)',
    message: (p: { what: string; value: string; expected: string }) =>
      `${p.what} "${p.value}" is not valid: expected ${p.expected}`,
  },
  localhostRepository: {
    code: 'IMGC2607',
    severity: 'error',
    summary: 'a repository on localhost, which the guest cannot reach (Oz refuses it)',
    message: (p: { url: string }) =>
      `repository URL ${p.url} points at localhost, which the guest cannot reach`,
  },
  commandPositions: {
    code: 'IMGC2608',
    severity: 'error',
    summary: 'command positions mixed with unpositioned commands, or repeated',
    message: (p: { detail: string }) => `command positions: ${p.detail}`,
    hint: 'give every command a distinct position, or none',
  },
  notCarried: {
    code: 'IMGC2609',
    severity: 'info',
    summary: 'a TDL element the IR has no field for; kept as tdl extension data',
    message: (p: { what: string }) => `${p.what} has no IR field; kept as tdl extension data`,
  },
  unknownElement: {
    code: 'IMGC2610',
    severity: 'warning',
    summary: 'an element or attribute tdl.rng does not define; kept as extension data, not written back',
    message: (p: { what: string }) => `${p.what} is not part of TDL; kept as extension data`,
  },
  placeholder: {
    code: 'IMGC2611',
    severity: 'warning',
    summary: 'a {{placeholder}} a template engine fills before Oz sees the file',
    message: (p: { text: string }) => `${p.text} is a template placeholder; kept as written`,
  },
  newerDiskSize: {
    code: 'IMGC2613',
    severity: 'warning',
    summary: 'a disk size with a byte unit: later Oz releases read it, Oz 0.17 (Debian 12) refuses it',
    message: (p: { size: string; written: string }) =>
      `disk size "${p.size}" needs an Oz newer than 0.17 (Debian 12 refuses it); imgc writes it as ${p.written}`,
  },
  noInstall: {
    code: 'IMGC2612',
    severity: 'error',
    summary: 'the TDL writer found no install tree for the mandatory <install> (Oz refuses an empty one)',
    message: (p: { id: string }) =>
      `<install> is mandatory and imgc knows no public install tree for ${p.id}, nor an http(s) repository to take it from`,
    hint: 'pass -O tdl-install-url=URL (the distribution\'s install tree, as Oz\'s <install type="url"><url>)',
  },
  installFrom: {
    code: 'IMGC2614',
    severity: 'info',
    summary: 'the TDL writer took the mandatory install tree from the IR, as it says',
    message: (p: { url: string; from: string }) => `<install type="url"> is ${p.url}, ${p.from}`,
  },
  archNotOz: {
    code: 'IMGC2616',
    severity: 'error',
    summary: 'an architecture Oz cannot install (the written <arch> would be refused)',
    message: (p: { arch: string }) =>
      `Oz installs no ${p.arch} guests; the written template is refused by Oz`,
    hint: 'pass --arch with one Oz knows: i386, x86_64, ppc64, ppc64le, aarch64, armv7l or s390x',
  },
  noArch: {
    code: 'IMGC2615',
    severity: 'error',
    summary: 'Oz needs an architecture and the source names none',
    message: () => 'a TDL needs <os><arch> and the IR names no architecture',
    hint: 'pass --arch (i386, x86_64, ppc64, ppc64le, aarch64, armv7l or s390x)',
  },
});
