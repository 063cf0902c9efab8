/**
 * Turns a copy of the image tree into the layout an OSTree commit needs: the kernel and initrd
 * under /usr/lib/modules/$kver, an empty /boot, /etc kept as /usr/etc (or left in place for a
 * bootc-style image), /var emptied into tmpfiles.d entries, the top-level folders that hold
 * state turned into symlinks into /var, and nothing OSTree cannot store. Every rule the tree
 * cannot satisfy is an IMGC762x error; nothing is dropped silently.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ostreeCodes } from '../../diagnostics/codes/ostree.js';
import { outputError } from '../shared/errors.js';

/** The folders that hold state on a running system, and where they point in an OSTree tree. */
export const STATE_LINKS: readonly { path: string; target: string; varPath: string }[] = [
  { path: 'home', target: 'var/home', varPath: 'var/home' },
  { path: 'opt', target: 'var/opt', varPath: 'var/opt' },
  { path: 'srv', target: 'var/srv', varPath: 'var/srv' },
  { path: 'mnt', target: 'var/mnt', varPath: 'var/mnt' },
  { path: 'root', target: 'var/roothome', varPath: 'var/roothome' },
  { path: 'usr/local', target: '../var/usrlocal', varPath: 'var/usrlocal' },
];

/** What the initrd needs to boot a deployment: the program and the initramfs-tools files that run it. */
export const PREPARE_ROOT = 'usr/lib/ostree/ostree-prepare-root';
export const INITRAMFS_HOOK = 'etc/initramfs-tools/hooks/imgc-ostree';
export const INITRAMFS_SCRIPT = 'etc/initramfs-tools/scripts/local-bottom/imgc-ostree';
export const VAR_TMPFILES = 'usr/lib/tmpfiles.d/imgc-ostree-var.conf';
export const VAR_FACTORY = 'usr/share/factory';

export interface ConvertOptions {
  /** output name, for messages */
  output: string;
  /** keep /etc where it is (bootc images) instead of moving it to /usr/etc (OSTree commits) */
  keepEtc?: boolean;
}

export interface ConvertResult {
  kernelVersion: string;
  /** tmpfiles.d lines written for what /var held */
  varEntries: number;
}

const fail = outputError;

export async function convertToOstreeLayout(tree: string, o: ConvertOptions): Promise<ConvertResult> {
  checkSpecialFiles(tree, '');
  await emptyDir(join(tree, 'dev'));
  const kernelVersion = await moveKernel(tree, o.output);
  checkPrepareRoot(tree);
  await emptyBoot(tree);
  for (const link of STATE_LINKS) await linkIntoVar(tree, link.path, link.target, link.varPath);
  await replaceWithLink(tree, 'ostree', 'sysroot/ostree');
  await mkdir(join(tree, 'sysroot'), { recursive: true });
  const varEntries = await varToTmpfiles(tree);
  if (!o.keepEtc) await moveEtc(tree);
  return { kernelVersion, varEntries };
}

const KINDS: [string, (s: Stats) => boolean][] = [
  ['device node', (s) => s.isBlockDevice() || s.isCharacterDevice()],
  ['socket', (s) => s.isSocket()],
  ['FIFO', (s) => s.isFIFO()],
];

/** Device nodes, sockets and FIFOs anywhere but /dev (emptied, devtmpfs provides it at boot). */
function checkSpecialFiles(tree: string, rel: string): void {
  for (const entry of readdirSync(join(tree, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (path === 'dev' || path === 'proc' || path === 'sys') continue;
    if (entry.isDirectory()) {
      checkSpecialFiles(tree, path);
      continue;
    }
    if (entry.isFile() || entry.isSymbolicLink()) continue;
    const s = lstatSync(join(tree, path));
    const kind = KINDS.find(([, is]) => is(s))?.[0] ?? 'special file';
    throw fail(ostreeCodes.specialFile, { path: `/${path}`, kind });
  }
}

async function emptyDir(path: string): Promise<void> {
  if (!existsSync(path)) return;
  for (const name of await readdir(path)) await rm(join(path, name), { recursive: true, force: true });
}

const isFile = (p: string) => existsSync(p) && lstatSync(p).isFile();

/** The one kernel of the tree, moved with its initrd to /usr/lib/modules/$kver/{vmlinuz,initramfs.img}. */
async function moveKernel(tree: string, output: string): Promise<string> {
  const boot = join(tree, 'boot');
  const inBoot = existsSync(boot)
    ? readdirSync(boot)
        .filter((n) => n.startsWith('vmlinuz-') && isFile(join(boot, n)))
        .map((n) => n.slice('vmlinuz-'.length))
    : [];
  const modules = join(tree, 'usr/lib/modules');
  const inModules = existsSync(modules)
    ? readdirSync(modules).filter((v) => isFile(join(modules, v, 'vmlinuz')))
    : [];
  const versions = [...new Set([...inBoot, ...inModules])].sort();
  if (versions.length === 0) throw fail(ostreeCodes.noKernel, { output });
  if (versions.length > 1) throw fail(ostreeCodes.severalKernels, { output, versions: versions.join(', ') });
  const version = versions[0]!;
  const dest = join(modules, version);
  await mkdir(dest, { recursive: true });
  if (inBoot.includes(version)) await rename(join(boot, `vmlinuz-${version}`), join(dest, 'vmlinuz'));
  const initrd = join(boot, `initrd.img-${version}`);
  if (isFile(initrd)) await rename(initrd, join(dest, 'initramfs.img'));
  if (!isFile(join(dest, 'initramfs.img'))) throw fail(ostreeCodes.noInitrd, { version });
  for (const n of [`config-${version}`, `System.map-${version}`]) {
    if (isFile(join(boot, n)))
      await rename(join(boot, n), join(dest, n === `config-${version}` ? 'config' : 'System.map'));
  }
  // Debian's /vmlinuz and /initrd.img links (at / or in /boot) point at what just moved
  for (const link of ['vmlinuz', 'vmlinuz.old', 'initrd.img', 'initrd.img.old']) {
    for (const dir of [tree, boot]) {
      const p = join(dir, link);
      if (existsSync(p) || isLink(p)) await rm(p, { force: true });
    }
  }
  return version;
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function checkPrepareRoot(tree: string): void {
  for (const p of [PREPARE_ROOT, INITRAMFS_HOOK, INITRAMFS_SCRIPT]) {
    if (!existsSync(join(tree, p))) throw fail(ostreeCodes.noPrepareRoot, { missing: `/${p}` });
  }
}

/** /boot with its empty folders removed; any file left is an error. */
async function emptyBoot(tree: string): Promise<void> {
  const boot = join(tree, 'boot');
  if (!existsSync(boot)) {
    await mkdir(boot);
    return;
  }
  const files: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        await walk(join(dir, e.name), path);
        if (readdirSync(join(dir, e.name)).length === 0) await rmdir(join(dir, e.name));
      } else files.push(path);
    }
  };
  await walk(boot, '/boot');
  if (files.length) {
    const shown = files.slice(0, 5).join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');
    throw fail(ostreeCodes.bootNotEmpty, { files: shown });
  }
}

