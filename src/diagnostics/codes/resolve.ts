import { defineCodes } from '../define.js';

/** IMGC705x: resolving a definition's package set with the family's own resolver (`imgc packages --resolve`). */
export const resolveCodes = defineCodes({
  resolverFailed: {
    code: 'IMGC7050',
    severity: 'error',
    summary: "the family's package resolver could not resolve the package set; its own words are attached",
    message: (p: { tool: string; detail: string }) =>
      `${p.tool} could not resolve the packages:\n${p.detail}`,
    hint: 'check the package names and that the repositories hold them; give another repository with --repo URL',
  },
  resolverMissing: {
    code: 'IMGC7051',
    severity: 'error',
    summary: 'the resolver of this family is not installed on this machine',
    message: (p: { tool: string; pkg: string }) => `${p.tool} is not installed (Debian package ${p.pkg})`,
    hint: 'install it (scripts/ensure-host-tools.sh installs every build tool), or list the packages without --resolve',
  },
  resolverUnsupported: {
    code: 'IMGC7052',
    severity: 'error',
    summary: 'the backend of this family does not offer package resolving (resolvePackages)',
    message: (p: { family: string }) =>
      `the ${p.family} backend cannot resolve packages (it has no resolvePackages)`,
    hint: 'list the packages as the definition states them (without --resolve), or build the image',
  },
  noPackageStep: {
    code: 'IMGC7053',
    severity: 'error',
    summary: 'the plan installs no packages, so there is nothing to resolve',
    message: () => 'the plan of this definition has no package installation step to resolve',
  },
});
