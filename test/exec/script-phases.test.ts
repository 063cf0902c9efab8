/**
 * The script phases outside the tree chain, run by the real executor with real processes on a
 * small tree (test/exec/mini-backend.ts): post-output after the outputs, on-error/traceback on
 * a failure (and not on Ctrl-C), pre-disk and disk scripts inside a real disk assembly.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localHost } from '../../src/backends/registry.js';
import { executeBuild } from '../../src/exec/executor.js';
import type { BuildEvent } from '../../src/exec/progress.js';
import type { PositionTable } from '../../src/ir/positions.js';
import type { ImageIR, OutputType } from '../../src/ir/schema.js';
import { planBuild } from '../../src/plan/planner.js';
import { makeToolRoot } from '../ir/kiwi-script-env/tool-root.js';
import { executorTestsBlocked, scratchDirs } from './build-env.js';
import { miniBackends, miniIr } from './mini-backend.js';

const tools = [
  'unshare',
  'setpriv',
  'tar',
  'rsync',
  'sfdisk',
  'mkfs.ext4',
  'mkfs.vfat',
  'mcopy',
  'debugfs',
  'dd',
];
const why = executorTestsBlocked(tools, 'script phase executor tests');
const maybe = why ? it.skip : it;

const scratch = scratchDirs('phases');

interface Run {
  dir: string;
  out: string;
  ok: boolean;
  interrupted?: string;
  diagnostics: { code: string; severity: string; pointer?: string; line?: number; message: string }[];
  events: BuildEvent[];
}

async function build(
  ir: ImageIR,
  outputs: OutputType[],
  opts: { positions?: PositionTable; controller?: AbortController; dir?: string } = {},
): Promise<Run> {
  const dir = opts.dir ?? scratch();
  const backends = miniBackends();
  const planned = await planBuild({
    ir,
    positions: opts.positions ?? {},
    outputs,
    backends,
    host: localHost(),
    sourceDir: dir,
    sourceDateEpoch: 1_700_000_000,
  });
  expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const events: BuildEvent[] = [];
  const out = join(dir, 'out');
  const result = await executeBuild(planned.plan!, {
    cacheDir: join(dir, 'cache'),
    outputDir: out,
    backends,
    positions: opts.positions ?? {},
    signal: (opts.controller ?? new AbortController()).signal,
    onEvent: (e) => events.push(e),
    treeCache: false,
    preferTmpfs: false,
    sourceDir: dir,
  });
  return { dir, out, ...result, events };
}

const starts = (r: Run) =>
  r.events.filter((e) => e.event === 'step-start').map((e) => (e as { title: string }).title);
const byCode = (r: Run, code: string) => r.diagnostics.filter((d) => d.code === code);
const errors = (r: Run) => r.diagnostics.filter((d) => d.severity === 'error');
const noLeftovers = (out: string) =>
  readdirSync(out).filter((n) => n.startsWith('.imgc-tmp-') || n.startsWith('.imgc-work-'));

describe('post-output scripts', () => {
  maybe(
    'run on the host once every output is in place, in order, with the output folder and files',
    async () => {
      const ir = miniIr();
      ir.scripts.push(
        {
          phase: 'post-output',
          chroot: false,
          name: 'list.sh',
          body: [
            'exec >"$OUTPUTDIR/post-output.txt"',
            'echo "dir=$IMGC_OUTPUT_DIR src=$SRCDIR phase=$IMGC_PHASE"',
            'test -n "$IMGC_ROOT" || echo "no tree"',
            'echo "$IMGC_OUTPUTS" | while read -r f; do test -e "$f" && echo "exists $f"; done',
          ].join('\n'),
        },
        {
          phase: 'post-output',
          chroot: false,
          name: 'second.sh',
          body: 'echo second >>"$OUTPUTDIR/post-output.txt"\n',
        },
      );
      const r = await build(ir, ['directory', 'tar']);
      expect(errors(r)).toEqual([]);
      expect(r.ok).toBe(true);
      expect(readFileSync(join(r.out, 'post-output.txt'), 'utf8').split('\n')).toEqual([
        `dir=${r.out} src=${r.dir} phase=post-output`,
        'no tree',
        `exists ${join(r.out, 'mini.tar')}`,
        `exists ${join(r.out, 'mini')}`,
        'second',
        '',
      ]);
      // both run after the last output event
      const lastOutput = r.events.findLastIndex((e) => e.event === 'output');
      const firstScript = r.events.findIndex(
        (e) => e.event === 'step-start' && (e as { type: string }).type === 'post-output-script',
      );
      expect(firstScript).toBeGreaterThan(lastOutput);
    },
  );

  maybe(
    'fail the build at their source line when they fail, and leave the finished outputs alone',
    async () => {
      const ir = miniIr();
      ir.scripts.push({
        phase: 'post-output',
        chroot: false,
        name: 'upload.sh',
        body: 'echo no network; exit 4\n',
      });
      const positions = { '/scripts/0': { file: '/defs/mkosi.conf', line: 7, column: 1 } };
      const r = await build(ir, ['tar'], { positions });
      expect(r.ok).toBe(false);
      expect(errors(r)).toMatchObject([
        { code: 'IMGC7019', pointer: '/scripts/0', file: '/defs/mkosi.conf', line: 7 },
      ]);
      expect(errors(r)[0]!.message).toContain('status 4');
      expect(existsSync(join(r.out, 'mini.tar'))).toBe(true);
      expect(noLeftovers(r.out)).toEqual([]);
    },
  );
});

describe('on-error and traceback scripts', () => {
  maybe(
    'run after a failing step with the failure in their environment; their own failure does not mask it',
    async () => {
      const dir = scratch();
      const ir = miniIr();
      ir.scripts.push(
        { phase: 'post-install', chroot: false, name: 'boom.sh', body: 'echo going down; exit 5\n' },
        // listed first, runs after the on-error scripts
        {
          phase: 'traceback',
          chroot: false,
          name: 'traceback.sh',
          body: 'echo traceback >>"$SRCDIR/handlers.txt"; exit 9\n',
        },
        {
          phase: 'on-error',
          chroot: false,
          name: 'collect.sh',
          log: join(dir, 'on-error.log'),
          body: [
            'echo "on-error step=$IMGC_FAILED_STEP code=$IMGC_ERROR_CODE" >>"$SRCDIR/handlers.txt"',
            'echo "error=$IMGC_ERROR" >>"$SRCDIR/handlers.txt"',
            'test -f "$IMGC_ROOT/etc/os-release" && echo "tree is there" >>"$SRCDIR/handlers.txt"',
            'echo to the log',
          ].join('\n'),
        },
        // in the image: the tree still exists, with a shell
        {
          phase: 'on-error',
          chroot: true,
          name: 'inside.sh',
          body: 'read -r line </etc/os-release; echo "inside: $line"\n',
        },
      );
      const positions = { '/scripts/0': { file: join(dir, 'ks.cfg'), line: 3, column: 1 } };
      const r = await build(ir, ['tar'], { positions, dir });
      expect(r.ok).toBe(false);
      expect(errors(r)).toHaveLength(1);
      expect(errors(r)[0]).toMatchObject({ code: 'IMGC7019', pointer: '/scripts/0', line: 3 });
      expect(readFileSync(join(dir, 'handlers.txt'), 'utf8').split('\n')).toEqual([
        'on-error step=run-script code=IMGC7019',
        'error=script boom.sh (post-install, on the host): script boom.sh exited with status 5',
        'tree is there',
        'traceback',
        '',
      ]);
      expect(readFileSync(join(dir, 'on-error.log'), 'utf8')).toBe('to the log\n');
      const inside = r.events.filter((e) => e.event === 'log' && e.line.startsWith('inside:'));
      expect(inside.map((e) => (e as { line: string }).line)).toEqual(['inside: ID=minios']);
      expect(byCode(r, 'IMGC7303')).toMatchObject([
        {
          severity: 'warning',
          pointer: '/scripts/1',
          message: 'traceback script traceback.sh failed as well: exit status 9',
        },
      ]);
      expect(starts(r).slice(-3)).toEqual([
        'script collect.sh (on-error, on the host)',
        'script inside.sh (on-error, in the image)',
        'script traceback.sh (traceback, on the host)',
      ]);
      expect(existsSync(join(r.out, 'mini.tar'))).toBe(false);
      expect(noLeftovers(r.out)).toEqual([]);
    },
  );

  maybe('skip a chroot script when the build failed before there was a tree', async () => {
    const ir = miniIr();
    ir.scripts.push(
      { phase: 'pre-install', chroot: false, name: 'early.sh', body: 'exit 2\n' },
      { phase: 'on-error', chroot: true, name: 'inside.sh', body: 'echo never\n' },
      {
        phase: 'on-error',
        chroot: false,
        name: 'host.sh',
        body: 'test -n "$IMGC_ROOT" || echo "host ran without a tree"\n',
      },
    );
    const r = await build(ir, ['tar']);
    expect(errors(r)).toMatchObject([{ code: 'IMGC7019', pointer: '/scripts/0' }]);
    expect(byCode(r, 'IMGC7301')).toMatchObject([
      {
        severity: 'warning',
        pointer: '/scripts/1',
        message:
          'script inside.sh (on-error) is not run: it runs in the image, and the build failed before there was a tree',
      },
    ]);
    const lines = r.events.filter((e) => e.event === 'log').map((e) => (e as { line: string }).line);
    expect(lines).toContain('host ran without a tree');
    expect(lines).not.toContain('never');
  });

  maybe(
    'are not run when the build is interrupted',
    async () => {
      const ir = miniIr();
      ir.scripts.push(
        {
          phase: 'post-install',
          chroot: false,
          name: 'slow.sh',
          body: 'touch "$IMGC_ROOT/started"; sleep 60\n',
        },
        { phase: 'on-error', chroot: false, name: 'collect.sh', body: 'touch "$SRCDIR/on-error-ran"\n' },
      );
      const controller = new AbortController();
      const dir = scratch();
      const running = build(ir, ['tar'], { controller, dir });
      const t0 = Date.now();
      while (!existsSync(join(dir, 'cache')) || !findStarted(dir)) {
        if (Date.now() - t0 > 60_000) throw new Error('the script never started');
        await new Promise((r) => setTimeout(r, 100));
      }
      controller.abort('SIGINT');
      const r = await running;
      expect(r.interrupted).toBe('SIGINT');
      expect(existsSync(join(dir, 'on-error-ran'))).toBe(false);
      expect(byCode(r, 'IMGC7304')).toMatchObject([
        { severity: 'info', message: expect.stringContaining('interrupted by SIGINT') },
      ]);
      expect(byCode(r, 'IMGC7014')).toHaveLength(1);
    },
    90_000,
  );
});

/** The slow script's marker inside the workspace tree (under the cache dir's work folder). */
function findStarted(dir: string): boolean {
  const work = join(dir, 'cache', 'work');
  return existsSync(work) && readdirSync(work).some((w) => existsSync(join(work, w, 'tree', 'started')));
}