/** Moves what the folder holds into /var and leaves a symlink in its place. */
async function linkIntoVar(tree: string, rel: string, target: string, varPath: string): Promise<void> {
  const path = join(tree, rel);
  if (isLink(path)) return;
  const into = join(tree, varPath);
  if (existsSync(path)) {
    if (!lstatSync(path).isDirectory()) throw fail(ostreeCodes.notADirectory, { path: `/${rel}` });
    await mkdir(dirname(into), { recursive: true });
    if (existsSync(into)) {
      for (const n of await readdir(path)) await rename(join(path, n), join(into, n));
      await rmdir(path);
    } else await rename(path, into);
  }
  await symlink(target, path);
}

async function replaceWithLink(tree: string, rel: string, target: string): Promise<void> {
  const path = join(tree, rel);
  if (isLink(path) && readlinkSync(path) === target) return;
  await rm(path, { recursive: true, force: true });
  await symlink(target, path);
}

/** A path tmpfiles.d reads back as written: no whitespace, backslash or control characters. */
const plainPath = (p: string) => !/[\s\\\u0000-\u001f\u007f]/.test(p);

/**
 * /var becomes tmpfiles.d lines: folders `d` with their mode and numeric owner, symlinks `L`,
 * files `C` from a factory copy under /usr/share/factory/var. /var is left empty, as
 * `ostree admin deploy` gives each deployment the stateroot's own /var.
 */
export async function varToTmpfiles(tree: string): Promise<number> {
  const varDir = join(tree, 'var');
  const lines: string[] = [];
  const files: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(tree, rel), { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    )) {
      const path = `${rel}/${e.name}`;
      if (!plainPath(path)) throw fail(ostreeCodes.awkwardPath, { path: `/${path}` });
      const s = lstatSync(join(tree, path));
      if (e.isDirectory()) {
        const mode = (s.mode & 0o7777).toString(8).padStart(4, '0');
        lines.push(`d /${path} ${mode} ${s.uid} ${s.gid} -`);
        walk(path);
      } else if (e.isSymbolicLink()) {
        lines.push(`L /${path} - - - - ${readlinkSync(join(tree, path))}`);
      } else {
        lines.push(`C /${path} - - - - /${VAR_FACTORY}/${path}`);
        files.push(path);
      }
    }
  };
  if (!existsSync(varDir)) {
    await mkdir(varDir);
    return 0;
  }
  walk('var');
  for (const f of files) {
    const dest = join(tree, VAR_FACTORY, f);
    await mkdir(dirname(dest), { recursive: true });
    await rename(join(tree, f), dest);
  }
  await emptyDir(varDir);
  const header = '# written by imgc: what /var held when the OSTree commit was made\n';
  const conf = join(tree, VAR_TMPFILES);
  await mkdir(dirname(conf), { recursive: true });
  await writeFile(conf, `${header}${lines.map((l) => `${l}\n`).join('')}`);
  return lines.length;
}

async function moveEtc(tree: string): Promise<void> {
  if (existsSync(join(tree, 'usr/etc'))) throw fail(ostreeCodes.usrEtcExists, undefined);
  if (existsSync(join(tree, 'etc'))) await rename(join(tree, 'etc'), join(tree, 'usr/etc'));
}
