import { defineCodes } from '../define.js';

/** IMGC9030–9049: the command line itself — flags, their values, init, list, completion. */
export const cliCodes = defineCodes({
  unknownFormatOption: {
    code: 'IMGC9030',
    severity: 'error',
    summary: 'a `-O key=value` whose key no format, backend or output reads (exit 2)',
    message: (p: { key: string; suggestion?: string }) =>
      `unknown -O key "${p.key}"${p.suggestion ? `; did you mean "${p.suggestion}"?` : ''}`,
    hint: 'see `imgc list options` for every -O key and what reads it',
  },
  unsupportedOutputType: {
    code: 'IMGC9031',
    severity: 'error',
    summary: 'an `--output` of plan, build or clean that imgc cannot build (exit 2)',
    message: (p: { type: string; suggestion?: string; known: string }) =>
      `imgc cannot build output type "${p.type}"${p.suggestion ? ` (did you mean "${p.suggestion}"?)` : ''}; it builds ${p.known}`,
    hint: 'name several with --output disk,tar or a repeated --output; `imgc list outputs` shows each',
  },
  outputFileDiffers: {
    code: 'IMGC9032',
    severity: 'error',
    summary: '`translate -o` would overwrite a file that differs from what it writes',
    message: (p: { path: string }) => `${p.path} exists and differs from what this translation writes`,
    hint: 'the diff above shows what would change; pass --force to overwrite, or write into another folder',
  },
  initFolderNotEmpty: {
    code: 'IMGC9033',
    severity: 'error',
    summary: '`imgc init` into a folder that already holds files',
    message: (p: { path: string; entries: string }) => `${p.path} is not empty (${p.entries})`,
    hint: 'pass an empty or new folder, or --force to write the definition next to what is there',
  },
  initNeedsDistro: {
    code: 'IMGC9034',
    severity: 'error',
    summary: '`imgc init` without a distribution to scaffold for',
    message: () => 'imgc init needs the distribution the new definition builds',
    hint: 'pass --distro id:release (e.g. debian:12, fedora:41; `imgc list distros`), or set distro in the user config file',
  },
  missingOutputDir: {
    code: 'IMGC9035',
    severity: 'error',
    summary: 'a command that writes files was given no output folder (exit 2)',
    message: (p: { command: string }) => `imgc ${p.command} needs an output folder`,
    hint: 'pass -o DIR, set IMGC_OUTPUT_DIR, or set output-dir in the user config file',
  },
  unknownListTopic: {
    code: 'IMGC9036',
    severity: 'error',
    summary: '`imgc list` of something it cannot list (exit 2)',
    message: (p: { topic: string; known: string }) =>
      `imgc list cannot list "${p.topic}" (it lists ${p.known})`,
  },
  unknownShell: {
    code: 'IMGC9037',
    severity: 'error',
    summary: '`imgc completion` for a shell it writes no script for (exit 2)',
    message: (p: { shell: string }) =>
      `no completion script for "${p.shell}" (imgc writes bash, zsh and fish)`,
  },
  nothingRemoved: {
    code: 'IMGC9038',
    severity: 'info',
    summary: '`imgc clean` found nothing of the definition to remove',
    message: (p: { dir: string; names: string }) =>
      `nothing to remove in ${p.dir}: none of ${p.names} is there, and no leftovers of killed builds`,
    hint: 'check -o and --output: they must name the folder and output types the build used',
  },
  badKeepTrees: {
    code: 'IMGC9040',
    severity: 'error',
    summary: '`--keep-trees` is not a whole number of at least 1',
    message: (p: { value: string }) => `--keep-trees ${p.value}: expected a whole number of at least 1`,
    hint: 'each build of a definition saves one or two snapshots; several images built in turn need room for all of theirs',
  },
  formatOptionNotRead: {
    code: 'IMGC9039',
    severity: 'warning',
    summary: 'a `-O` key that imgc knows but this command does not read',
    message: (p: { key: string; readBy: string; why: string }) =>
      `-O ${p.key} is read by the ${p.readBy}, and ${p.why}`,
    hint: 'see `imgc list options` for what reads each key',
  },
});
