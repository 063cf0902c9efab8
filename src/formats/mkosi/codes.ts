import { defineCodes } from '../../diagnostics/define.js';

/** IMGC4xxx: the mkosi reader and writer. */
export const mkosiCodes = defineCodes({
  iniSyntax: {
    code: 'IMGC4001',
    severity: 'error',
    summary: 'a line that mkosi’s INI reader rejects',
    message: (p: { detail: string; expected: string }) => `${p.detail} (expected ${p.expected})`,
    hint: 'mkosi files are "[Section]" headers followed by "Key=value" lines; indented lines continue a value',
  },
  unknownSetting: {
    code: 'IMGC4002',
    severity: 'warning',
    summary: 'a setting mkosi does not know; it is ignored (mkosi v26+ warns the same way)',
    message: (p: { name: string }) => `unknown setting ${p.name}; it is ignored`,
    hint: 'check the spelling against mkosi(1); settings are case-sensitive',
  },
  wrongSection: {
    code: 'IMGC4003',
    severity: 'warning',
    summary: 'a setting written in another section than its own',
    message: (p: { name: string; section: string; expected: string }) =>
      `${p.name} belongs in [${p.expected}], not [${p.section}]`,
    hint: (p: { expected: string }) => `move it under [${p.expected}]`,
  },
  deprecatedName: {
    code: 'IMGC4004',
    severity: 'warning',
    summary: 'a deprecated setting name that mkosi still accepts',
    message: (p: { name: string; modern: string }) => `${p.name} is deprecated; use ${p.modern}`,
    hint: (p: { modern: string }) => `rename it to ${p.modern}=`,
  },
  legacyName: {
    code: 'IMGC4005',
    severity: 'warning',
    summary: 'a setting of mkosi v14 or older, read under its modern name',
    message: (p: { name: string; modern: string }) =>
      `${p.name} is a legacy mkosi setting (current mkosi ignores it); read as ${p.modern}`,
    hint: (p: { modern: string }) => `use ${p.modern}= for current mkosi`,
  },
  legacyNoEquivalent: {
    code: 'IMGC4006',
    severity: 'warning',
    summary: 'a setting of old mkosi versions that has no modern equivalent; kept as extension data',
    message: (p: { name: string; detail: string }) => `${p.name} is a legacy mkosi setting: ${p.detail}`,
    hint: 'current mkosi ignores it; see the legacy table in docs/formats/mkosi.md',
  },
  atPrefix: {
    code: 'IMGC4007',
    severity: 'warning',
    summary: 'the v16–v23 "@Key=" default-value syntax; the "@" is dropped',
    message: (p: { name: string }) => `"@${p.name}" is deprecated; read as ${p.name}`,
    hint: 'remove the "@"',
  },
  invalidValue: {
    code: 'IMGC4008',
    severity: 'error',
    summary: 'a value mkosi rejects',
    message: (p: { name: string; value: string; expected: string }) =>
      `${p.name}=${p.value} is not valid (expected ${p.expected})`,
  },
  unknownEnumValue: {
    code: 'IMGC4009',
    severity: 'warning',
    summary: 'a value this mkosi version does not list; kept as written',
    message: (p: { name: string; value: string; expected: string }) =>
      `${p.name}=${p.value} is not a value current mkosi knows (known: ${p.expected})`,
  },
  pathMissing: {
    code: 'IMGC4010',
    severity: 'warning',
    summary: 'a path the configuration names does not exist (mkosi would stop)',
    message: (p: { name: string; path: string }) => `${p.name}: ${p.path} does not exist`,
    hint: 'the path is kept; the build will need it',
  },
  specifier: {
    code: 'IMGC4011',
    severity: 'warning',
    summary:
      'a % specifier that is unknown or refers to a setting that is not set yet; it expands to nothing',
    message: (p: { detail: string }) => p.detail,
    hint: 'write %% for a literal percent sign',
  },
  matchKey: {
    code: 'IMGC4012',
    severity: 'error',
    summary: 'a key that cannot be used in [Match]/[Assert]',
    message: (p: { name: string; section: string }) => `${p.name} cannot be used in [${p.section}]`,
    hint: 'matchable: Distribution, Release, Architecture, Format, Profiles, Repositories, ImageId, ImageVersion, Bootable, Environment, BuildSources, PathExists, SystemdVersion, HostArchitecture, Image, ToolsTree*',
  },
  assertFailed: {
    code: 'IMGC4013',
    severity: 'error',
    summary: 'an [Assert] or [TriggerAssert] section is not satisfied',
    message: (p: { detail: string }) => p.detail,
    hint: 'mkosi refuses to build this configuration for the chosen host, profiles or settings',
  },
  settingProhibited: {
    code: 'IMGC4014',
    severity: 'error',
    summary: 'a setting that this image (a sub-image) may not set',
    message: (p: { name: string; image: string }) => `${p.name} cannot be configured in the ${p.image} image`,
    hint: 'set it in the main image; it is passed down to sub-images',
  },
  noConfig: {
    code: 'IMGC4015',
    severity: 'warning',
    summary: 'the folder has no mkosi configuration; mkosi would build its defaults',
    message: (p: { path: string }) => `${p.path} has no mkosi.conf (nor mkosi/mkosi.conf, mkosi.default)`,
  },
  legacyFile: {
    code: 'IMGC4016',
    severity: 'warning',
    summary: 'a file name of mkosi v14 and older (mkosi.default, mkosi.default.d/); current mkosi ignores it',
    message: (p: { name: string; modern: string }) =>
      `${p.name} is read as ${p.modern} (legacy mkosi layout)`,
    hint: (p: { modern: string }) => `rename it to ${p.modern}`,
  },
  legacyListRemoval: {
    code: 'IMGC4017',
    severity: 'warning',
    summary: 'the "!item" list removal of mkosi v15 and older',
    message: (p: { name: string; item: string }) =>
      `"!${p.item}" in ${p.name} removes an earlier value (legacy syntax)`,
    hint: 'current mkosi has no "!": remove the item where it is added, or use RemovePackages=',
  },
  builtinInclude: {
    code: 'IMGC4018',
    severity: 'warning',
    summary: 'Include= of a configuration built into mkosi; not expanded without mkosi’s resources',
    message: (p: { name: string }) =>
      `Include=${p.name} names a configuration built into mkosi; its settings are not read`,
    hint: 'pass -O mkosiResources=<mkosi checkout>/mkosi/resources to read it',
  },
  includeMissing: {
    code: 'IMGC4019',
    severity: 'warning',
    summary: 'an Include= path that does not exist (mkosi would stop)',
    message: (p: { path: string }) => `Include=${p.path} does not exist; skipped`,
  },
  badHost: {
    code: 'IMGC4020',
    severity: 'error',
    summary: 'a --host value that is not distribution:release:architecture',
    message: (p: { value: string }) => `--host ${p.value} is not distribution:release:architecture`,
    hint: 'e.g. --host debian:bookworm:x86-64 (mkosi names)',
  },
  hostDefault: {
    code: 'IMGC4021',
    severity: 'info',
    summary: 'a value mkosi takes from the build host; imgc used the --host value',
    message: (p: { name: string; value: string }) =>
      `${p.name} is not set; mkosi's default on this host is ${p.value}`,
    hint: 'set it explicitly for a build that does not depend on the host',
  },
  notRun: {
    code: 'IMGC4022',
    severity: 'warning',
    summary: 'an executable mkosi would run to obtain a value; imgc does not run it',
    message: (p: { name: string; path: string }) =>
      `${p.path} is executable: mkosi runs it for ${p.name}; imgc leaves ${p.name} unset`,
  },
  repoFile: {
    code: 'IMGC4023',
    severity: 'warning',
    summary: 'a repository file in a sandbox tree that could not be read as a repository',
    message: (p: { path: string; detail: string }) => `${p.path}: ${p.detail}`,
  },
  legacyDialect: {
    code: 'IMGC4041',
    severity: 'info',
    summary:
      'the tree is written for mkosi v14 or older; its old files, sections and keys are read with their modern meaning',
    message: (p: { signals: string }) =>
      `read as an mkosi v14 (or older) configuration because of ${p.signals}; each old setting is noted with its modern name`,
    hint: 'mkosi v15 and later ignore these forms; translate to mkosi to get the current spelling',
  },
  repoLineUnread: {
    code: 'IMGC4040',
    severity: 'warning',
    summary:
      'a line of a dnf/yum .repo file that is neither a [section], key=value, nor an indented continuation',
    message: (p: { path: string; text: string; why: string }) =>
      `${p.path}: "${p.text}" is not read: ${p.why}`,
    hint: 'dnf rejects such a file; indent continuation lines (several baseurl= URLs) deeper than their key',
  },
  sysusers: {
    code: 'IMGC4024',
    severity: 'warning',
    summary: 'a sysusers.d line imgc does not turn into an account',
    message: (p: { detail: string }) => p.detail,
  },
  readFailed: {
    code: 'IMGC4025',
    severity: 'error',
    summary: 'a configuration file could not be read',
    message: (p: { path: string; reason: string }) => `cannot read ${p.path}: ${p.reason}`,
  },
  subImage: {
    code: 'IMGC4026',
    severity: 'info',
    summary:
      'sub-images (mkosi.images/) are read and kept as extension data; the IR describes the main image',
    message: (p: { names: string }) => `sub-images ${p.names} are kept as mkosi extension data`,
  },
  distroFromMatch: {
    code: 'IMGC4030',
    severity: 'info',
    summary: "no Distribution= is set; the distribution was inferred from the main configuration's [Match]",
    message: (p: { distro: string }) =>
      `distribution inferred as ${p.distro} from [Match] (no Distribution= is set; mkosi would use the host's)`,
    hint: 'set Distribution= in [Distribution], or pass --distro id:release',
  },
  distroFromHost: {
    code: 'IMGC4031',
    severity: 'info',
    summary:
      "no Distribution= and no [Match] naming one: mkosi would build the host's distribution, imgc assumes none",
    message: () =>
      "no Distribution= is set, so mkosi would build the host's distribution; imgc does not assume one",
    hint: "set Distribution= and Release=, or pass --distro id:release (or --host id:release for mkosi's host)",
  },
  outputPathSplit: {
    code: 'IMGC4060',
    severity: 'info',
    summary:
      'an Output= with a folder (mkosi 14 and older took a path there); read as OutputDirectory= plus a file name, as current mkosi requires',
    message: (p: { value: string; folder: string; name: string }) =>
      `Output=${p.value} names a folder; read as OutputDirectory=${p.folder} and Output=${p.name} (current mkosi takes only a file name in Output=)`,
    hint: 'write OutputDirectory= and a plain file name in Output=, which every mkosi version reads the same',
  },
  writerVersion: {
    code: 'IMGC4050',
    severity: 'error',
    summary: 'an mkosi version the writer has no dialect for',
    message: (p: { version: string }) =>
      `imgc writes mkosi ${p.version === '' ? '(empty)' : p.version} in no dialect`,
    hint: 'use -O mkosi-version=14 for mkosi 14 (Debian 12, Ubuntu 22.04), or leave it out for current mkosi',
  },
});