/** A file of the disk's root partition, read with debugfs from a copy of that partition. */
function rootFile(image: string, partitions: string, path: string): string {
  const root = partitions
    .split('\n')
    .map((l) => l.split(' '))
    .find((f) => f[1] === 'root')!;
  const part = `${image}.root`;
  execFileSync(
    'dd',
    [
      `if=${image}`,
      `of=${part}`,
      'bs=1M',
      `skip=${Number(root[3]) / 2 ** 20}`,
      `count=${Number(root[4]) / 2 ** 20}`,
    ],
    {
      stdio: 'ignore',
    },
  );
  try {
    return execFileSync('debugfs', ['-R', `cat ${path}`, part], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } finally {
    rmSync(part, { force: true });
  }
}

describe('pre-disk and disk scripts', () => {
  maybe(
    'change the disk image only, chroot ones before the filesystems are written, host ones on the finished image',
    async () => {
      const ir = miniIr();
      ir.boot = { bootloader: 'none' };
      ir.scripts.push(
        {
          phase: 'pre-disk',
          chroot: true,
          name: 'pre_disk_sync.sh',
          body: 'echo "pre-disk $IMGC_PHASE" >/etc/pre-disk\n',
        },
        {
          phase: 'disk',
          chroot: true,
          name: 'disk.sh',
          body: [
            'echo "$IMGC_DISK_NAME $IMGC_DISK_FORMAT" >/etc/disk',
            'test -n "$IMGC_DISK_IMAGE" || echo "no image path in the chroot" >>/etc/disk',
            'echo "$IMGC_DISK_PARTITIONS" >>/etc/disk',
          ].join('\n'),
        },
        {
          phase: 'disk',
          chroot: false,
          name: 'edit_boot_install.sh',
          body: [
            'printf IMGC-DISK-SCRIPT | dd of="$IMGC_DISK_IMAGE" bs=1 seek=1040000 conv=notrunc status=none',
            'test -f ./etc/disk && echo "cwd is the tree, chroot disk scripts ran first" >"$IMGC_OUTPUT_DIR/host-disk.txt"',
            'echo "$IMGC_DISK_PARTITIONS" >>"$IMGC_OUTPUT_DIR/host-disk.txt"',
          ].join('\n'),
        },
      );
      const r = await build(ir, ['directory', 'disk']);
      expect(errors(r)).toEqual([]);
      expect(r.ok).toBe(true);

      // the directory output was written before the disk scripts changed the tree
      expect(existsSync(join(r.out, 'mini/etc/os-release'))).toBe(true);
      expect(existsSync(join(r.out, 'mini/etc/pre-disk'))).toBe(false);
      expect(starts(r).slice(-5)).toEqual([
        'directory mini',
        'script pre_disk_sync.sh (pre-disk, in the image)',
        'disk mini.raw',
        'script disk.sh (disk, in the image)',
        'script edit_boot_install.sh (disk, on the host)',
      ]);

      const image = join(r.out, 'mini.raw');
      const buf = Buffer.alloc(16);
      readSync(openSync(image, 'r'), buf, 0, 16, 1040000);
      expect(buf.toString()).toBe('IMGC-DISK-SCRIPT');
      const host = readFileSync(join(r.out, 'host-disk.txt'), 'utf8').split('\n');
      expect(host[0]).toBe('cwd is the tree, chroot disk scripts ran first');
      expect(host[1]).toMatch(/^1 esp vfat 1048576 \d+ [0-9a-f-]{36}$/);
      expect(host[2]).toMatch(/^2 root ext4 \d+ \d+ [0-9a-f-]{36}$/);
      const partitions = host.slice(1, 3).join('\n');

      expect(rootFile(image, partitions, '/etc/pre-disk')).toBe('pre-disk pre-disk\n');
      expect(rootFile(image, partitions, '/etc/disk')).toBe(
        `mini.raw raw\nno image path in the chroot\n${partitions}\n`,
      );
      expect(noLeftovers(r.out)).toEqual([]);
    },
    120_000,
  );

  maybe(
    'point a failing disk script at its source line and leave no disk behind',
    async () => {
      const ir = miniIr();
      ir.boot = { bootloader: 'none' };
      ir.scripts.push({ phase: 'disk', chroot: false, name: 'disk.sh', body: 'exit 3\n' });
      const positions = { '/scripts/0': { file: '/defs/config.kiwi', line: 1, column: 1 } };
      const r = await build(ir, ['disk'], { positions });
      expect(r.ok).toBe(false);
      expect(errors(r)).toMatchObject([
        { code: 'IMGC7019', pointer: '/scripts/0', file: '/defs/config.kiwi' },
      ]);
      expect(errors(r)[0]!.message).toContain(
        'script disk.sh (disk, on the host): script disk.sh exited with status 3',
      );
      expect(existsSync(join(r.out, 'mini.raw'))).toBe(false);
      expect(noLeftovers(r.out)).toEqual([]);
    },
    120_000,
  );
});

describe('KIWI script environment', () => {
  maybe(
    "gives a KIWI config.sh imgc's /.kconfig and /.profile under set -e, and leaves neither in the image",
    async () => {
      const dir = scratch();
      makeToolRoot(join(dir, 'tools'));
      const ir = miniIr();
      ir.metadata = { name: 'leap-mini', version: '15.6.0' };
      ir.activeProfiles = ['kvm'];
      ir.overlays.push({ source: 'tools', kind: 'extra' });
      ir.files.push(
        { path: '/usr/lib/systemd/system/sshd.service', content: '[Service]\n' },
        { path: '/usr/lib/systemd/system/multi-user.target', content: '' },
        { path: '/etc/sysconfig/console', content: 'CONSOLE_FONT=""\n' },
      );
      ir.scripts.push({
        phase: 'post-install',
        chroot: true,
        name: 'config.sh',
        body: [
          '#!/bin/sh',
          'set -e',
          'test -f /.kconfig && . /.kconfig',
          'test -f /.profile && . /.profile',
          'Echo "Configure image: [$kiwi_iname]..."',
          'suseInsertService sshd',
          'baseSetRunlevel 3',
          'baseUpdateSysConfig /etc/sysconfig/console CONSOLE_FONT lat9w-16',
          'echo "$kiwi_iname $kiwi_iversion $kiwi_profiles $kiwi_type" >/etc/kiwi-image',
          'echo "env: $kiwi_iname" >>/etc/kiwi-image',
        ].join('\n'),
      });
      ir.scripts.push({
        phase: 'finalize',
        chroot: true,
        name: 'plain.sh',
        body: 'for f in /.* /*; do echo "$f"; done >/etc/root-list\n',
      });
      const r = await build(ir, ['directory'], { dir });
      expect(errors(r)).toEqual([]);
      expect(r.ok).toBe(true);
      const root = join(r.out, 'leap-mini');
      expect(readFileSync(join(root, 'calls.log'), 'utf8')).toBe('systemctl enable sshd\n');
      expect(readlinkSync(join(root, 'etc/systemd/system/default.target'))).toBe(
        '/usr/lib/systemd/system/multi-user.target',
      );
      expect(readFileSync(join(root, 'etc/sysconfig/console'), 'utf8')).toBe('CONSOLE_FONT="lat9w-16"\n');
      expect(readFileSync(join(root, 'etc/kiwi-image'), 'utf8')).toBe(
        'leap-mini 15.6.0 kvm \nenv: leap-mini\n',
      );
      // the finalize script does not use KIWI's environment: it does not get the files
      expect(readFileSync(join(root, 'etc/root-list'), 'utf8')).not.toMatch(/\.kconfig|\.profile/);
      expect(existsSync(join(root, '.kconfig'))).toBe(false);
      expect(existsSync(join(root, '.profile'))).toBe(false);
    },
  );
});
