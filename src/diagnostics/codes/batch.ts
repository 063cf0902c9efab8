import { defineCodes } from '../define.js';

/** IMGC908x: translating many definitions in one call (`imgc translate A B …`, `--batch DIR`). */
export const batchCodes = defineCodes({
  notAFolder: {
    code: 'IMGC9080',
    severity: 'error',
    summary: 'a --batch path that is not a readable folder',
    message: (p: { path: string; reason: string }) =>
      `--batch needs folders of definitions: ${p.path}: ${p.reason}`,
    hint: 'give --batch folders whose entries are definitions, or drop --batch and name the definitions themselves',
  },
  emptyBatch: {
    code: 'IMGC9081',
    severity: 'error',
    summary: 'a --batch folder holds no definitions',
    message: (p: { path: string }) => `${p.path} holds no entries to translate (hidden ones are skipped)`,
    hint: 'point --batch at the folder that holds the definitions',
  },
  renamedOutput: {
    code: 'IMGC9082',
    severity: 'info',
    summary:
      'two definitions of a batch have the same name; the later one is written under a numbered folder',
    message: (p: { name: string; folder: string }) =>
      `another definition of this batch is also named ${p.name}: this one is written to ${p.folder}`,
    hint: 'rename one of the definitions, or translate them in separate calls with their own -o, to choose the folder names',
  },
  badJobs: {
    code: 'IMGC9083',
    severity: 'error',
    summary: 'a --jobs value that is not a positive whole number',
    message: (p: { value: string }) =>
      `--jobs ${p.value}: give how many definitions to translate at once (1 or more)`,
    hint: 'pass --jobs 1 to translate one definition at a time, the default',
  },
});
