/**
 * `imgc packages --resolve` for openSUSE: zypper's solver (install --dry-run, XML summary)
 * against the local rpm-md repository the build tests use, with a package of its own version
 * whose dependency chain (imgc-tool → imgc-hello → imgc-lib) the solver must follow.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPath } from '../../../src/backends/common/resolver.js';
import { missingRepoTools, rpmRepository } from '../../helpers/local-repos.js';
import { resolveIr, versionedPackage } from '../resolve-case.js';

const missing = [...missingRepoTools('rpm'), ...(onPath('zypper') ? [] : ['zypper'])];
const maybe = missing.length ? it.skip : it;
if (missing.length) console.warn(`SKIPPED: zypper resolve test: ${missing.join(', ')} missing`);

const leap = { id: 'opensuse-leap', release: '15.6', architecture: 'x86_64' };

describe('suse backend: resolving with zypper', () => {
  const repository = () => {
    const repo = rpmRepository('NAME=openSUSE Leap\nID=opensuse-leap\nVERSION_ID=15.6\n', [versionedPackage]);
    return { id: 'imgc', type: 'rpm-md' as const, urls: [join(repo, 'repo')], gpgCheck: false };
  };

  maybe(
    'pulls in the dependency chain with the versions the repository holds, and nothing it was not asked for',
    async () => {
      const { code, report, stderr } = await resolveIr(leap, repository(), ['imgc-tool']);
      expect(code, stderr).toBe(0);
      expect(report.resolved?.tool).toBe('zypper');
      expect(report.resolved!.packages).toEqual([
        { name: 'imgc-hello', version: '1.0-1', arch: 'noarch' },
        { name: 'imgc-lib', version: '1.0-1', arch: 'noarch' },
        { name: 'imgc-tool', version: '2.3.4-1', arch: 'noarch' },
      ]);
    },
    180_000,
  );

  maybe(
    'fails with zypper’s own words for a package the repository does not have',
    async () => {
      const { code, report } = await resolveIr(leap, repository(), ['imgc-no-such-package']);
      expect(code).toBe(1);
      const error = report.diagnostics.find((d) => d.code === 'IMGC7050');
      expect(error?.message).toMatch(/zypper could not resolve/);
      expect(error?.message).toMatch(/No provider of 'imgc-no-such-package' found/);
    },
    180_000,
  );

  maybe(
    'honours an exclusion: a package whose dependency is excluded cannot be resolved',
    async () => {
      const { code, report } = await resolveIr(leap, repository(), ['imgc-tool'], ['imgc-lib']);
      expect(code).toBe(1);
      const error = report.diagnostics.find((d) => d.code === 'IMGC7050');
      expect(error?.message).toContain('remove lock to allow installation of imgc-lib');
    },
    180_000,
  );
});
