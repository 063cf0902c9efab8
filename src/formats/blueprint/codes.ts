import { defineCodes } from '../../diagnostics/define.js';

type Field = { field: string };

/** IMGC2xxx: osbuild blueprints (TOML and JSON) and their validation rules. */
export const blueprintCodes = defineCodes({
  syntax: {
    code: 'IMGC2001',
    severity: 'error',
    summary: 'the file is not valid TOML/JSON',
    message: (p: { language: string; detail: string }) => `invalid ${p.language}: ${p.detail}`,
    hint: 'every key needs a value; strings need quotes; tables are [name] and arrays of tables [[name]]',
  },
  notATable: {
    code: 'IMGC2002',
    severity: 'error',
    summary: 'the document is not a blueprint object',
    message: (p: { found: string }) => `a blueprint is a table of keys; found ${p.found}`,
  },
  unknownKey: {
    code: 'IMGC2003',
    severity: 'warning',
    summary: 'a key osbuild does not know; kept as extension data',
    message: (p: { key: string; where: string }) =>
      `unknown key "${p.key}" in ${p.where}; kept, but osbuild rejects it`,
    hint: 'check the spelling against the blueprint reference',
  },
  wrongType: {
    code: 'IMGC2004',
    severity: 'error',
    summary: 'a value of the wrong type',
    message: (p: { field: string; expected: string; found: string }) =>
      `${p.field} must be ${p.expected}, found ${p.found}`,
  },
  missingRequired: {
    code: 'IMGC2005',
    severity: 'error',
    summary: 'a required field is absent or empty',
    message: (p: { field: string; where: string }) => `${p.where} needs "${p.field}"`,
  },
  emptyName: {
    code: 'IMGC2006',
    severity: 'warning',
    summary: 'the blueprint name is empty',
    message: () => 'the blueprint name is empty; osbuild-composer refuses unnamed blueprints',
    hint: 'osbuild-composer stores blueprints by name: give it one, e.g. name = "base-image"',
  },
  versionNotSemver: {
    code: 'IMGC2007',
    severity: 'warning',
    summary: 'version is not semantic versioning (osbuild-composer refuses it; image-builder accepts it)',
    message: (p: { version: string }) =>
      `version "${p.version}" is not semantic versioning (MAJOR.MINOR.PATCH); osbuild-composer will refuse it`,
    hint: 'e.g. version = "1.0.0"',
  },
  conflict: {
    code: 'IMGC2008',
    severity: 'error',
    summary: 'two customizations that osbuild does not allow together',
    message: (p: { a: string; b: string }) => `${p.a} and ${p.b} cannot be used together`,
  },
  mountpointPolicy: {
    code: 'IMGC2009',
    severity: 'error',
    summary: 'a mountpoint osbuild forbids or that is not canonical',
    message: (p: { mountpoint: string; reason: string }) => `mountpoint ${p.mountpoint}: ${p.reason}`,
  },
  pathPolicy: {
    code: 'IMGC2010',
    severity: 'error',
    summary: 'a custom file or directory path osbuild forbids',
    message: (p: { path: string; reason: string }) => `path ${p.path}: ${p.reason}`,
  },
  duplicate: {
    code: 'IMGC2011',
    severity: 'error',
    summary: 'a name, id or path given twice',
    message: (p: { what: string; value: string }) => `duplicate ${p.what} "${p.value}"`,
  },
  badSize: {
    code: 'IMGC2012',
    severity: 'error',
    summary: 'a size that is not a positive byte count or a number with a unit',
    message: (p: { field: string; value: string }) => `${p.field}: cannot read "${p.value}" as a size`,
    hint: 'use bytes (2147483648) or a number with a unit: "20 GiB", "512 MiB", "1 GB"',
  },
  badMode: {
    code: 'IMGC2013',
    severity: 'error',
    summary: 'a file mode that is not an octal string',
    message: (p: { value: string }) => `mode "${p.value}" is not an octal permission string`,
    hint: 'quote it: mode = "0644"',
  },
  invalidValue: {
    code: 'IMGC2014',
    severity: 'error',
    summary: 'a value outside what osbuild accepts',
    message: (p: { field: string; value: string; expected: string }) =>
      `${p.field} = ${p.value}: expected ${p.expected}`,
  },
  layout: {
    code: 'IMGC2015',
    severity: 'error',
    summary: 'a disk layout osbuild rejects',
    message: (p: { detail: string }) => `disk layout: ${p.detail}`,
  },
  modulesArePackages: {
    code: 'IMGC2016',
    severity: 'info',
    summary: '[[modules]] are plain packages in osbuild (not DNF modularity)',
    message: (p: { name: string }) => `module "${p.name}" is installed as a package`,
    hint: 'DNF module streams are [[enabled_modules]]',
  },
  undottedDistro: {
    code: 'IMGC2030',
    severity: 'info',
    summary: 'a RHEL distro name without the dot (rhel-84), as composer before v100 wrote it',
    message: (p: { distro: string; modern: string }) =>
      `distro "${p.distro}" is the old spelling of "${p.modern}"; read as ${p.modern}`,
    hint: (p: { distro: string; modern: string }) => `write distro = "${p.modern}"`,
  },
  loraxGitRepo: {
    code: 'IMGC2031',
    severity: 'warning',
    summary:
      '[[repos.git]] (lorax-composer) built an RPM from a git checkout; osbuild-composer dropped it and imgc does not build it',
    message: (p: { rpm: string; repo: string; destination: string }) =>
      `[[repos.git]] ${p.rpm} (${p.repo} → ${p.destination}) is a lorax-composer feature; the RPM is not built and not installed`,
    hint: 'package the files as an RPM in a repository ([[customizations.repositories]]), or use [[customizations.files]] / [[customizations.directories]]',
  },
  deprecatedKey: {
    code: 'IMGC2017',
    severity: 'warning',
    summary: 'a deprecated key',
    message: (p: Field & { replacement: string }) => `"${p.field}" is deprecated; use "${p.replacement}"`,
  },
  plainPassword: {
    code: 'IMGC2018',
    severity: 'info',
    summary: 'a clear-text password, hashed at build time',
    message: (p: { user: string }) => `user ${p.user} has a clear-text password; it is hashed at build time`,
    hint: 'store a crypt(3) hash ($6$...) instead of the password',
  },
});
