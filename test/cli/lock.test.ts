/**
 * `imgc lock` and `imgc build --locked` for dnf, zypper and pacman against the local
 * repositories the family tests build: the digests in the lock are the repository files' own,
 * a tampered entry (version, sha256) fails the build before anything is installed, at the
 * entry's line, `--update` reports what changed, and a locked pacman build installs the set.
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onPath } from '../../src/backends/common/resolver.js';
import type { LockFile } from '../../src/exec/package-lock.js';
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR, Repository } from '../../src/ir/schema.js';
import { buildGate, cliBuild } from '../backends/family-build.js';
import { fixtureIr } from '../backends/fixture-ir.js';
import { versionedPackage } from '../backends/resolve-case.js';
import { missingRepoTools, pacmanRepository, rpmRepository } from '../helpers/local-repos.js';
import { runCli } from '../helpers/run-cli.js';

interface Family {
  name: string;
  tool: string;
  distribution: ImageIR['distribution'];
  kind: 'rpm' | 'pacman';
  repository: () => Repository;
  /** what the lock's repository entry is keyed by, and the time stamp kind */
  stateKind: string;
}

const rpmRepo = (osRelease: string) => () => {
  const repo = rpmRepository(osRelease, [versionedPackage]);
  return { id: 'imgc', type: 'rpm-md' as const, urls: [join(repo, 'repo')], gpgCheck: false };
};

const families: Family[] = [
  {
    name: 'fedora',
    tool: 'dnf',
    distribution: { id: 'fedora', release: '40', architecture: 'x86_64' },
    kind: 'rpm',
    repository: rpmRepo('NAME=Fedora Linux\nID=fedora\nVERSION_ID=40\n'),
    stateKind: 'repomd-revision',
  },
  {
    name: 'suse',
    tool: 'zypper',
    distribution: { id: 'opensuse-leap', release: '15.6', architecture: 'x86_64' },
    kind: 'rpm',
    repository: rpmRepo('NAME=openSUSE Leap\nID=opensuse-leap\nVERSION_ID=15.6\n'),
    stateKind: 'repomd-revision',
  },
  {
    name: 'arch',
    tool: 'pacman',
    distribution: { id: 'arch', release: 'rolling', architecture: 'x86_64' },
    kind: 'pacman',
    repository: () => {
      const repo = pacmanRepository('NAME=Arch Linux\nID=arch\n', [versionedPackage]);
      return { id: 'imgc', type: 'pacman' as const, urls: [join(repo, 'repo')], gpgCheck: false };
    },
    stateKind: 'db-mtime',
  },
];

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function definition(f: Family): string {
  const dir = mkdtempSync(join(tmpdir(), `imgc-lock-${f.name}-`));
  const ir = emptyIr();
  ir.metadata = { name: 'locked' };
  ir.distribution = f.distribution;
  ir.repositories = [f.repository()];
  ir.packages.install = [{ name: 'imgc-tool' }];
  const path = join(dir, 'def.ir.json');
  writeFileSync(path, JSON.stringify(ir));
  return path;
}

const cache = (def: string) => ['--cache-dir', join(def, '..', 'cache')];

