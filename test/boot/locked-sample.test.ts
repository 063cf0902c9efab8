/**
 * `imgc build --locked` of the sample: the lock written beside a build of the sample (shared
 * tree cache) is replayed with a package cache that starts empty, so every locked .deb is
 * downloaded from its URL and checked against its SHA-256; both trees' dpkg status must list
 * the same packages. A tampered entry (version, sha256) fails before anything is installed.
 * The kernel is left out of the sample's packages: downloading and installing it (70 MB, an
 * initramfs) would double the replay's time for no more coverage.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dpkgInstalled } from '../../src/backends/debian/locked.js';
import type { LockFile } from '../../src/exec/package-lock.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { buildSample, imgc, type SampleBuild } from './sample-build.js';

const BOUND_MS = 900_000;
const withoutKernel = (ir: ImageIR) => {
  ir.packages.install = ir.packages.install.filter((p) => p.name !== 'linux-image-amd64');
};
const scratch: string[] = [];
let reference: SampleBuild | undefined;

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  if (reference) rmSync(reference.scratch, { recursive: true, force: true });
});

const status = (tree: string) => readFileSync(join(tree, 'var/lib/dpkg/status'), 'utf8');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('imgc build --locked of the sample', () => {
  it.skipIf(process.getuid?.() !== 0)(
    'replays the same package set from an empty package cache, and refuses a tampered lock entry at its line',
    async () => {
      reference = await buildSample(['directory'], [], BOUND_MS, withoutKernel);
      expect(reference.code, reference.log.slice(-3000)).toBe(0);
      const lockFile = join(reference.out, 'imgc-sample.lock');
      const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as LockFile;
      const referenceSet = dpkgInstalled(status(join(reference.out, 'imgc-sample')));
      expect(lock.packages.map((p) => `${p.name} ${p.version}`)).toEqual(
        [...referenceSet].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, v]) => `${n} ${v}`),
      );

      mkdirSync('/var/tmp/imgc-tests', { recursive: true });
      const cache = mkdtempSync('/var/tmp/imgc-tests/locked-cache-');
      scratch.push(cache);
      const definition = join(reference.scratch, 'image.json');
      const out = join(reference.scratch, 'replay');
      const build = (lockPath: string) =>
        imgc(
          [
            'build',
            definition,
            '--from',
            'ir',
            '--output',
            'directory',
            '-o',
            out,
            '--cache-dir',
            cache,
            '--locked',
            '--lock',
            lockPath,
          ],
          BOUND_MS,
        );
      const t0 = Date.now();
      const replay = await build(lockFile);
      console.log(
        `locked replay from an empty package cache: exit ${replay.code} in ${(Date.now() - t0) / 1000} s`,
      );
      expect(replay.code, replay.stderr.slice(-3000)).toBe(0);
      expect(dpkgInstalled(status(join(out, 'imgc-sample')))).toEqual(referenceSet);
      expect(readFileSync(join(out, 'imgc-sample.lock'), 'utf8')).toBe(readFileSync(lockFile, 'utf8'));
      // every locked .deb was fetched into the emptied cache (packages/debian/<suite>-<arch>/),
      // with the locked digest
      const debs = join(cache, 'packages/debian');
      const bySha = new Set(
        readdirSync(debs, { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith('.deb'))
          .map((f) => sha256(join(debs, f))),
      );
      expect(bySha.size).toBeGreaterThan(0);
      expect(lock.packages.filter((p) => !bySha.has(p.sha256)).map((p) => p.name)).toEqual([]);

      const tampered = structuredClone(lock);
      const dbus = tampered.packages.findIndex((p) => p.name === 'dbus');
      const udev = tampered.packages.findIndex((p) => p.name === 'udev');
      tampered.packages[dbus]!.version = '1.0-1';
      tampered.packages[udev]!.sha256 = 'f'.repeat(64);
      const text = `${JSON.stringify(tampered, null, 2)}\n`;
      const tamperedFile = join(reference.scratch, 'tampered.lock');
      writeFileSync(tamperedFile, text);
      const refused = await build(tamperedFile);
      expect(refused.code).not.toBe(0);
      const line = (name: string) => text.split('\n').findIndex((l) => l.includes(`"name": "${name}"`));
      expect(refused.stderr).toContain(
        `${tamperedFile}:${line('dbus')}:5: error IMGC7730 locked package dbus no longer matches: locked 1.0-1, the repositories now give ${lock.packages[dbus]!.version}`,
      );
      expect(refused.stderr).toContain(
        `${tamperedFile}:${line('udev')}:5: error IMGC7730 locked package udev no longer matches`,
      );
      expect(refused.stderr.match(/IMGC7730/g)).toHaveLength(2);
    },
    BOUND_MS * 2,
  );
});
