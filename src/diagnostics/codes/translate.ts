import { defineCodes } from '../define.js';

/** IMGC6xxx: translation between formats. */
export const translateCodes = defineCodes({
  loss: {
    code: 'IMGC6001',
    severity: 'warning',
    summary: 'the target format cannot express an IR field; it is not written',
    message: (p: { pointer: string; target: string; value: string }) =>
      `${p.target} cannot express ${p.pointer} = ${p.value}; it is not written`,
    hint: 'carry the value over by hand (a file or script in the target), or translate to a format that holds it; docs/translate.md lists what each writer expresses, and --strict makes any loss exit 1',
  },
  lossDetail: {
    code: 'IMGC6002',
    severity: 'warning',
    summary: 'the target format can express the field only approximately',
    message: (p: { pointer: string; target: string; detail: string }) =>
      `${p.target}: ${p.pointer}: ${p.detail}`,
    hint: 'the output says something close to the source but not the same, as the message describes; check that part of the written files before you build from them',
  },
  assumedDefault: {
    code: 'IMGC6003',
    severity: 'info',
    summary: 'the target needs a value the source does not give; a default or a flag supplied it',
    message: (p: { field: string; value: string; from: string }) => `${p.field} = ${p.value} (${p.from})`,
    hint: 'state the value in the source, or pass the flag the message names (--distro, --output, ...), so that nothing is assumed',
  },
  profileFlattened: {
    code: 'IMGC6004',
    severity: 'warning',
    summary: 'the written target holds no profiles; the active ones were merged and the others dropped',
    message: (p: { target: string; reason: string; merged: string; dropped: string }) =>
      `${p.reason}: ${p.merged ? `active profiles ${p.merged} were merged into the image` : 'no profile was active'}${p.dropped ? `; not written: ${p.dropped}` : ''}`,
    hint: 'choose the profiles to keep with --profile, and translate once per variant you need',
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
  kiwiEnvInlined: {
    code: 'IMGC6020',
    severity: 'info',
    summary:
      "a KIWI script's /.kconfig functions and /.profile variables are written ahead of it, since the target has no such files",
    message: (p: { target: string; script: string; uses: string }) =>
      `${p.target}: ${p.script} uses KIWI's script environment (${p.uses}); imgc's /.kconfig functions and the /.profile variables are written at the top of the script`,
    hint: 'nothing to do: the written script carries its helpers; imgc removes the block again when it reads the script back',
  },
  kiwiEnvLost: {
    code: 'IMGC6021',
    severity: 'warning',
    summary:
      "a KIWI script uses /.kconfig or /.profile, and the target cannot carry KIWI's script environment with it",
    message: (p: { target: string; script: string; uses: string; why: string }) =>
      `${p.target}: ${p.script} uses KIWI's script environment (${p.uses}), which is not written: ${p.why}`,
    hint: 'replace the helper calls with plain commands (e.g. systemctl enable) before translating',
  },
  kiwiEnvSourceKept: {
    code: 'IMGC6022',
    severity: 'warning',
    summary:
      'a KIWI script sources /.kconfig or /.profile in a form imgc does not rewrite; that line still reads a file the target does not have',
    message: (p: { target: string; script: string; lines: string }) =>
      `${p.target}: ${p.script} line ${p.lines} sources /.kconfig or /.profile in a way imgc leaves as written; it fails where the file is missing`,
    hint: 'write it as "test -f /.kconfig && . /.kconfig", the form of KIWI\'s script template',
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
