/**
 * The initrd cache: `initrd/<key>/` under the imgc cache dir holds the initrd of each kernel,
 * `key.txt` (what the key hashes) and `manifest.json` (written last: an entry is complete once
 * it exists). Saves go to a `.tmp-<pid>-*` folder renamed into place, as the tree cache does;
 * the build holds the cache lock throughout (src/exec/lock.ts). See
 * docs/decisions/0140-initrd-cache-key.md for what the key holds and why that is enough.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepContext } from '../../backends/contract.js';
import { processAlive } from '../../exec/lock.js';
import { existingInTree, freshEntryInTree } from '../../exec/tree-path.js';
import { removeTree } from '../../exec/workspace.js';
import { changedFile, initrdKeyText, keyOf, treeFileHashes } from './key.js';

/** Entries kept: one per kernel × configuration a user builds in turn is plenty. */
const KEEP_ENTRIES = 8;

interface Manifest {
  key: string;
  kernels: string[];
  /** sha256 of each cached initrd, checked before it is copied back */
  initrds: Record<string, string>;
  /** tree files that went into the initrd, by path, with their sha256 when it was made */
  files: Record<string, string>;
  savedAt: string;
}

export interface InitrdJob {
  generator: 'initramfs-tools';
  /** the step's settings that are not files in the tree (the files themselves are hashed) */
  settings: Record<string, unknown>;
  sourceDateEpoch?: number;
  /** makes /boot/initrd.img-<kernel> for every installed kernel */
  generate: () => Promise<void>;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Kernels with both a module tree and an image in /boot, as `linux-version list` finds them. */
export async function installedKernels(tree: string): Promise<string[]> {
  const modules = await existingInTree(tree, 'usr/lib/modules').catch(() => undefined);
  const names = modules ? await readdir(modules).catch(() => [] as string[]) : [];
  const boot = await existingInTree(tree, 'boot').catch(() => undefined);
  return names.filter((k) => boot && existsSync(join(boot, `vmlinuz-${k}`))).sort();
}

/** MODULES= as mkinitramfs will read it: initramfs.conf, then conf.d in order (the last wins). */
export async function modulesPolicy(tree: string): Promise<string> {
  const read = async (path: string) => readFile(await existingInTree(tree, path), 'utf8').catch(() => '');
  const confd = await existingInTree(tree, 'etc/initramfs-tools/conf.d').catch(() => undefined);
  const extra = confd ? (await readdir(confd).catch(() => [] as string[])).sort() : [];
  let policy = 'most';
  for (const text of [
    await read('etc/initramfs-tools/initramfs.conf'),
    ...(await Promise.all(extra.map((n) => read(`etc/initramfs-tools/conf.d/${n}`)))),
  ]) {
    for (const m of text.matchAll(/^\s*MODULES=["']?(\w+)/gm)) policy = m[1]!;
  }
  return policy;
}

export class InitrdCache {
  constructor(readonly dir: string) {}

  async manifest(key: string): Promise<Manifest | undefined> {
    const text = await readFile(join(this.dir, key, 'manifest.json'), 'utf8').catch(() => undefined);
    return text ? (JSON.parse(text) as Manifest) : undefined;
  }

  /** Copies the cached initrds into the tree; false when one of them is not what was stored. */
  async restore(manifest: Manifest, tree: string): Promise<boolean> {
    for (const k of manifest.kernels) {
      const data = await readFile(join(this.dir, manifest.key, `initrd.img-${k}`)).catch(() => undefined);
      if (!data || sha256(data) !== manifest.initrds[k]) return false;
    }
    for (const k of manifest.kernels) {
      const dest = await freshEntryInTree(tree, `boot/initrd.img-${k}`);
      await copyFile(join(this.dir, manifest.key, `initrd.img-${k}`), dest);
    }
    const now = new Date();
    await utimes(join(this.dir, manifest.key, 'manifest.json'), now, now).catch(() => undefined);
    return true;
  }

  async save(key: string, keyText: string, tree: string, files: Record<string, string>, kernels: string[]) {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.tmp-${process.pid}-${key}`);
    await removeTree(tmp);
    await mkdir(tmp);
    const initrds: Record<string, string> = {};
    for (const k of kernels) {
      const data = await readFile(await existingInTree(tree, `boot/initrd.img-${k}`));
      initrds[k] = sha256(data);
      await writeFile(join(tmp, `initrd.img-${k}`), data);
    }
    await writeFile(join(tmp, 'key.txt'), keyText);
    const manifest: Manifest = { key, kernels, initrds, files, savedAt: new Date().toISOString() };
    await writeFile(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
    await removeTree(join(this.dir, key));
    await rename(tmp, join(this.dir, key));
  }

  /** Keeps the most recently used entries; drops leftovers of killed saves. */
  async prune(keep = KEEP_ENTRIES): Promise<void> {
    const entries: { name: string; time: number }[] = [];
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const path = join(this.dir, name);
      if (name.startsWith('.tmp-')) {
        if (!processAlive(Number(name.split('-')[1]))) await removeTree(path);
        continue;
      }
      const info = await stat(join(path, 'manifest.json')).catch(() => undefined);
      if (info) entries.push({ name, time: info.mtimeMs });
      else await removeTree(path);
    }
    entries.sort((a, b) => b.time - a.time);
    for (const e of entries.slice(keep)) await removeTree(join(this.dir, e.name));
  }
}

const seconds = (from: number, to: number) => ((to - from) / 1000).toFixed(1);

/** What the generator reads SOURCE_DATE_EPOCH as: the step's own, else the build's environment. */
function epochOf(job: InitrdJob): string | undefined {
  return job.sourceDateEpoch !== undefined ? String(job.sourceDateEpoch) : process.env.SOURCE_DATE_EPOCH;
}

/** Lists an initrd's paths with the tree's own lsinitramfs. */
async function initrdPaths(context: StepContext, kernel: string): Promise<string[]> {
  const { stdout } = await context.runner.chroot(context.tree, ['lsinitramfs', `/boot/initrd.img-${kernel}`]);
  return stdout.split('\n').filter((l) => l && l !== '.');
}

/** update-initramfs runs these after each initrd it makes; a reused one gets them too. */
async function runPostUpdateHooks(context: StepContext, kernels: string[]) {
  const hooks = await existingInTree(context.tree, 'etc/initramfs/post-update.d').catch(() => undefined);
  if (!hooks || !existsSync(hooks)) return;
  for (const k of kernels) {
    await context.runner.chroot(
      context.tree,
      ['run-parts', `--arg=${k}`, `--arg=/boot/initrd.img-${k}`, '/etc/initramfs/post-update.d/'],
      { onLine: (l) => context.progress.log(l) },
    );
  }
}

/**
 * Makes the initrds with `job.generate`, or reuses the ones a build with the same key and the
 * same tree files made. Without `context.initrdCache` (--no-initrd-cache) it only generates.
 */
export async function withInitrdCache(context: StepContext, job: InitrdJob): Promise<void> {
  const { tree, progress } = context;
  const t = Date.now();
  const kernels = await installedKernels(tree);
  if (!context.initrdCache || !kernels.length) return job.generate();
  const policy = await modulesPolicy(tree);
  if (policy === 'dep') {
    progress.log('initrd cache not used: MODULES=dep depends on the machine that runs mkinitramfs');
    return job.generate();
  }
  const epoch = epochOf(job);
  const keyText = await initrdKeyText(tree, {
    generator: job.generator,
    kernels,
    ...(epoch !== undefined ? { sourceDateEpoch: Number(epoch) } : {}),
    settings: { ...job.settings, modules: policy },
  });
  const key = keyOf(keyText);
  const cache = new InitrdCache(context.initrdCache);
  const manifest = await cache.manifest(key);
  if (manifest && manifest.kernels.join(' ') === kernels.join(' ')) {
    const changed = await changedFile(tree, manifest.files);
    if (!changed && (await cache.restore(manifest, tree))) {
      progress.note(`initrd cache hit ${key}`);
      progress.log(
        `initrd cache hit ${key}: reused the initrd of ${kernels.join(', ')} in ${seconds(t, Date.now())} s`,
      );
      await runPostUpdateHooks(context, kernels);
      return;
    }
    progress.log(`initrd cache entry ${key} not reused: ${changed ?? 'a cached initrd'} changed`);
  }
  const t0 = Date.now();
  await job.generate();
  const t1 = Date.now();
  const paths = (await Promise.all(kernels.map((k) => initrdPaths(context, k)))).flat();
  const files = await treeFileHashes(tree, paths);
  await cache.save(key, keyText, tree, files, kernels);
  await cache.prune();
  progress.log(
    `initrd cache miss ${key}: made in ${seconds(t0, t1)} s, stored in ${seconds(t1, Date.now())} s with ${Object.keys(files).length} tree files recorded`,
  );
}