for (const f of families) {
  const missing = [...missingRepoTools(f.kind), ...(onPath(f.tool) ? [] : [f.tool])];
  if (missing.length) console.warn(`SKIPPED: ${f.name} lock test: ${missing.join(', ')} missing`);
  const maybe = missing.length ? it.skip : it;

  describe(`imgc lock with ${f.tool}`, () => {
    maybe(
      'locks the dependency chain with the repository files’ own digests; a tampered entry fails --locked at its line; --update reports the change',
      async () => {
        const def = definition(f);
        const locked = await runCli(['lock', def, ...cache(def)]);
        expect(locked.code, locked.stderr).toBe(0);
        const file = join(def, '..', 'locked.lock');
        expect(locked.stdout).toContain(`wrote ${file}: 3 packages resolved by ${f.tool}`);
        const lock = JSON.parse(readFileSync(file, 'utf8')) as LockFile;
        expect(lock.packages.map((p) => `${p.name} ${p.version}`)).toEqual([
          'imgc-hello 1.0-1',
          'imgc-lib 1.0-1',
          'imgc-tool 2.3.4-1',
        ]);
        for (const p of lock.packages) {
          const path = fileURLToPath(p.url);
          expect(sha256(path), p.name).toBe(p.sha256);
          expect(readFileSync(path).length).toBe(p.size);
        }
        expect(lock.repositories).toHaveLength(1);
        expect(lock.repositories[0]!.kind).toBe(f.stateKind);
        expect(Date.parse(lock.repositories[0]!.timestamp)).toBeGreaterThan(Date.parse('2020-01-01'));

        const again = await runCli(['lock', def, ...cache(def)]);
        expect(again.code).toBe(1);
        expect(again.stderr).toContain('IMGC7739');

        // tamper: another version of imgc-hello, another digest of imgc-lib
        const tampered = structuredClone(lock);
        tampered.packages[0]!.version = '0.9-1';
        tampered.packages[1]!.sha256 = '0'.repeat(64);
        const tamperedFile = join(def, '..', 'tampered.lock');
        const text = `${JSON.stringify(tampered, null, 2)}\n`;
        writeFileSync(tamperedFile, text);
        const build = await runCli([
          'build',
          def,
          '--lock',
          tamperedFile,
          '-o',
          join(def, '..', 'out'),
          ...cache(def),
        ]);
        expect(build.code).not.toBe(0);
        const lineOf = (name: string) => text.split('\n').findIndex((l) => l.includes(`"${name}"`));
        expect(build.stderr).toContain(
          `${tamperedFile}:${lineOf('imgc-hello')}:5: error IMGC7730 locked package imgc-hello no longer matches: locked 0.9-1, the repositories now give 1.0-1`,
        );
        expect(build.stderr).toContain(
          `${tamperedFile}:${lineOf('imgc-lib')}:5: error IMGC7730 locked package imgc-lib no longer matches: 1.0-1 now has sha256 ${lock.packages[1]!.sha256}, locked ${'0'.repeat(64)}`,
        );
        expect(build.stderr).not.toMatch(/imgc-tool no longer matches/);

        const updated = await runCli(['lock', def, '--update', '-o', tamperedFile, ...cache(def)]);
        expect(updated.code, updated.stderr).toBe(0);
        expect(updated.stdout).toMatch(/rebuilt +imgc-lib +1\.0-1 → 1\.0-1/);
        expect(updated.stdout).toMatch(/upgraded +imgc-hello +0\.9-1 → 1\.0-1/);
        expect(readFileSync(tamperedFile, 'utf8')).toBe(readFileSync(file, 'utf8'));
      },
      240_000,
    );
  });
}

const gate = buildGate(['pacman', 'bsdtar', 'repo-add', 'useradd', 'systemctl']);
if (!gate.ok) console.warn(`SKIPPED: locked pacman build: ${gate.why}`);

describe('imgc build --locked with pacman', () => {
  (gate.ok ? it : it.skip)(
    'installs the locked set and writes the same lock beside the outputs',
    async () => {
      const repo = pacmanRepository('NAME=Arch Linux\nID=arch\n');
      const ir = fixtureIr(
        { id: 'arch', release: 'rolling' },
        { id: 'imgc', type: 'pacman', urls: [join(repo, 'repo')], gpgCheck: false },
      );
      const dir = mkdtempSync(join(tmpdir(), 'imgc-lock-arch-build-'));
      const def = join(dir, 'image.ir.json');
      writeFileSync(def, JSON.stringify(ir));
      mkdirSync(join(dir, 'overlay'));
      const lockFile = join(dir, 'image.lock');
      const locked = await runCli(['lock', def, '-o', lockFile, '--cache-dir', join(dir, 'cache')]);
      expect(locked.code, locked.stderr).toBe(0);
      const result = await cliBuild(ir, 'arch-locked', ['--locked', '--lock', lockFile]);
      expect(result.code, result.stderr).toBe(0);
      const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as LockFile;
      const installed = execFileSync(
        'pacman',
        ['--root', result.tree, '--dbpath', join(result.tree, 'var/lib/pacman'), '-Q'],
        { encoding: 'utf8' },
      );
      // the lock is what the package steps install; packages.remove (imgc-extra) runs after them
      const removed = new Set(ir.packages.remove.map((p) => p.name));
      expect(removed.size).toBeGreaterThan(0);
      const kept = lock.packages.filter((p) => !removed.has(p.name));
      expect(installed.trim().split('\n').sort()).toEqual(kept.map((p) => `${p.name} ${p.version}`));
      const beside = join(result.outDir, `${ir.metadata?.name ?? 'image'}.lock`);
      expect(readFileSync(beside, 'utf8')).toBe(readFileSync(lockFile, 'utf8'));
    },
    240_000,
  );
});
