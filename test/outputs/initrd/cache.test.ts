/**
 * The initrd cache on a small fake tree: the "generator" is a function of the tree files the
 * fake lsinitramfs lists, so a wrong hit shows as an initrd that differs from a fresh one.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { StepContext } from '../../../src/backends/contract.js';
import { modulesPolicy, withInitrdCache } from '../../../src/outputs/initrd/cache.js';
import { installedVersions } from '../../../src/outputs/initrd/key.js';

const K = '6.1.0-99-amd64';
const IN_INITRD = [
  `usr/lib/modules/${K}/kernel/virtio_blk.ko`,
  'usr/bin/busybox',
  'usr/lib/x86_64-linux-gnu/libc.so.6',
];

function write(root: string, path: string, text: string) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const status = (kmod: string) =>
  ['initramfs-tools', 'kmod', 'libc6']
    .map((p) => `Package: ${p}\nStatus: install ok installed\nVersion: ${p === 'kmod' ? kmod : '1.0'}\n`)
    .join('\n');

function fixture() {
  const root = mkdtempSync(join(tmpdir(), 'imgc-initrd-cache-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  const tree = join(root, 'tree');
  const cache = join(root, 'cache');
  write(tree, `boot/vmlinuz-${K}`, 'kernel');
  for (const p of IN_INITRD) write(tree, p, `content of ${p}`);
  write(tree, 'usr/share/initramfs-tools/hooks/busybox', '#!/bin/sh\n');
  write(tree, 'etc/initramfs-tools/initramfs.conf', 'MODULES=most\nCOMPRESS=zstd\n');
  write(tree, 'var/lib/dpkg/status', status('30-1'));
  write(tree, 'var/lib/dpkg/info/initramfs-tools.list', '/usr/share/initramfs-tools/hooks/busybox\n');
  let generated = 0;
  const notes: string[] = [];
  const generate = async () => {
    generated++;
    const h = createHash('sha256');
    for (const p of IN_INITRD) h.update(readFileSync(join(tree, p)));
    h.update(readFileSync(join(tree, 'etc/initramfs-tools/initramfs.conf')));
    h.update(process.env.SOURCE_DATE_EPOCH ?? '');
    write(tree, `boot/initrd.img-${K}`, h.digest('hex'));
  };
  const context = (withCache = true) =>
    ({
      tree,
      ...(withCache ? { initrdCache: cache } : {}),
      progress: { log: (l: string) => notes.push(l), note: (n: string) => notes.push(n), packages: () => {} },
      runner: {
        run: async () => ({ stdout: '' }),
        chroot: async (_root: string, command: readonly string[]) => {
          if (command[0] === 'lsinitramfs')
            return { stdout: `.\n${IN_INITRD.join('\n')}\nconf/initramfs.conf\n` };
          throw new Error(`unexpected ${command.join(' ')}`);
        },
      },
    }) as unknown as StepContext;
  const job = (sourceDateEpoch?: number) => ({
    generator: 'initramfs-tools' as const,
    settings: {},
    ...(sourceDateEpoch !== undefined ? { sourceDateEpoch } : {}),
    generate,
  });
  const initrd = () => readFileSync(join(tree, `boot/initrd.img-${K}`), 'utf8');
  const fresh = async () => {
    await generate();
    generated--;
    return initrd();
  };
  return { tree, cache, context, job, initrd, fresh, notes, generated: () => generated };
}

describe('the initrd cache', () => {
  it('makes the initrd on a miss, and on the next build copies back the same bytes, saying so with the key', async () => {
    const f = fixture();
    await withInitrdCache(f.context(), f.job(1700000000));
    expect(f.generated()).toBe(1);
    const first = f.initrd();
    rmSync(join(f.tree, `boot/initrd.img-${K}`));
    await withInitrdCache(f.context(), f.job(1700000000));
    expect(f.generated()).toBe(1);
    expect(f.initrd()).toBe(first);
    expect(f.notes).toContainEqual(expect.stringMatching(/^initrd cache hit [0-9a-f]{32}$/));
    const [entry] = readdirSync(f.cache);
    const manifest = JSON.parse(readFileSync(join(f.cache, entry!, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.files).sort()).toEqual([...IN_INITRD].sort());
  });

  it.each([
    ['a file that went into the initrd', (t: string) => write(t, IN_INITRD[2]!, 'a newer libc')],
    [
      'the configuration',
      (t: string) => write(t, 'etc/initramfs-tools/initramfs.conf', 'MODULES=most\nCOMPRESS=xz\n'),
    ],
    ['a hook', (t: string) => write(t, 'usr/share/initramfs-tools/hooks/lvm2', '#!/bin/sh\n')],
    ['a package version', (t: string) => write(t, 'var/lib/dpkg/status', status('31-1'))],
    ['the module tree', (t: string) => write(t, `usr/lib/modules/${K}/updates/dkms/extra.ko`, 'x')],
    ['the firmware tree', (t: string) => write(t, 'usr/lib/firmware/new.bin', 'x')],
    [
      '/etc/fstab, read by the fsck hook',
      (t: string) => write(t, 'etc/fstab', '/dev/vda2 / xfs defaults 0 1\n'),
    ],
  ])('makes the initrd again when %s changes', async (_what, change) => {
    const f = fixture();
    await withInitrdCache(f.context(), f.job(1));
    change(f.tree);
    await withInitrdCache(f.context(), f.job(1));
    expect(f.generated()).toBe(2);
    expect(f.initrd()).toBe(await f.fresh());
  });

  it('keys on SOURCE_DATE_EPOCH: another epoch is a miss', async () => {
    const f = fixture();
    await withInitrdCache(f.context(), f.job(1));
    await withInitrdCache(f.context(), f.job(2));
    expect(f.generated()).toBe(2);
  });

  it('never caches MODULES=dep, which depends on the machine mkinitramfs runs on', async () => {
    const f = fixture();
    write(f.tree, 'etc/initramfs-tools/conf.d/dep', 'MODULES=dep\n');
    expect(await modulesPolicy(f.tree)).toBe('dep');
    await withInitrdCache(f.context(), f.job(1));
    await withInitrdCache(f.context(), f.job(1));
    expect(f.generated()).toBe(2);
    expect(existsSync(f.cache)).toBe(false);
  });

  it('is not used with --no-initrd-cache (no cache dir in the context)', async () => {
    const f = fixture();
    await withInitrdCache(f.context(false), f.job(1));
    await withInitrdCache(f.context(false), f.job(1));
    expect(f.generated()).toBe(2);
    expect(existsSync(f.cache)).toBe(false);
  });

  it('makes the initrd again when the cached file is damaged', async () => {
    const f = fixture();
    await withInitrdCache(f.context(), f.job(1));
    const [entry] = readdirSync(f.cache);
    writeFileSync(join(f.cache, entry!, `initrd.img-${K}`), 'garbage');
    await withInitrdCache(f.context(), f.job(1));
    expect(f.generated()).toBe(2);
    expect(f.initrd()).toBe(await f.fresh());
  });
});

describe('installed package versions from dpkg status', () => {
  it('takes installed packages only', () => {
    const text = `${status('30-1')}\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 9\n`;
    expect([...installedVersions(text)]).toEqual([
      ['initramfs-tools', '1.0'],
      ['kmod', '30-1'],
      ['libc6', '1.0'],
    ]);
  });
});
