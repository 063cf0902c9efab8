import { defineCodes } from '../../diagnostics/define.js';

/** IMGC9xxx: bootc Containerfiles and the bootc-image-builder config beside them. */
export const containerfileCodes = defineCodes({
  unreadable: {
    code: 'IMGC9001',
    severity: 'error',
    summary: 'the Containerfile (or a file it needs) cannot be read',
    message: (p: { path: string; reason: string }) => `cannot read ${p.path}: ${p.reason}`,
  },
  noFrom: {
    code: 'IMGC9002',
    severity: 'error',
    summary: 'a Containerfile without a FROM instruction',
    message: () => 'no FROM instruction: expected `FROM <image>` before the first build instruction',
    hint: 'start the file with FROM, e.g. `FROM quay.io/fedora/fedora-bootc:43`',
  },
  unknownInstruction: {
    code: 'IMGC9003',
    severity: 'warning',
    summary: 'a word where an instruction keyword was expected',
    message: (p: { word: string }) =>
      `unknown instruction "${p.word}": expected FROM, RUN, COPY, ADD, ARG, ENV, LABEL, or another Dockerfile keyword`,
    hint: 'the line is kept verbatim',
  },
  unterminatedHeredoc: {
    code: 'IMGC9004',
    severity: 'error',
    summary: 'a heredoc whose closing delimiter never comes',
    message: (p: { delimiter: string }) => `heredoc is not closed: expected a line "${p.delimiter}"`,
    hint: 'end the heredoc with its delimiter alone on a line',
  },
  keptAsScript: {
    code: 'IMGC9005',
    severity: 'warning',
    summary: 'a RUN command imgc does not understand; it stays a build script',
    message: (p: { command: string }) => `not understood, kept as a build script: ${p.command}`,
    hint: 'package installs (dnf/apt/rpm-ostree), systemctl enable/disable/mask, COPY and kargs.d are read as such; other commands stay scripts',
  },
  keptVerbatim: {
    code: 'IMGC9006',
    severity: 'info',
    summary: 'an instruction with no IR equivalent, kept verbatim for the containerfile writer',
    message: (p: { instruction: string }) => `kept verbatim (containerfile only): ${p.instruction}`,
  },
  helperStage: {
    code: 'IMGC9007',
    severity: 'info',
    summary: 'a build stage other than the final image, kept verbatim',
    message: (p: { stage: string }) =>
      `build stage "${p.stage}" is not part of the final image; kept verbatim`,
  },
  unresolvedVariable: {
    code: 'IMGC9008',
    severity: 'warning',
    summary: 'the base image names a variable without a default value',
    message: (p: { image: string }) =>
      `cannot tell the base image: ${p.image} uses a variable without a default`,
    hint: 'give the ARG a default value, or pass the distribution with --distro',
  },
  unknownBaseImage: {
    code: 'IMGC9009',
    severity: 'info',
    summary: 'the base image is not one whose distribution imgc knows',
    message: (p: { image: string }) =>
      `base image ${p.image} does not name a known distribution; kept as the base image`,
    hint: 'translating or building it needs --distro id:release (e.g. --distro fedora:41)',
  },
  badConfig: {
    code: 'IMGC9010',
    severity: 'error',
    summary: 'the bootc-image-builder config (or a kargs.d file) is not valid TOML/JSON',
    message: (p: { file: string; detail: string }) => `${p.file}: ${p.detail}`,
  },
  unknownConfigKey: {
    code: 'IMGC9011',
    severity: 'warning',
    summary: 'a key bootc-image-builder does not accept in its config',
    message: (p: { key: string }) =>
      `unknown key "${p.key}" in the bootc-image-builder config (bib rejects unknown keys)`,
    hint: 'bib reads only customizations.{user,group,kernel,filesystem,disk,files,directories,sshd,ignition,installer,iso,fips}',
  },
  badConfigValue: {
    code: 'IMGC9012',
    severity: 'warning',
    summary: 'a config value of the wrong type or shape; it is ignored',
    message: (p: { key: string; expected: string }) => `${p.key}: expected ${p.expected}; ignored`,
  },
  multiArchKargs: {
    code: 'IMGC9013',
    severity: 'warning',
    summary: 'kernel arguments limited to some architectures; the IR keeps them for all',
    message: (p: { arches: string }) =>
      `kargs limited to ${p.arches} are read as kernel arguments for every architecture`,
  },
  baseDerived: {
    code: 'IMGC9020',
    severity: 'info',
    summary: 'the base image is a derivative; its distribution was inferred from who publishes it',
    message: (p: { image: string; id: string; how: string }) =>
      `distribution inferred as ${p.id} from base image ${p.image} (${p.how}); its release is not known from the tag`,
    hint: 'pass --distro id:release to name the release, e.g. --distro fedora:41',
  },
});
