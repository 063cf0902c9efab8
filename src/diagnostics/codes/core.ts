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
});
