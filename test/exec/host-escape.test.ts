/**
 * A hostile definition built for real (root, mmdebstrap) reaches nothing outside its output
 * and cache. Every item aims at the host: a home that climbs plus an SSH key, a file under
 * /var/run (an absolute symlink to /run in a Debian tree), a directory under /var/lock, a
 * symlink /etc/esc → /var/tmp with an overlay folder and an archive written through it.
 * The IR goes straight to the planner, past the reader's checks (IMGC1041), so what is tested
 * is the build's own confinement. Other builds run on this machine at the same time, so the
 * host check looks for this run's unique marker in /run, /var/tmp, /tmp and /etc rather than
 * for any change at all.
 */
import { execFileSync } from 'node:child_process';
import {
  type Dirent,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendRegistry, localHost } from '../../src/backends/registry.js';
import { executeBuild } from '../../src/exec/executor.js';
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { planBuild } from '../../src/plan/planner.js';
import { canBuild, freshCache } from './build-env.js';

const gate = canBuild();
if (!gate.ok) console.warn(`SKIPPED: host-escape build test: ${gate.why}`);
const maybe = gate.ok ? it : it.skip;

function hostileDefinition(dir: string, marker: string): ImageIR {
  mkdirSync(join(dir, 'overlay/etc/esc'), { recursive: true });
  writeFileSync(join(dir, 'overlay/etc/esc', `${marker}-overlay`), 'overlay\n');
  mkdirSync(join(dir, 'archive/etc/esc'), { recursive: true });
  writeFileSync(join(dir, 'archive/etc/esc', `${marker}-archive`), 'archive\n');
  execFileSync('tar', ['-cf', join(dir, 'overlay.tar'), '-C', join(dir, 'archive'), 'etc']);
  const ir = emptyIr();
  ir.distribution = { id: 'debian', release: 'bookworm' };
  ir.packages.installDocs = false;
  ir.accounts.users.push({
    name: 'mallory',
    groups: [],
    home: `/../../../../../../../var/tmp/${marker}-home`,
    sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtestkey mallory@test'],
  });
  ir.files.push({ path: `/var/run/${marker}-file`, content: 'file\n' });
  ir.directories.push({ path: `/var/lock/${marker}-dir` });
  ir.symlinks.push({ path: '/etc/esc', target: '/var/tmp' });
  ir.overlays.push({ source: 'overlay' }, { source: 'overlay.tar' });
  return ir;
}

/** Every path under the roots (three levels: where an escape would land) whose name holds the marker. */
function marked(roots: string[], marker: string, skip: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (skip.includes(dir) || depth > 3) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.name.includes(marker)) found.push(path);
      if (e.isDirectory()) walk(path, depth + 1);
    }
  };
  for (const root of roots) walk(root, 0);
  return found;
}

describe('a hostile definition, built for real', () => {
  maybe(
    'writes every hostile item inside the image and nothing on the host',
    async () => {
      const dir = mkdtempSync('/var/tmp/imgc-tests-escape-');
      const cacheDir = freshCache('escape');
      const outDir = join(dir, 'out');
      const marker = `imgc-escape-${basename(dir).split('-').pop()}`;
      const backends = new BackendRegistry();
      const planned = await planBuild({
        ir: hostileDefinition(dir, marker),
        backends,
        host: localHost(),
        sourceDir: dir,
        outputs: ['directory'],
        sourceDateEpoch: 1_700_000_000,
      });
      expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const result = await executeBuild(planned.plan!, {
        cacheDir,
        outputDir: outDir,
        backends,
        positions: {},
        signal: new AbortController().signal,
        onEvent: () => {},
      });
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.ok).toBe(true);

      const root = join(outDir, 'image');
      const read = (p: string) => readFileSync(join(root, p), 'utf8');
      expect(read(`var/tmp/${marker}-home/.ssh/authorized_keys`)).toContain('mallory@test');
      expect(read(`run/${marker}-file`)).toBe('file\n');
      expect(existsSync(join(root, `run/lock/${marker}-dir`))).toBe(true);
      expect(read(`var/tmp/${marker}-overlay`)).toBe('overlay\n');
      expect(read(`var/tmp/${marker}-archive`)).toBe('archive\n');

      const skip = [realpathSync(dir), realpathSync(cacheDir)];
      expect(marked(['/run', '/var/tmp', '/tmp', '/etc', '/dev/shm'], marker, skip)).toEqual([]);
    },
    1_200_000,
  );
});
