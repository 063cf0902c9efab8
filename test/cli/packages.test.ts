/**
 * `imgc packages`: the stated set (no network), and `--resolve` with the family's own resolver:
 * apt against the machine's Debian archive (as the build uses it), dnf against a local rpm-md
 * repository built for the test and given with --repo.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { missingRepoTools, rpmRepository } from '../helpers/local-repos.js';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/shared.js';

const sample = join(repoRoot, 'samples/blueprint/debian-minimal.toml');
const scratch = mkdtempSync(join(tmpdir(), 'imgc-packages-'));
// apt's package lists are kept between runs, as the build keeps them
const cacheDir = join(tmpdir(), 'imgc-test-resolve-cache');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Report {
  stated: { install: string[] } | null;
  planned: string[];
  resolved: { tool: string; packages: { name: string; version: string; arch?: string }[] } | null;
  diagnostics: { code: string; message: string }[];
}

function irFile(name: string, edit: (ir: ImageIR) => void): string {
  const ir = emptyIr();
  edit(ir);
  const path = join(scratch, `${name}.ir.json`);
  writeFileSync(path, JSON.stringify(ir));
  return path;
}

describe('imgc packages', () => {
  it('lists the stated packages and what the plan adds, without the network', async () => {
    const text = await runCli(['packages', sample]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(
      'install (5): systemd systemd-sysv linux-image-amd64 dbus udev\nadded by the plan (3): locales tzdata passwd\n',
    );
    const json = JSON.parse((await runCli(['packages', sample, '--json'])).stdout) as Report;
    expect(json.stated?.install).toEqual(['systemd', 'systemd-sysv', 'linux-image-amd64', 'dbus', 'udev']);
    expect(json.planned).toEqual(expect.arrayContaining(['locales', 'tzdata', 'passwd']));
    expect(json.resolved).toBeNull();
  });

  it('resolves a Debian set with apt against the machine’s archive, with the base set mmdebstrap adds', async () => {
    const { code, stdout, stderr } = await runCli([
      'packages',
      sample,
      '--resolve',
      '--json',
      '--cache-dir',
      cacheDir,
    ]);
    expect(code, stderr).toBe(0);
    const r = JSON.parse(stdout) as Report;
    expect(r.resolved?.tool).toBe('apt-get');
    const names = r.resolved!.packages.map((p) => p.name);
    console.log(`apt resolved ${names.length} packages for the sample`);
    for (const p of [...r.stated!.install, ...r.planned]) expect(names).toContain(p);
    // Essential and Priority: required packages of the minbase variant, and dependencies
    for (const p of ['dpkg', 'base-files', 'apt', 'libc6', 'coreutils', 'linux-image-6.1'])
      expect(names.some((n) => n.startsWith(p))).toBe(true);
    expect(names.length).toBeGreaterThan(100);
    expect(r.resolved!.packages.every((p) => p.version && p.arch)).toBe(true);
  }, 180_000);

  it('fails with apt’s own words for a package the archive does not have', async () => {
    const def = irFile('missing', (ir) => {
      ir.distribution = { id: 'debian', release: '12', architecture: 'x86_64' };
      ir.packages.install.push({ name: 'imgc-no-such-package' });
    });
    const { code, stderr } = await runCli(['packages', def, '--resolve', '--cache-dir', cacheDir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/IMGC7050/);
    expect(stderr).toMatch(/Unable to locate package imgc-no-such-package/);
  }, 180_000);

  const missing = missingRepoTools('rpm');
  it.skipIf(missing.length > 0)(
    `resolves a Fedora set with dnf against a repository given with --repo${missing.length ? ` (SKIPPED: ${missing.join(', ')} missing)` : ''}`,
    async () => {
      const repo = rpmRepository('NAME=Fedora Linux\nID=fedora\nVERSION_ID=40\n');
      const def = irFile('fedora', (ir) => {
        ir.distribution = { id: 'fedora', release: '40', architecture: 'x86_64' };
        ir.packages.install.push({ name: 'imgc-hello' });
      });
      const { code, stdout, stderr } = await runCli([
        'packages',
        def,
        '--resolve',
        '--repo',
        join(repo, 'repo'),
        '--json',
        '--cache-dir',
        join(scratch, 'cache'),
      ]);
      expect(code, stderr).toBe(0);
      const r = JSON.parse(stdout) as Report;
      expect(r.resolved?.tool).toBe('dnf');
      // imgc-lib only as imgc-hello's dependency; imgc-daemon is in the repository but not asked for
      expect(r.resolved!.packages.map((p) => p.name)).toEqual(['imgc-hello', 'imgc-lib']);
    },
    180_000,
  );
});
