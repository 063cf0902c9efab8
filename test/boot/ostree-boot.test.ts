/**
 * Issue 19's done-criteria for the OSTree outputs, from the sample tree the other boot tests
 * cache: one build makes the commit (archive repository, checked with `ostree fsck`), the
 * deployed disk and the bootc-style OCI image; the disk boots to the pass marker; a second
 * build with one more package is deployed into a copy of that disk offline, boots, and shows the
 * new deployment with the first one as rollback. Every build commits with the same
 * SOURCE_DATE_EPOCH: the first build's two commits (archive for the repository, bare for the
 * disk, each from its own copy of the tree) must have the same checksum, and so must a second,
 * separate build of the commit, from its own restored copy of the cached tree.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageIR } from '../../src/ir/schema.js';
import { ensureHostTools } from '../helpers/host-tools.js';
import { bootDisk } from '../helpers/qemu.js';
import { BOOT_MARKER } from './marker.js';
import { describeCommitDifference, listCommit } from './ostree-compare.js';
import { buildSample, type SampleBuild } from './sample-build.js';

const BUILD_BOUND_MS = 1_800_000;
const BOOT_BOUND_MS = 600_000;
const PODMAN_BOUND_MS = 300_000;
const FSCK_BOUND_MS = 300_000;
const EPOCH = '1700000000';
const REF = 'debian/12/x86_64/imgc-test';
/** printed by the upgraded image: the deployments ostree sees, and the extra package */
const STATUS_MARKER = 'IMGC-OSTREE-STATUS';

const statusUnit = `[Unit]
Description=imgc OSTree test: deployments on the serial console
After=local-fs.target imgc-boot-marker.service
DefaultDependencies=no

[Service]
Type=oneshot
StandardOutput=tty
TTYPath=/dev/ttyS0
ExecStart=/bin/sh -c 'echo "${STATUS_MARKER} deployments=$(ls /sysroot/ostree/deploy/debian/deploy | grep -c "\\\\.0$$") entries=$(ls /sysroot/boot/loader/entries | tr "\\\\n" " ") hello=$(command -v hello || echo none) booted=$(sed -n "s/.*ostree=\\\\([^ ]*\\\\).*/\\\\1/p" /proc/cmdline)"'

[Install]
WantedBy=multi-user.target
`;

let first: SampleBuild;
const env = { SOURCE_DATE_EPOCH: EPOCH };

