import { defineCodes } from '../define.js';

/** IMGC7700–7729: reproducible builds (SOURCE_DATE_EPOCH, --reproducible, --verify-reproducible). */
export const reproducibleCodes = defineCodes({
  epochFromInputs: {
    code: 'IMGC7700',
    severity: 'info',
    summary: '--reproducible took SOURCE_DATE_EPOCH from the definition files',
    message: (p: { epoch: number; date: string; how: string }) =>
      `reproducible build: SOURCE_DATE_EPOCH=${p.epoch} (${p.date}), ${p.how}`,
    hint: 'set SOURCE_DATE_EPOCH in the environment to choose another time',
  },
  epochFromEnvironment: {
    code: 'IMGC7701',
    severity: 'info',
    summary: 'a reproducible build with SOURCE_DATE_EPOCH from the environment',
    message: (p: { epoch: number; date: string }) =>
      `reproducible build: SOURCE_DATE_EPOCH=${p.epoch} (${p.date}) from the environment`,
  },
  badEpoch: {
    code: 'IMGC7702',
    severity: 'error',
    summary: 'SOURCE_DATE_EPOCH is not a whole number of seconds',
    message: (p: { value: string }) =>
      `SOURCE_DATE_EPOCH="${p.value}" is not a whole, non-negative number of seconds since 1970`,
    hint: 'unset it, or set it to e.g. $(git log -1 --format=%ct)',
  },
  notReproducible: {
    code: 'IMGC7703',
    severity: 'error',
    summary: '--verify-reproducible: two builds of the definition wrote different outputs',
    message: (p: { outputs: string; kept: string }) =>
      `the two builds differ: ${p.outputs}; both builds are kept in ${p.kept}/1 and ${p.kept}/2`,
    hint: 'the first differences are listed above; diffoscope (Debian package diffoscope) explains them in depth; docs/reproducible.md says what is known not to be reproducible',
  },
  verifyBuildFailed: {
    code: 'IMGC7704',
    severity: 'error',
    summary: '--verify-reproducible: one of the two builds failed',
    message: (p: { which: string }) =>
      `the ${p.which} build of --verify-reproducible failed; nothing was compared`,
  },
});
