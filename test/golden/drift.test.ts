import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDrift } from '../../src/cli/drift.js';
import { defaultRules, isIgnored, parseIgnoreFile } from '../../src/golden/ignore.js';
import { buildManifest, serializeManifest } from '../../src/golden/manifest.js';
import { compareVersions } from '../../src/golden/version.js';
import { makeTree } from './fixture-tree.js';

const root = makeTree();
const scratch = mkdtempSync(join(tmpdir(), 'imgc-drift-test-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

function capture() {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdout: (t: string) => {
        stdout += t;
      },
      stderr: (t: string) => {
        stderr += t;
      },
      isTTY: false,
    },
    out: () => stdout,
    err: () => stderr,
  };
}

async function goldenFile() {
  const path = join(scratch, 'golden.manifest.json');
  writeFileSync(path, serializeManifest(await buildManifest(root)));
  return path;
}

describe('imgc drift', () => {
  it('reports nothing on the untouched tree, and exit 0', async () => {
    const c = capture();
    expect(await runDrift(c.io, await goldenFile(), root, {})).toBe(0);
    expect(c.out()).toBe('no drift\n');
  });

  it('reports exactly an added local file, a changed package file, a mode change and a package upgrade', async () => {
    const golden = await goldenFile();
    mkdirSync(join(root, 'usr/local/bin'), { recursive: true });
    writeFileSync(join(root, 'usr/local/bin/mine'), 'x');
    appendFileSync(join(root, 'etc/issue'), 'edited\n');
    chmodSync(join(root, 'usr/bin/tool'), 0o755);
    appendFileSync(join(root, 'var/log/boot.log'), 'more noise');
    const status = join(root, 'var/lib/dpkg/status');
    const before = execFileSync('cat', [status]).toString();
    writeFileSync(status, before.replace('Version: 1.0-1', 'Version: 1.0-2'));
    const c = capture();
    const code = await runDrift(c.io, golden, root, { json: true });
    const report = JSON.parse(c.out());
    expect(code).toBe(1 | 4);
    expect(
      report.paths.map((p: { path: string; kind: string; origin: string; aspects?: string[] }) => [
        p.path,
        p.kind,
        p.origin,
        p.aspects,
      ]),
    ).toEqual([
      ['/etc/issue', 'changed', 'package', ['content']],
      ['/usr/bin/tool', 'changed', 'package', ['mode']],
      ['/usr/local', 'added', 'local', undefined],
      ['/usr/local/bin', 'added', 'local', undefined],
      ['/usr/local/bin/mine', 'added', 'local', undefined],
    ]);
    expect(report.packages).toEqual([
      { name: 'tool', architecture: 'amd64', kind: 'upgraded', golden: '1.0-1', now: '1.0-2' },
    ]);
    // the same through a tar archive of the tree
    const tar = join(scratch, 'tree.tar');
    execFileSync('tar', ['-cf', tar, '-C', root, '--numeric-owner', '--xattrs', '.']);
    const t = capture();
    expect(await runDrift(t.io, golden, tar, { json: true })).toBe(5);
    expect(JSON.parse(t.out()).paths).toEqual(report.paths);
  });

  it('reads a GPT disk image without mounting it (debugfs), setuid/setgid/sticky bits kept, and says xattrs were not compared', async () => {
    const golden = join(scratch, 'disk-golden.json');
    const small = mkdtempSync(join(scratch, 'small-'));
    chmodSync(small, 0o755); // mkfs.ext4 -d gives the root 0755 whatever the folder's mode
    mkdirSync(join(small, 'etc'));
    writeFileSync(join(small, 'etc/hostname'), 'golden\n');
    // debugfs rdump drops these bits on its copies: drift must not report them as mode changes
    writeFileSync(join(small, 'etc/suid'), 'x');
    chmodSync(join(small, 'etc/suid'), 0o4755);
    mkdirSync(join(small, 'srv'));
    chmodSync(join(small, 'srv'), 0o3775);
    writeFileSync(golden, serializeManifest(await buildManifest(small)));
    const fs = join(scratch, 'fs.img');
    const disk = join(scratch, 'disk.img');
    writeFileSync(join(small, 'etc/hostname'), 'drifted\n');
    execFileSync('mkfs.ext4', ['-q', '-F', '-d', small, fs, '8M']);
    execFileSync('truncate', ['-s', '10M', disk]);
    execFileSync('sfdisk', ['-q', disk], {
      input: 'label: gpt\nstart=2048, size=16384, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709\n',
    });
    execFileSync('dd', [`if=${fs}`, `of=${disk}`, 'bs=512', 'seek=2048', 'conv=notrunc', 'status=none']);
    const c = capture();
    expect(await runDrift(c.io, golden, disk, { json: true })).toBe(4);
    const report = JSON.parse(c.out());
    expect(report.target.kind).toBe('disk');
    expect(report.paths.map((p: { path: string }) => p.path)).toEqual(['/etc/hostname']);
    expect(report.diagnostics.map((d: { code: string }) => d.code)).toEqual(['IMGC7768']);
  });

  it('gives clear errors with exit 16: another manifest version, not JSON, a corrupt image, a bad ignore rule', async () => {
    const v2 = join(scratch, 'v2.json');
    writeFileSync(v2, '{"manifestVersion": 2}');
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, '{\n  "manifestVersion": 1,\n  oops\n}');
    const corrupt = join(scratch, 'corrupt.img');
    writeFileSync(corrupt, Buffer.alloc(4096, 7));
    const rules = join(scratch, 'rules');
    writeFileSync(rules, '# mine\n/srv/cache\nrelative/path\n');
    const cases: [string, string, object, string][] = [
      [v2, root, {}, 'IMGC7761'],
      [bad, root, {}, 'IMGC7760'],
      [await goldenFile(), corrupt, {}, 'IMGC7764'],
      [await goldenFile(), join(scratch, 'missing'), {}, 'IMGC7763'],
      [await goldenFile(), root, { ignoreFile: rules }, 'IMGC7767'],
    ];
    for (const [manifest, target, flags, code] of cases) {
      const c = capture();
      expect(await runDrift(c.io, manifest, target, flags)).toBe(16);
      expect(c.err()).toContain(code);
    }
    const c = capture();
    await runDrift(c.io, bad, root, {});
    expect(c.err()).toMatch(/bad\.json:3:3/);
    const r = capture();
    await runDrift(r.io, await goldenFile(), root, { ignoreFile: rules });
    expect(r.err()).toMatch(/rules:3:1/);
  });
});

