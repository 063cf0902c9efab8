import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { afterAll, describe, expect, it } from 'vitest';
import { toAideConf } from '../../src/golden/aide.js';
import { buildManifest, serializeManifest } from '../../src/golden/manifest.js';
import { toMtree } from '../../src/golden/mtree.js';
import { GoldenManifest } from '../../src/golden/schema.js';
import { makeTree } from './fixture-tree.js';

const root = makeTree();
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the golden manifest of a tree', () => {
  it('records type, mode, owners by number and name, hashes, link targets, xattrs and owning packages', async () => {
    const m = await buildManifest(root);
    expect(Value.Check(GoldenManifest, m)).toBe(true);
    const at = (p: string) => m.paths.find((e) => e.path === p);
    expect(m.os).toEqual({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    expect(m.packageDatabase).toBe('dpkg');
    expect(m.packages).toEqual([
      { name: 'base-files', version: '12.4+deb12u5', architecture: 'amd64' },
      { name: 'tool', version: '1.0-1', architecture: 'amd64', source: 'tool-src' },
    ]);
    expect(at('/usr/bin/tool')).toMatchObject({ type: 'file', mode: '4755', package: 'tool', size: 20 });
    expect(at('/usr/bin/tool')?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(at('/usr/lib/helper')).toMatchObject({ uid: 0, gid: 101, user: 'root', group: 'messagebus' });
    expect(at('/usr/lib/helper')?.xattrs).toEqual({ 'user.golden': '6869' });
    expect(at('/usr/lib/helper')?.package).toBeUndefined();
    expect(at('/bin')).toMatchObject({ type: 'symlink', target: 'usr/bin' });
    expect(at('/usr/lib/pipe')?.type).toBe('fifo');
    expect(at('/etc/issue')?.package).toBe('base-files');
    // "/" is listed by two packages: a directory gets an owner only when exactly one lists it
    expect(at('/')?.package).toBeUndefined();
  });

  it('is deterministic: sorted, and the same bytes from two runs', async () => {
    const a = serializeManifest(await buildManifest(root));
    const b = serializeManifest(await buildManifest(root));
    expect(a).toBe(b);
    const paths = (JSON.parse(a) as GoldenManifest).paths.map((p) => p.path);
    expect(paths).toEqual([...paths].sort());
  });

  it('exports an mtree spec that NetBSD mtree verifies against the tree, and that catches a change', async () => {
    const spec = join(root, '..', `${root.split('/').pop()}.mtree`);
    writeFileSync(spec, toMtree(await buildManifest(root)));
    expect(execFileSync('mtree', ['-f', spec, '-p', root]).toString()).toBe('');
    writeFileSync(join(root, 'etc/issue'), 'changed\n');
    let failed = '';
    try {
      execFileSync('mtree', ['-f', spec, '-p', root], { stdio: 'pipe' });
    } catch (e) {
      failed = String((e as { stdout: Buffer }).stdout);
    }
    writeFileSync(join(root, 'etc/issue'), 'Debian GNU/Linux 12\n');
    rmSync(spec);
    expect(failed).toContain('etc/issue');
  });

  it('exports an AIDE configuration that aide accepts, builds its database from the tree with, and that catches a change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgc-golden-aide-'));
    const conf = join(dir, 'golden.aide.conf');
    writeFileSync(conf, toAideConf(await buildManifest(root)));
    const aide = (...args: string[]) =>
      spawnSync(
        'aide',
        [...args, '--config', conf, '-B', `@@define DBDIR ${dir}`, '-B', `root_prefix=${root}`],
        {
          encoding: 'utf8',
        },
      );
    try {
      expect(spawnSync('aide', ['--config-check', '-c', conf]).status).toBe(0);
      expect(aide('--init').status).toBe(0);
      renameSync(join(dir, 'imgc-golden.db.new'), join(dir, 'imgc-golden.db'));
      expect(aide('--check').status).toBe(0);
      writeFileSync(join(root, 'etc/issue'), 'changed\n');
      const check = aide('--check');
      expect(check.status).toBe(4); // AIDE's bit for changed entries
      expect(check.stdout).toContain('/etc/issue');
    } finally {
      writeFileSync(join(root, 'etc/issue'), 'Debian GNU/Linux 12\n');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
