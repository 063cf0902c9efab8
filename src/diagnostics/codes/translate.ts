import { defineCodes } from '../define.js';

/** IMGC6xxx: translation between formats. */
export const translateCodes = defineCodes({
  loss: {
    code: 'IMGC6001',
    severity: 'warning',
    summary: 'the target format cannot express an IR field; it is not written',
    message: (p: { pointer: string; target: string; value: string }) =>
      `${p.target} cannot express ${p.pointer} (${p.value}); it is not written`,
  },
  lossDetail: {
    code: 'IMGC6002',
    severity: 'warning',
    summary: 'the target format can express the field only approximately',
    message: (p: { pointer: string; target: string; detail: string }) =>
      `${p.target}: ${p.pointer}: ${p.detail}`,
  },
  assumedDefault: {
    code: 'IMGC6003',
    severity: 'info',
    summary: 'the target needs a value the source does not give; a default or a flag supplied it',
    message: (p: { field: string; value: string; from: string }) => `${p.field} = ${p.value} (${p.from})`,
  },
  profileFlattened: {
    code: 'IMGC6004',
    severity: 'warning',
    summary: 'the target has no profiles; the active ones were merged and the others dropped',
    message: (p: { target: string; dropped: string }) =>
      `${p.target} has no profiles: active profiles were merged into the image${p.dropped ? `; not written: ${p.dropped}` : ''}`,
  },
  badOutputFlag: {
    code: 'IMGC6005',
    severity: 'error',
    summary: 'an --output value that is not an output type',
    message: (p: { value: string; known: string }) =>
      `--output ${p.value}: expected <type>[:<format>] with a type of ${p.known}`,
    hint: 'e.g. --output disk:qcow2 or --output iso',
  },
  nullNotWritable: {
    code: 'IMGC6050',
    severity: 'warning',
    summary: 'extension data holds a null, which TOML cannot write; it is left out',
    message: (p: { target: string; path: string }) =>
      `${p.target}: ${p.path} is null, which TOML cannot hold; not written`,
    hint: 'remove the null from the IR, or give the value it stands for',
  },
  extensionNotWritten: {
    code: 'IMGC6051',
    severity: 'warning',
    summary: "extension data under a key its format's writer does not know; it is left out",
    message: (p: { target: string; key: string }) =>
      `${p.target}: extensions.${p.target}.${p.key} is not something this writer knows; not written`,
    hint: 'imgc keeps only what its reader put there; check the key against `imgc inspect` output of a real definition',
  },
});