function ostree(args: string[]): string {
  const r = spawnSync('ostree', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ostree ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-20_000);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function only(dir: string, suffix: string): string {
  const found = readdirSync(dir).filter((f) => f.endsWith(suffix));
  expect(found, `${suffix} in ${dir}`).toHaveLength(1);
  return join(dir, found[0]!);
}

const withStatusUnit = (ir: ImageIR) => {
  ir.files.push({
    path: '/etc/systemd/system/imgc-ostree-status.service',
    content: statusUnit,
    mode: '0644',
  });
  ir.symlinks.push({
    path: '/etc/systemd/system/multi-user.target.wants/imgc-ostree-status.service',
    target: '/etc/systemd/system/imgc-ostree-status.service',
  });
};

beforeAll(async () => {
  ensureHostTools();
  Object.assign(process.env, env);
  first = await buildSample(
    ['ostree-commit', 'ostree-disk', 'bootc-oci'],
    ['-O', `ostree-ref=${REF}`],
    BUILD_BOUND_MS,
    withStatusUnit,
  );
  expect(first.code, first.log.slice(-4000)).toBe(0);
}, BUILD_BOUND_MS + 60_000);

afterAll(() => {
  if (first?.scratch) rmSync(first.scratch, { recursive: true, force: true });
});

describe('the OSTree outputs of the sample image', () => {
  it(
    'commit: ostree fsck passes, the commit is bootable, and the disk deployed the same checksum',
    async () => {
      const repo = only(first.out, '.ostree');
      // asynchronous: fsck of the archive repository takes 30-50 s under load
      const fsck = await run('ostree', ['fsck', `--repo=${repo}`]);
      expect(fsck.code, fsck.stderr).toBe(0);
      expect(fsck.stdout).toMatch(/no errors found/);
      const checksum = ostree(['rev-parse', `--repo=${repo}`, REF]).trim();
      expect(ostree(['show', `--repo=${repo}`, REF, '--print-metadata-key=ostree.bootable'])).toMatch(/true/);
      expect(ostree(['ls', `--repo=${repo}`, REF, '/usr/etc/hostname'])).toMatch(/usr\/etc\/hostname/);
      expect(ostree(['ls', `--repo=${repo}`, REF, '/home'])).toMatch(/-> var\/home/);
      // two commits of two copies of the tree, in two repository modes: the same checksum
      expect(first.log).toContain(`deployed ${checksum}`);
      expect(ostree(['log', `--repo=${repo}`, REF])).toMatch(/Date: {2}2023-11-14 22:13:20/);
    },
    FSCK_BOUND_MS,
  );

  it(
    'a second build of the commit, in its own work folder from a restored tree, gives the same checksum and tree',
    async () => {
      // a bare repository given with ostree-repo: an archive commit compresses every object
      // (~100 s more under load), and the checksum does not depend on the mode
      const t0 = Date.now();
      const bare = mkdtempSync(join(tmpdir(), 'imgc-ostree-bare-'));
      ostree(['init', '--mode=bare', `--repo=${bare}`]);
      const second = await buildSample(
        ['ostree-commit'],
        ['-O', `ostree-ref=${REF}`, '-O', `ostree-repo=${bare}`],
        BUILD_BOUND_MS,
        join(first.scratch, 'image.json'),
      );
      try {
        expect(second.code, second.log.slice(-4000)).toBe(0);
        // its tree came from the cache (the first build restored or saved it), finalize ran again
        expect(second.log).toMatch(/\] initrd \(initramfs-tools, gzip\): cached/);
        const side = (repo: string) => ({
          repo,
          checksum: ostree(['rev-parse', `--repo=${repo}`, REF]).trim(),
          listing: listCommit(repo, REF),
        });
        const one = side(only(first.out, '.ostree'));
        const two = side(bare);
        expect(readFileSync(only(second.out, '.ostree-commit'), 'utf8')).toBe(
          `${REF} ${two.checksum} ${bare}\n`,
        );
        console.log(`second build's commit ${two.checksum}, ${two.listing.split('\n').length} entries`);
        expect(describeCommitDifference(one, two)).toBe('');
        console.log(`second build and comparison: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } finally {
        rmSync(second.scratch, { recursive: true, force: true });
        rmSync(bare, { recursive: true, force: true });
      }
    },
    BUILD_BOUND_MS + 120_000,
  );

  it(
    'bootc-oci: podman loads it and sees the bootc labels',
    async () => {
      const archive = only(first.out, '.bootc.oci.tar');
      // podman refuses a runroot longer than 50 characters
      const storage = mkdtempSync('/tmp/imgc-pod-');
      try {
        // asynchronous: a load of the ~700 MB archive takes a minute under load, too long to hold the worker
        const podman = (args: string[]) =>
          run('podman', [
            ...['--root', join(storage, 'root'), '--runroot', join(storage, 'run')],
            ...['--storage-driver', 'vfs', '--events-backend', 'file', ...args],
          ]);
        const load = await podman(['load', '-i', archive]);
        expect(load.code, load.stderr).toBe(0);
        const loaded = /Loaded image:\s*(\S+)/.exec(load.stdout)?.[1] ?? '';
        const labels = await podman(['image', 'inspect', '--format', '{{json .Labels}}', loaded]);
        expect(labels.code, labels.stderr).toBe(0);
        expect(JSON.parse(labels.stdout)).toMatchObject({ 'containers.bootc': '1', 'ostree.bootable': '1' });
      } finally {
        rmSync(storage, { recursive: true, force: true });
      }
    },
    PODMAN_BOUND_MS,
  );

  it(
    'the deployed disk boots to the marker; an offline upgrade with one more package boots with a rollback entry',
    async () => {
      const disk = only(first.out, '.ostree.raw');
      const logFile = join(tmpdir(), 'imgc-ostree-boot-serial.log');
      const boot = await bootDisk({ disk, marker: STATUS_MARKER, timeoutMs: BOOT_BOUND_MS, logFile });
      console.log(
        `ostree-disk boot: ${boot.outcome} after ${(boot.elapsedMs / 1000).toFixed(1)} s (${boot.accel})`,
      );
      if (boot.outcome !== 'marker') console.log(boot.log.slice(-4000), boot.stderr);
      expect(boot.outcome).toBe('marker');
      expect(boot.log).toMatch(new RegExp(`${BOOT_MARKER} host=imgc-sample`));
      expect(boot.line).toMatch(
        /deployments=1 entries=ostree-1-debian.conf {2}hello=none booted=\/ostree\/boot/,
      );

      const second = await buildSample(
        ['ostree-disk'],
        ['-O', `ostree-ref=${REF}`, '-O', `ostree-upgrade-disk=${disk}`],
        BUILD_BOUND_MS,
        (ir) => {
          withStatusUnit(ir);
          ir.packages.install.push({ name: 'hello' });
        },
      );
      try {
        expect(second.code, second.log.slice(-4000)).toBe(0);
        const upgraded = only(second.out, '.ostree.raw');
        const log2 = join(tmpdir(), 'imgc-ostree-upgrade-serial.log');
        const boot2 = await bootDisk({
          disk: upgraded,
          marker: STATUS_MARKER,
          timeoutMs: BOOT_BOUND_MS,
          logFile: log2,
        });
        console.log(`upgraded disk boot: ${boot2.outcome} after ${(boot2.elapsedMs / 1000).toFixed(1)} s`);
        if (boot2.outcome !== 'marker') console.log(boot2.log.slice(-4000), boot2.stderr);
        expect(boot2.outcome).toBe('marker');
        expect(boot2.line).toMatch(
          /deployments=2 entries=ostree-1-debian.conf ostree-2-debian.conf {2}hello=\/usr\/bin\/hello/,
        );
      } finally {
        rmSync(second.scratch, { recursive: true, force: true });
      }
    },
    2 * BOOT_BOUND_MS + BUILD_BOUND_MS,
  );
});