describe('ignore rules', () => {
  it('ignores runtime noise by default; a file adds rules, takes paths back with !, and reset drops the defaults', () => {
    const defaults = defaultRules();
    expect(isIgnored('/var/log/syslog', defaults)).toBe(true);
    expect(isIgnored('/etc/machine-id', defaults)).toBe(true);
    expect(isIgnored('/var/logs', defaults)).toBe(false);
    expect(isIgnored('/home/ann/.bash_history', defaults)).toBe(true);
    const mine = parseIgnoreFile('/srv/**/*.tmp\n!/var/log/audit\n', 'f', defaults);
    expect(isIgnored('/srv/a/b/c.tmp', mine)).toBe(true);
    expect(isIgnored('/var/log/audit/audit.log', mine)).toBe(false);
    expect(isIgnored('/var/log/syslog', parseIgnoreFile('reset\n', 'f', defaults))).toBe(false);
  });
});

describe('version order for package drift', () => {
  it('follows Debian: epochs, ~ before anything, numeric runs', () => {
    expect(compareVersions('1.0-2', '1.0-1')).toBeGreaterThan(0);
    expect(compareVersions('1.0~rc1', '1.0')).toBeLessThan(0);
    expect(compareVersions('1:0.9', '2.0')).toBeGreaterThan(0);
    expect(compareVersions('1.10', '1.9')).toBeGreaterThan(0);
    expect(compareVersions('252.39-1~deb12u2', '252.39-1~deb12u1')).toBeGreaterThan(0);
    expect(compareVersions('1.0', '1.0')).toBe(0);
  });
});
