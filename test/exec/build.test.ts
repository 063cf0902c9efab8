/**
 * Real builds (root, mmdebstrap, the configured mirror): every IR system field lands in the
 * tree, a rebuild after one overlay file changed installs no packages, and a failing script
 * points at its source line and leaves no partial output.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendRegistry, localHost } from '../../src/backends/registry.js';
import { executeBuild } from '../../src/exec/executor.js';
import type { BuildEvent } from '../../src/exec/progress.js';
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { planBuild } from '../../src/plan/planner.js';
import { canBuild, freshCache, leftovers, loopsMentioning, mountsMentioning, settled } from './build-env.js';

const gate = canBuild();
if (!gate.ok) console.warn(`SKIPPED: real build tests: ${gate.why}`);
const maybe = gate.ok ? it : it.skip;
const backends = new BackendRegistry();

function definition(dir: string): ImageIR {
  mkdirSync(join(dir, 'overlay/etc/imgc'), { recursive: true });
  writeFileSync(join(dir, 'overlay/etc/imgc/overlay.txt'), 'first\n');
  writeFileSync(join(dir, 'banner.txt'), 'from a source file\n');
  const ir = emptyIr();
  ir.distribution = { id: 'debian', release: 'bookworm' };
  ir.packages.install.push({ name: 'systemd' });
  ir.packages.installDocs = false;
  Object.assign(ir.system, {
    hostname: 'imgc-built',
    locale: 'en_US.UTF-8',
    keymap: 'de-latin1',
    timezone: 'Europe/Berlin',
  });
  ir.system.kernel.cmdline.push('console=ttyS0', 'quiet');
  ir.system.services.enable.push('systemd-networkd.service');
  ir.system.services.mask.push('systemd-timesyncd.service');
  ir.accounts.groups.push({ name: 'builders', gid: 1500 });
  ir.accounts.users.push({
    name: 'alice',
    uid: 1234,
    groups: ['sudo', 'builders', 'wheel'],
    sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtestkey alice@test'],
    password: { hash: '$6$salt$hashvalue' },
    description: 'Alice',
  });
  ir.accounts.root = { password: { locked: true }, sshKeys: [] };
  ir.files.push({ path: '/etc/motd', content: 'built by imgc\n', mode: '0640', group: 'builders' });
  ir.files.push({ path: '/etc/imgc/banner', source: 'banner.txt' });
  ir.directories.push({ path: '/srv/data', mode: '0750', user: 'alice' });
  ir.symlinks.push({ path: '/etc/imgc/link', target: 'overlay.txt' });
  ir.overlays.push({ source: 'overlay' });
  ir.scripts.push({
    phase: 'post-install',
    chroot: true,
    body: 'cat /proc/self/stat >/dev/null && hostname -F /etc/hostname 2>/dev/null; echo "$IMGC_PHASE" > /etc/imgc/phase\n',
  });
  ir.scripts.push({
    phase: 'finalize',
    chroot: false,
    body: 'echo host > "$IMGC_ROOT/etc/imgc/host-script"\n',
  });
  return ir;
}

async function build(ir: ImageIR, dir: string, cacheDir: string, outDir: string, positions = {}) {
  const planned = await planBuild({
    ir,
    positions,
    backends,
    host: localHost(),
    sourceDir: dir,
    outputs: ['directory', 'tar'],
    sourceDateEpoch: 1_700_000_000,
  });
  expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const events: BuildEvent[] = [];
  const result = await executeBuild(planned.plan!, {
    cacheDir,
    outputDir: outDir,
    backends,
    positions,
    signal: new AbortController().signal,
    onEvent: (e) => events.push(e),
  });
  return { result, events, plan: planned.plan! };
}

const started = (events: BuildEvent[]) =>
  events.filter((e) => e.event === 'step-start').map((e) => (e as { type: string }).type);
const cached = (events: BuildEvent[]) =>
  events.filter((e) => e.event === 'step-cached').map((e) => (e as { type: string }).type);

describe('imgc build (Debian, real)', () => {
  maybe(
    'applies every system field, rebuilds an overlay change without installing packages, and fails cleanly',
    async () => {
      const dir = mkdtempSync('/var/tmp/imgc-tests-def-');
      const cacheDir = freshCache('build');
      const outDir = join(dir, 'out');
      const ir = definition(dir);

      const first = await build(ir, dir, cacheDir, outDir);
      expect(first.result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      expect(first.result.ok).toBe(true);
      expect(started(first.events)[0]).toBe('bootstrap');
      const counts = first.events.filter((e) => e.event === 'step-progress' && e.packages);
      expect(counts.length).toBeGreaterThan(10);

      const root = join(outDir, 'image');
      const read = (p: string) => readFileSync(join(root, p), 'utf8');
      expect(read('etc/hostname')).toBe('imgc-built\n');
      expect(read('etc/default/locale')).toBe('LANG=en_US.UTF-8\n');
      expect(execFileSync('chroot', [root, 'locale', '-a'], { encoding: 'utf8' })).toMatch(/en_US\.utf8/);
      expect(read('etc/vconsole.conf')).toBe('KEYMAP=de-latin1\n');
      expect(read('etc/default/keyboard')).toContain('XKBLAYOUT="de"');
      expect(readlinkSync(join(root, 'etc/localtime'))).toBe('../usr/share/zoneinfo/Europe/Berlin');
      expect(existsSync(join(root, 'usr/share/zoneinfo/Europe/Berlin'))).toBe(true);
      expect(read('etc/kernel/cmdline')).toBe('console=ttyS0 quiet\n');
      expect(read('etc/passwd')).toMatch(/^alice:x:1234:\d+:Alice:\/home\/alice:\/bin\/bash$/m);
      expect(read('etc/shadow')).toMatch(/^alice:\$6\$salt\$hashvalue:/m);
      expect(read('etc/shadow')).toMatch(/^root:!/m);
      expect(read('etc/group')).toMatch(/^builders:x:1500:alice$/m);
      expect(read('etc/group')).toMatch(/^sudo:x:27:alice$/m);
      expect(read('etc/group')).toMatch(/^wheel:x:\d+:alice$/m);
      const keys = statSync(join(root, 'home/alice/.ssh/authorized_keys'));
      expect([keys.uid, keys.mode & 0o777]).toEqual([1234, 0o600]);
      expect(read('home/alice/.ssh/authorized_keys')).toContain('alice@test');
      expect(lstatSync(join(root, 'etc/systemd/system/systemd-timesyncd.service')).isSymbolicLink()).toBe(
        true,
      );
      expect(readlinkSync(join(root, 'etc/systemd/system/systemd-timesyncd.service'))).toBe('/dev/null');
      expect(readdirSync(join(root, 'etc/systemd/system/multi-user.target.wants'))).toContain(
        'systemd-networkd.service',
      );
      const motd = statSync(join(root, 'etc/motd'));
      expect([read('etc/motd'), motd.mode & 0o777, motd.gid]).toEqual(['built by imgc\n', 0o640, 1500]);
      expect(read('etc/imgc/banner')).toBe('from a source file\n');
      expect(statSync(join(root, 'srv/data')).uid).toBe(1234);
      expect(readlinkSync(join(root, 'etc/imgc/link'))).toBe('overlay.txt');
      expect(read('etc/imgc/overlay.txt')).toBe('first\n');
      expect(statSync(join(root, 'etc/imgc/overlay.txt')).uid).toBe(0);
      expect(read('etc/imgc/phase')).toBe('post-install\n');
      expect(read('etc/imgc/host-script')).toBe('host\n');
      expect(existsSync(join(root, 'usr/share/doc/systemd/copyright'))).toBe(true);
      expect(readdirSync(join(root, 'usr/share/doc/systemd'))).toEqual(['copyright']);
      expect(read('etc/machine-id')).toBe('');
      // the bootstrap's options (dpkg force-unsafe-io, no apt translations) are the build's, not the image's
      expect(existsSync(join(root, 'etc/dpkg/dpkg.cfg.d/99mmdebstrap'))).toBe(false);
      expect(existsSync(join(root, 'etc/apt/apt.conf.d/99mmdebstrap'))).toBe(false);
      const listing = execFileSync('tar', ['-tf', join(outDir, 'image.tar')], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      expect(listing).toContain('./etc/imgc/overlay.txt\n');
      expect(leftovers(outDir)).toEqual([]);
      expect(mountsMentioning([cacheDir, outDir])).toEqual([]);
      expect(loopsMentioning([cacheDir, outDir])).toEqual([]);

      // One overlay file changes: packages, locale and accounts come from the tree cache; the
      // services are enabled again after the files (a unit may come from an overlay).
      writeFileSync(join(dir, 'overlay/etc/imgc/overlay.txt'), 'second\n');
      const t0 = Date.now();
      const second = await build(ir, dir, cacheDir, outDir);
      console.log(`incremental rebuild after one overlay change: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      expect(second.result.ok).toBe(true);
      expect(cached(second.events)).toEqual(['bootstrap', 'configure-system', 'configure-accounts']);
      expect(started(second.events).slice(0, 2)).toEqual(['write-files', 'configure-services']);
      expect(started(second.events)).not.toContain('bootstrap');
      expect(second.events.some((e) => e.event === 'step-progress' && e.packages)).toBe(false);
      expect(read('etc/imgc/overlay.txt')).toBe('second\n');
      expect(read('etc/hostname')).toBe('imgc-built\n');

      // A failing script: the error names the line that asked for it; no partial output.
      const broken = structuredClone(ir);
      broken.scripts.push({
        phase: 'post-install',
        chroot: true,
        name: 'explode.sh',
        body: 'echo about to fail; exit 7\n',
      });
      const positions = { '/scripts/2': { file: join(dir, 'image.toml'), line: 42, column: 1 } };
      await settled(outDir);
      const before = readdirSync(outDir).sort();
      const third = await build(broken, dir, cacheDir, outDir, positions);
      expect(third.result.ok).toBe(false);
      const error = third.result.diagnostics.find((d) => d.severity === 'error')!;
      expect(error).toMatchObject({
        code: 'IMGC7019',
        file: join(dir, 'image.toml'),
        line: 42,
        column: 1,
        pointer: '/scripts/2',
      });
      expect(error.message).toContain('status 7');
      await settled(outDir);
      expect(readdirSync(outDir).sort()).toEqual(before);
      expect(leftovers(outDir)).toEqual([]);
      expect(mountsMentioning([cacheDir, outDir])).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    },
    900_000,
  );
});
