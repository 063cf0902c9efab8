import { defineCodes } from '../define.js';

/** IMGC1xxx: the CLI, input discovery, the IR itself. */
export const coreCodes = defineCodes({
  fileNotFound: {
    code: 'IMGC1001',
    severity: 'error',
    summary: 'the input path does not exist or cannot be read',
    message: (p: { path: string; reason: string }) => `cannot read ${p.path}: ${p.reason}`,
  },
  formatUndetected: {
    code: 'IMGC1002',
    severity: 'error',
    summary: 'no format recognised the input',
    message: (p: { path: string }) => `cannot tell which format ${p.path} is`,
    hint: 'name the format with --from (see `imgc formats`)',
  },
  formatAmbiguous: {
    code: 'IMGC1003',
    severity: 'warning',
    summary: 'several formats claim the input; the most confident was chosen',
    message: (p: { chosen: string; others: string }) => `read as ${p.chosen}; it could also be ${p.others}`,
    hint: 'name the format with --from to silence this',
  },
  unknownFormat: {
    code: 'IMGC1004',
    severity: 'error',
    summary: 'a format id that imgc does not know',
    message: (p: { id: string; known: string }) => `unknown format "${p.id}" (known: ${p.known})`,
  },
  formatCannotWrite: {
    code: 'IMGC1005',
    severity: 'error',
    summary: 'the format can be read but not written',
    message: (p: { id: string }) => `imgc cannot write ${p.id}`,
  },
  irInvalid: {
    code: 'IMGC1006',
    severity: 'error',
    summary: 'a reader produced an IR that breaks the IR schema (a bug in imgc)',
    message: (p: { pointer: string; detail: string }) =>
      `internal: IR at ${p.pointer || '/'} is invalid: ${p.detail}`,
    hint: 'please report this with the input that caused it',
  },
  unknownProfile: {
    code: 'IMGC1007',
    severity: 'error',
    summary: 'a --profile that the definition does not declare',
    message: (p: { name: string; known: string }) =>
      `no profile "${p.name}" (declared: ${p.known || 'none'})`,
  },
  directoryHoldsSeveral: {
    code: 'IMGC1008',
    severity: 'error',
    summary: 'a folder holds more than one definition',
    message: (p: { path: string; candidates: string }) =>
      `${p.path} holds several definitions: ${p.candidates}`,
    hint: 'pass the file itself',
  },
  internalError: {
    code: 'IMGC1009',
    severity: 'error',
    summary: 'an uncaught exception (a bug in imgc)',
    message: (p: { detail: string }) => `internal error: ${p.detail}`,
    hint: 'run again with --debug for the stack, and please report it',
  },
  outputNotWritable: {
    code: 'IMGC1010',
    severity: 'error',
    summary: 'the output folder cannot be written',
    message: (p: { path: string; reason: string }) => `cannot write ${p.path}: ${p.reason}`,
  },
  irSyntax: {
    code: 'IMGC1011',
    severity: 'error',
    summary: 'an IR document (format `ir`) that is not valid JSON or YAML',
    message: (p: { language: string; detail: string }) => `invalid ${p.language}: ${p.detail}`,
    hint: (p: { language: string }) =>
      p.language === 'JSON'
        ? 'JSON needs double-quoted names and strings, a comma between items and none after the last, and no comments'
        : 'YAML nests by indentation (spaces, not tabs); a key may appear once per map',
  },
  irSchema: {
    code: 'IMGC1012',
    severity: 'error',
    summary: 'an IR document (format `ir`) whose content does not match the IR schema',
    message: (p: { pointer: string; detail: string }) => `IR ${p.pointer || '/'}: ${p.detail}`,
    hint: 'the IR schema is schemas/ir.schema.json (see docs/formats/ir.md); `imgc inspect <definition> --json` prints a valid IR to start from',
  },
  irVersionUnsupported: {
    code: 'IMGC1013',
    severity: 'error',
    summary: 'an IR document whose irVersion this imgc does not read',
    message: (p: { found: string; supported: number }) =>
      `irVersion ${p.found} is not one this imgc reads (it reads irVersion ${p.supported})`,
    hint: 'an IR from a newer imgc needs that imgc; or write the IR again from the original definition with `imgc inspect <definition> --json`',
  },
  notAnIr: {
    code: 'IMGC1014',
    severity: 'error',
    summary: 'a file read as an IR document (format `ir`) that is not one',
    message: (p: { detail: string }) => `not an imgc IR document: ${p.detail}`,
    hint: 'an IR document is an object starting with "irVersion": 1, bare or as the "ir" of `imgc inspect --json`; for another format leave out --from ir or name that format',
  },
  controlCharacter: {
    code: 'IMGC1040',
    severity: 'error',
    summary:
      'a control character (such as a line break) in a value that goes into a generated config file or command',
    message: (p: { pointer: string; shown: string }) => `${p.pointer} holds a control character: ${p.shown}`,
    hint: 'a line break here would add lines of its own to the generated file (e.g. an apt `Trusted: yes`); write the value on one line',
  },
  climbingPath: {
    code: 'IMGC1041',
    severity: 'error',
    summary: 'an image path with a `..` component',
    message: (p: { pointer: string; path: string }) => `${p.pointer} is ${p.path}, which climbs with ..`,
    hint: 'write the absolute path in the image without .. (every path is resolved inside the image tree)',
  },
  optionLikeName: {
    code: 'IMGC1042',
    severity: 'error',
    summary: 'a package or service name that starts with `-` and would be read as an option',
    message: (p: { pointer: string; name: string }) =>
      `${p.pointer} is "${p.name}", which a package manager or systemctl would take for an option`,
    hint: 'package and unit names never start with -; options for the package manager are not set through package lists',
  },
  outputNameIsPath: {
    code: 'IMGC1043',
    severity: 'error',
    summary: 'an output name that is absolute or climbs with `..` out of the output folder',
    message: (p: { pointer: string; name: string }) =>
      `${p.pointer} is "${p.name}", which leads out of the output folder`,
    hint: 'choose the folder with --output-dir and give the output a name inside it (no leading /, no ..)',
  },
  distroFromFlag: {
    code: 'IMGC1020',
    severity: 'info',
    summary:
      'the distribution given with --distro/--release is used; it wins over what the definition names or imgc inferred',
    message: (p: { distro: string; replaced: string }) =>
      p.replaced
        ? `--distro ${p.distro} wins over ${p.replaced} from the definition`
        : `distribution ${p.distro} from --distro`,
  },
  distroUnknown: {
    code: 'IMGC1021',
    severity: 'error',
    summary: 'nothing names the distribution and imgc does not guess one',
    message: (p: { why: string }) => `cannot tell which distribution to use: ${p.why}`,
    hint: 'pass --distro id:release, e.g. --distro debian:bookworm, --distro fedora:41 or --distro opensuse-leap:15.6',
  },
  releaseUnknown: {
    code: 'IMGC1022',
    severity: 'error',
    summary: 'the distribution is known but nothing names its release, and imgc does not guess one',
    message: (p: { id: string; why: string }) => `cannot tell which ${p.id} release to use: ${p.why}`,
    hint: 'pass --distro id:release (e.g. --distro fedora:41) or --release',
  },
  badDistroFlag: {
    code: 'IMGC1023',
    severity: 'error',
    summary: 'a --distro value that is not id[:release]',
    message: (p: { value: string }) => `--distro "${p.value}" is not id[:release]`,
    hint: 'e.g. --distro debian:bookworm, --distro fedora:41, --distro opensuse-tumbleweed',
  },
  distroFromRepository: {
    code: 'IMGC1024',
    severity: 'info',
    summary: 'the distribution was inferred from a repository URL on one of its own mirrors',
    message: (p: { distro: string; url: string }) =>
      `distribution inferred as ${p.distro} from repository ${p.url}`,
    hint: 'pass --distro id:release to choose another; --distro wins over inference',
  },
  inputNotRegular: {
    code: 'IMGC1050',
    severity: 'error',
    summary: 'a file the definition makes imgc read is not a regular file (a FIFO, device, socket or folder)',
    message: (p: { path: string; kind: string }) => `${p.path} is a ${p.kind}, not a regular file`,
    hint: 'imgc reads only regular files, so that a FIFO cannot block it and a device cannot feed it forever; point the definition at a file',
  },
  inputTooLarge: {
    code: 'IMGC1051',
    severity: 'error',
    summary: 'a file the definition makes imgc read is larger than the input size limit',
    message: (p: { path: string; size: string; limit: string }) =>
      `${p.path} is ${p.size}; imgc reads definition files of at most ${p.limit}`,
    hint: 'real definitions are far smaller (see "Input limits" in README.md); set IMGC_MAX_INPUT_MB to raise the limit if this file is genuine',
  },
  inputTooDeep: {
    code: 'IMGC1052',
    severity: 'error',
    summary: 'a document nests deeper than imgc reads or prints',
    message: (p: { what: string; limit: number }) => `${p.what} nests deeper than ${p.limit} levels`,
    hint: 'real definitions nest a few levels; flatten the document (see "Input limits" in README.md)',
  },
  includeBudget: {
    code: 'IMGC1053',
    severity: 'error',
    summary: 'the includes of a definition add up to more lines or files than imgc reads',
    message: (p: { limit: string }) =>
      `the included files add up to more than ${p.limit}; the rest was not read`,
    hint: 'an include that pulls the same file in many times (each file including the next twice) grows exponentially; include each file once',
  },
  diagnosticsCapped: {
    code: 'IMGC1054',
    severity: 'info',
    summary: 'a definition produced more diagnostics than imgc shows; the rest are counted',
    message: (p: { shown: number; more: number; errors: number }) =>
      `${p.more} more diagnostic(s) not shown (${p.errors} of them errors); only the first ${p.shown} are`,
    hint: 'fix the first ones and read the definition again; a flood of errors usually has one cause',
  },
  definitionTooLong: {
    code: 'IMGC1055',
    severity: 'error',
    summary: 'a definition file has more lines than imgc reads',
    message: (p: { lines: number; limit: number }) =>
      `the file has ${p.lines.toLocaleString('en')} lines, more than the ${p.limit.toLocaleString('en')} imgc reads; it was not read`,
    hint: 'real definitions have a few hundred lines (see "Input limits" in README.md); a file of many repeated lines is usually generated by mistake',
  },
  problemsCapped: {
    code: 'IMGC1060',
    severity: 'error',
    summary: 'one line or element has more problems than a reader lists; the rest are counted',
    message: (p: { what: string; shown: number; more: number; errors: number }) =>
      `${p.more} more problem(s) with ${p.what} not listed (${p.errors} of them errors); only the first ${p.shown} are`,
    hint: 'fix the listed ones first; so many problems on one line usually have one cause',
  },
  yamlTooManyTokens: {
    code: 'IMGC1061',
    severity: 'error',
    summary: 'a YAML document has more tokens than imgc builds a document model for',
    message: (p: { what: string; limit: number }) =>
      `${p.what} has more than ${p.limit} YAML tokens; it was not read`,
    hint: 'real definitions have a few thousand (see "Input limits" in README.md); a file of many repeated lines is usually generated by mistake',
  },
});
