import { defineCodes } from '../define.js';

/** IMGC7820–7839: several outputs of one tree assembled side by side (`imgc build --jobs`). */
export const parallelCodes = defineCodes({
  sideBySide: {
    code: 'IMGC7820',
    severity: 'info',
    summary: 'outputs of one tree are assembled side by side, with the limit the build uses',
    message: (p: { count: number; jobs: number; how: string }) =>
      `${p.count} outputs of one tree: at most ${p.jobs} assembled at a time (${p.how})`,
    hint: 'pass --jobs 1 to assemble one output after another',
  },
  badJobs: {
    code: 'IMGC7821',
    severity: 'error',
    summary: 'a --jobs value that is not a whole number of at least 1',
    message: (p: { value: string }) => `--jobs takes a whole number of at least 1, not "${p.value}"`,
    hint: 'for example --jobs 2; leave it out for one job per CPU',
  },
  stoppedForFailure: {
    code: 'IMGC7822',
    severity: 'info',
    summary: 'an output stopped half-way because another output of the same build failed',
    message: (p: { output: string; failed: string }) =>
      `${p.output}: stopped and removed because ${p.failed} failed`,
  },
});
