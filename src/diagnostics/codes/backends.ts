import { defineCodes } from '../define.js';

/** IMGC7200–7499: the Fedora/RHEL, SUSE and Arch backends (dnf, zypper, pacman). */
export const backendCodes = defineCodes({
  noPublicRepository: {
    code: 'IMGC7201',
    severity: 'error',
    summary: 'the distribution has no public package repository imgc could default to',
    message: (p: { distribution: string }) =>
      `${p.distribution} has no public repository: the definition must name its repositories`,
    hint: 'add the repositories of your subscription (or a local mirror) to the definition, or pass -O mirror=URL',
  },
  repositoryWithoutUrl: {
    code: 'IMGC7202',
    severity: 'error',
    summary: 'a repository with neither a URL, a metalink nor a mirror list',
    message: (p: { id: string }) => `repository ${p.id} has no baseurl, metalink or mirrorlist`,
    hint: 'give the repository a URL',
  },
  gpgCheckOff: {
    code: 'IMGC7203',
    severity: 'info',
    summary: 'GPG checking is turned off for a repository by the definition',
    message: (p: { id: string }) => `packages from repository ${p.id} are installed without signature checks`,
  },
  gpgWithoutKey: {
    code: 'IMGC7205',
    severity: 'warning',
    summary: 'a repository checks signatures but the definition gives no key for it',
    message: (p: { id: string; tool: string }) =>
      `repository ${p.id} checks signatures but names no key: ${p.tool} accepts only packages signed by keys the image already trusts`,
    hint: 'add the repository key (gpgKeys: a URL, a file, or the armored key), or install the distribution key package first',
  },
  pacmanRepositoryName: {
    code: 'IMGC7204',
    severity: 'warning',
    summary: 'a pacman repository whose name does not look like its database name',
    message: (p: { id: string }) =>
      `pacman looks for ${p.id}.db in repository "${p.id}"; the id must be the database name`,
    hint: 'name the repository like its .db file (core, extra, or the name given to repo-add)',
  },
  packageManagerFailed: {
    code: 'IMGC7210',
    severity: 'error',
    summary: 'the package manager failed; its own explanation is attached',
    message: (p: { tool: string; meaning: string; detail: string }) =>
      `${p.tool} failed: ${p.meaning}\n${p.detail}`,
    hint: (p: { tool: string; meaning: string; detail: string }) =>
      p.meaning.includes('not found') || p.meaning.includes('no package')
        ? 'check the package names and that the repositories hold them'
        : `read the ${p.tool} output above; rerun with --verbose for all of it`,
  },
  unitMissing: {
    code: 'IMGC7211',
    severity: 'error',
    summary: 'a service to enable, disable or mask has no unit file in the image',
    message: (p: { units: string }) => `no unit file in the image for: ${p.units}`,
    hint: 'install the package that ships the unit, or fix its name',
  },
});
