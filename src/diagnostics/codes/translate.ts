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
  kiwiNoRepository: {
    code: 'IMGC6010',
    severity: 'warning',
    summary:
      'KIWI needs a repository; the source names none and imgc knows no public one for its distribution',
    message: (p: { distribution: string }) =>
      `kiwi: no <repository> written: the source names none and imgc knows no public repository for ${p.distribution}; kiwi-ng will refuse the description ("No repositories configured")`,
    hint: 'add a repository to the source, or translate with --distro <id>:<release> for a distribution imgc knows',
  },
});
