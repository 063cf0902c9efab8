/**
 * A hostile backend plugin, run behind the real JSON-RPC bridge, cannot make imgc write
 * outside the tree: a distribution name that climbs out of the package cache (IMGC8020), a
 * planned step imgc would run itself (IMGC8021), and a tree whose symlinks point at host
 * folders, into which imgc then writes the definition's files, directories, symlinks and
 * overlays (resolved inside the tree, decision 0072).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/contract.js';
import { BackendRegistry, localHost } from '../../src/backends/registry.js';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { executeBuild } from '../../src/exec/executor.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { planBuild } from '../../src/plan/planner.js';
import { inProcessBackend } from '../../src/plugins/sdk.js';
import { miniBackend, miniIr } from '../exec/mini-backend.js';
import { changes, snapshot } from '../helpers/host-snapshot.js';

const asRoot = process.getuid?.() === 0;
if (!asRoot) console.warn('SKIPPED: hostile plugin build: the executor needs root');
const maybeRoot = asRoot ? it : it.skip;

const base = '/var/tmp/imgc-tests';
mkdirSync(base, { recursive: true });

function plan(plugin: Backend, ir: ImageIR, sourceDir = base) {
  return planBuild({
    ir,
    backends: new BackendRegistry([inProcessBackend(plugin, { name: 'hostile' })]),
    host: localHost(),
    sourceDir,
    outputs: ['directory'],
    sourceDateEpoch: 1_700_000_000,
  });
}

const codes = (ds: Diagnostic[]) => ds.filter((d) => d.severity === 'error').map((d) => d.code);

describe('a hostile backend plugin', () => {
  it.each([
    ['suite', '../../../../../var/tmp/imgc-hostile-suite'],
    ['architecture', 'amd64/../../../../etc'],
    ['release', '..'],
    ['id', '.hidden'],
  ])('cannot name a distribution %s that leaves the package cache (IMGC8020)', async (field, value) => {
    const plugin: Backend = {
      ...miniBackend,
      resolveDistribution: () => ({
        distribution: {
          id: 'minios',
          release: '1',
          suite: 'one',
          architecture: 'amd64',
          versionId: '1',
          [field]: value,
        },
        diagnostics: [],
      }),
    };
    const planned = await plan(plugin, miniIr());
    expect(planned.plan).toBeUndefined();
    expect(codes(planned.diagnostics)).toContain('IMGC8020');
    expect(planned.diagnostics.find((d) => d.code === 'IMGC8020')?.message).toContain(JSON.stringify(value));
  });

  const hostWrite = {
    type: 'write-files',
    title: 'write where I say',
    options: {
      files: [{ path: '/../../../../var/tmp/imgc-hostile-plan', content: 'x\n' }],
      directories: [],
      symlinks: [],
      overlays: [],
    },
    origin: [],
  };
  it.each([
    ['a write-files step for imgc to run', { ...hostWrite }],
    ['a host script', { type: 'run-script', title: 'host', options: { chroot: false }, origin: [] }],
    ['its bootstrap with executor "core"', { ...hostWrite, type: 'bootstrap', executor: 'core' }],
  ])('cannot plan %s (IMGC8021)', async (_, draft) => {
    const plugin: Backend = {
      ...miniBackend,
      executes: [...miniBackend.executes, 'run-script'],
      planPackages: () => ({ bootstrap: draft as never, diagnostics: [] }),
    };
    const planned = await plan(plugin, miniIr());
    expect(planned.plan).toBeUndefined();
    expect(codes(planned.diagnostics)).toContain('IMGC8021');
  });

  it('cannot have planRemove plan anything but remove-packages (IMGC8021)', async () => {
    const plugin: Backend = { ...miniBackend, planRemove: () => hostWrite as never };
    const ir = miniIr();
    ir.packages.remove.push({ name: 'x' });
    await expect(plan(plugin, ir)).rejects.toMatchObject({ diagnostic: { code: 'IMGC8021' } });
  });

  it('still plans its own package steps', async () => {
    const planned = await plan(miniBackend, miniIr());
    expect(codes(planned.diagnostics)).toEqual([]);
    expect(planned.plan?.steps.map((s) => s.type)).toContain('bootstrap');
  });

  maybeRoot(
    'cannot lead the files imgc writes out of the tree through symlinks it planted',
    async () => {
      const dir = mkdtempSync(join(base, 'hostile-plugin-'));
      const marker = `imgc-plugin-${dir.split('-').pop()}`;
      const plugin: Backend = {
        ...miniBackend,
        async execute(step, context) {
          await miniBackend.execute(step, context);
          if (step.type !== 'bootstrap') return;
          const tree = context.tree;
          mkdirSync(join(tree, 'var'), { recursive: true });
          symlinkSync('/run', join(tree, 'var/run'));
          symlinkSync('/run/lock', join(tree, 'var/lock'));
          symlinkSync('/var/tmp', join(tree, 'etc/esc'));
          symlinkSync('../../../../../../var/tmp', join(tree, 'etc/up'));
        },
      };
      mkdirSync(join(dir, 'overlay/etc/esc'), { recursive: true });
      writeFileSync(join(dir, 'overlay/etc/esc', `${marker}-overlay`), 'overlay\n');
      const ir = miniIr();
      ir.files.push(
        { path: `/var/run/${marker}-file`, content: 'file\n' },
        { path: `/etc/up/${marker}-up`, content: 'up\n' },
      );
      ir.directories.push({ path: `/var/lock/${marker}-dir` });
      ir.symlinks.push({ path: `/etc/esc/${marker}-link`, target: '/etc/shadow' });
      ir.overlays.push({ source: 'overlay' });

      const before = snapshot(['/run', '/etc']);
      const planned = await plan(plugin, ir, dir);
      expect(codes(planned.diagnostics)).toEqual([]);
      const out = join(dir, 'out');
      const result = await executeBuild(planned.plan!, {
        cacheDir: join(dir, 'cache'),
        outputDir: out,
        backends: new BackendRegistry([inProcessBackend(plugin, { name: 'hostile' })]),
        positions: {},
        signal: new AbortController().signal,
        onEvent: () => {},
        treeCache: false,
        preferTmpfs: false,
        sourceDir: dir,
      });
      const after = snapshot(['/run', '/etc']);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.ok).toBe(true);

      const root = join(out, 'mini');
      expect(readFileSync(join(root, `run/${marker}-file`), 'utf8')).toBe('file\n');
      expect(readFileSync(join(root, `var/tmp/${marker}-up`), 'utf8')).toBe('up\n');
      expect(readFileSync(join(root, `var/tmp/${marker}-overlay`), 'utf8')).toBe('overlay\n');
      expect(existsSync(join(root, `run/lock/${marker}-dir`))).toBe(true);
      expect(readlinkSync(join(root, `var/tmp/${marker}-link`))).toBe('/etc/shadow');
      for (const host of [
        `/run/${marker}-file`,
        `/run/lock/${marker}-dir`,
        `/var/tmp/${marker}-up`,
        `/var/tmp/${marker}-overlay`,
        `/var/tmp/${marker}-link`,
      ])
        expect(existsSync(host), host).toBe(false);
      // /run and /etc are quiet on this machine: compared whole; /var/tmp is shared with every
      // concurrent test run, so it is checked for this run's marker above
      expect(changes(before, after)).toEqual([]);
    },
    300_000,
  );
});
