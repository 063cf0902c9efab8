import { defineCodes } from '../define.js';

/** IMGC1080–1089: where the values and the definition a command reads come from — the user config file, folders holding several definitions. */
export const discoveryCodes = defineCodes({
  userConfigInvalid: {
    code: 'IMGC1080',
    severity: 'error',
    summary: 'the user config file cannot be read or holds a key or value imgc does not know',
    message: (p: { detail: string }) => `user config: ${p.detail}`,
    hint: 'the file holds only cache-dir, distro and output-dir (see README, "User config file"); IMGC_USER_CONFIG= (empty) runs without it',
  },
  defaultFromConfig: {
    code: 'IMGC1081',
    severity: 'info',
    summary: 'a value that no flag gave was taken from the environment or the user config file',
    message: (p: { flag: string; value: string; from: string }) => `${p.flag} ${p.value} (from ${p.from})`,
  },
  severalFormatsFound: {
    code: 'IMGC1082',
    severity: 'warning',
    summary: 'a folder holds definitions of several formats; the one named was read',
    message: (p: { path: string; found: string; chosen: string }) =>
      `${p.path} holds ${p.found}; read as ${p.chosen}`,
    hint: (p: { others: string }) => `pass --from ${p.others} to read the other, or name the file itself`,
  },
  severalKickstarts: {
    code: 'IMGC1083',
    severity: 'error',
    summary: 'a folder holds several kickstart files, and which one is meant cannot be told',
    message: (p: { path: string; files: string }) => `${p.path} holds several kickstart files: ${p.files}`,
    hint: (p: { example: string }) => `name the file itself, e.g. ${p.example}`,
  },
});
