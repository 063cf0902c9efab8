import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyIr } from '../../src/ir/empty.js';
import type { Summary } from '../../src/ir/summary.js';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/shared.js';

const sample = join(repoRoot, 'samples/blueprint/debian-minimal.toml');
const profiles = join(repoRoot, 'test/formats/kiwi/fixtures/profiles/input.kiwi');

describe('imgc summary', () => {
  it('prints the sections in order, with where the distribution was stated', async () => {
    const { code, stdout } = await runCli(['summary', sample]);
    expect(code).toBe(0);
    const titles = stdout.split('\n').filter((l) => /^[A-Z ]+:$/.test(l));
    expect(titles).toEqual([
      'SOURCE:',
      'DISTRIBUTION:',
      'REPOSITORIES:',
      'PACKAGES:',
      'USERS:',
      'SERVICES:',
      'OUTPUTS:',
      'DISK LAYOUT:',
      'SCRIPTS:',
      'PROFILES:',
    ]);
    expect(stdout).toMatch(/Distribution: debian\n\s+Release: 12\n/);
    expect(stdout).toMatch(/How: stated at .*debian-minimal\.toml:6:1/);
    expect(stdout).toMatch(/None stated: the build uses the distribution’s own/);
    expect(stdout).toMatch(/Install: 5: systemd systemd-sysv linux-image-amd64 dbus udev/);
    expect(stdout).toMatch(/imgc: hashed password, groups sudo, shell \/bin\/bash/);
    expect(stdout).not.toMatch(/\$6\$|\$y\$/);
  });

  it('says how an inferred distribution was found, and shows accounts without their secrets', async () => {
    const { code, stdout } = await runCli(['summary', profiles]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/How: distribution inferred as fedora 41 from repository .* \(IMGC3030\)/);
    expect(stdout).toMatch(/root: uid 0, clear-text password, shell \/bin\/zsh/);
    expect(stdout).toMatch(/tux: uid 1000, hashed password, groups wheel,video, shell \/bin\/bash/);
    expect(stdout).not.toContain('plainroot');
    expect(stdout).not.toContain('$6$x$y');
    expect(stdout).toMatch(/Disk: active, default, disk image/);
    expect(stdout).toMatch(/Live: inactive, live image/);
    expect(stdout).toMatch(/\/: root, xfs/);
  });

  it('merges the profiles chosen with --profile', async () => {
    const disk = await runCli(['summary', profiles, '--json']);
    const live = await runCli(['summary', profiles, '--profile', 'Live', '--json']);
    const a = JSON.parse(disk.stdout).summary as Summary;
    const b = JSON.parse(live.stdout).summary as Summary;
    expect(a.users.map((u) => u.name)).not.toContain('liveuser');
    expect(b.users.find((u) => u.name === 'liveuser')?.login).toBe('no password');
    expect(b.profiles.find((p) => p.name === 'Live')?.active).toBe(true);
  });

  it('prints JSON with every section and no password values', async () => {
    const { code, stdout } = await runCli(['summary', profiles, '--json']);
    expect(code).toBe(0);
    const { summary, diagnostics } = JSON.parse(stdout) as { summary: Summary; diagnostics: unknown[] };
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining([
        'source',
        'distribution',
        'repositories',
        'packages',
        'users',
        'services',
        'outputs',
        'disk',
        'scripts',
        'profiles',
      ]),
    );
    expect(summary.source.format).toBe('kiwi');
    expect(summary.distribution).toMatchObject({ id: 'fedora', release: '41' });
    expect(JSON.stringify(summary)).not.toMatch(/plainroot|\$6\$x\$y|"p"/);
    expect(diagnostics.length).toBeGreaterThan(0);
  });

  it('prints a repository URL without the password in its user info', async () => {
    const ir = emptyIr();
    ir.distribution = { id: 'fedora', release: '41' };
    ir.repositories.push({ id: 'private', urls: ['https://build:s3cr3t@repo.example.org/fedora/'] });
    const file = join(mkdtempSync(join(tmpdir(), 'imgc-summary-')), 'x.ir.json');
    writeFileSync(file, JSON.stringify(ir));
    const text = await runCli(['summary', file]);
    expect(text.stdout).toMatch(/private: https:\/\/build:.*@repo\.example\.org/);
    expect(text.stdout).not.toContain('s3cr3t');
    expect((await runCli(['summary', file, '--json'])).stdout).not.toContain('s3cr3t');
  });

  it('exits 2 with the reader error for a path that does not exist (a usage error, decision 0080)', async () => {
    const { code, stdout, stderr } = await runCli(['summary', join(repoRoot, 'no/such/file.toml')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/IMGC1001/);
  });
});
