/**
 * `imgc packages --resolve` for Arch: pacman -Sy into a scratch database, then -Sp against the
 * local pacman repository the build tests use, with a package of its own version whose
 * dependency chain (imgc-tool → imgc-hello → imgc-lib) pacman must follow.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPath } from '../../../src/backends/common/resolver.js';
import { missingRepoTools, pacmanRepository } from '../../helpers/local-repos.js';
import { resolveIr, versionedPackage } from '../resolve-case.js';

const missing = [...missingRepoTools('pacman'), ...(onPath('pacman') ? [] : ['pacman'])];
const maybe = missing.length ? it.skip : it;
if (missing.length) console.warn(`SKIPPED: pacman resolve test: ${missing.join(', ')} missing`);

const arch = { id: 'arch', release: 'rolling', architecture: 'x86_64' };

describe('arch backend: resolving with pacman', () => {
  const repository = () => {
    const repo = pacmanRepository('NAME=Arch Linux\nID=arch\n', [versionedPackage]);
    return { id: 'imgc', type: 'pacman' as const, urls: [join(repo, 'repo')], gpgCheck: false };
  };

  maybe(
    'pulls in the dependency chain with the versions the repository holds, and nothing it was not asked for',
    async () => {
      const { code, report, stderr } = await resolveIr(arch, repository(), ['imgc-tool']);
      expect(code, stderr).toBe(0);
      expect(report.resolved?.tool).toBe('pacman');
      expect(report.resolved!.packages).toEqual([
        { name: 'imgc-hello', version: '1.0-1', from: 'imgc' },
        { name: 'imgc-lib', version: '1.0-1', from: 'imgc' },
        { name: 'imgc-tool', version: '2.3.4-1', from: 'imgc' },
      ]);
    },
    180_000,
  );

  maybe(
    'fails with pacman’s own words for a package the repository does not have',
    async () => {
      const { code, report } = await resolveIr(arch, repository(), ['imgc-no-such-package']);
      expect(code).toBe(1);
      const error = report.diagnostics.find((d) => d.code === 'IMGC7050');
      expect(error?.message).toMatch(/target not found: imgc-no-such-package/);
    },
    180_000,
  );

  maybe(
    'honours an exclusion: a package whose dependency is excluded cannot be resolved',
    async () => {
      const { code, report } = await resolveIr(arch, repository(), ['imgc-tool'], ['imgc-lib']);
      expect(code).toBe(1);
      const error = report.diagnostics.find((d) => d.code === 'IMGC7050');
      expect(error?.message).toContain("unable to satisfy dependency 'imgc-lib' required by imgc-hello");
    },
    180_000,
  );
});
