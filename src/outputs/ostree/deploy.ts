/**
 * Deploying a commit into an OSTree sysroot folder with `ostree admin`, and the boot files that
 * deployment leaves in the sysroot's /boot, as systemd-boot reads them from the ESP.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntryFile } from '../disk/boot-entries.js';
import { runTool } from '../shared/run.js';
import { type OstreeRun, ostree } from './commit.js';

export interface DeployRequest extends OstreeRun {
  sysroot: string;
  /** the stateroot (ostree's "os"): the distribution id, or kickstart's --osname */
  osName: string;
  /** repository and ref to pull the commit from */
  repo: string;
  ref: string;
  /** the remote the deployment's origin names (and its URL), for later `ostree admin upgrade` */
  remote?: { name: string; url: string };
  kargs: string[];
  /** keep the earlier deployments as rollback entries */
  retain?: boolean;
}

export async function initSysroot(sysroot: string, osName: string, r: OstreeRun): Promise<void> {
  await mkdir(sysroot, { recursive: true });
  await ostree(['admin', 'init-fs', '--modern', sysroot], r);
  await ostree(['admin', 'os-init', `--sysroot=${sysroot}`, osName], r);
}

/** Pulls the commit into the sysroot's repository and deploys it as the default deployment. */
export async function deployCommit(d: DeployRequest): Promise<void> {
  const sysRepo = join(d.sysroot, 'ostree/repo');
  let refspec = d.ref;
  const pull = ['pull-local', '--disable-fsync', `--repo=${sysRepo}`];
  if (d.remote) {
    await ostree(
      [
        'remote',
        'add',
        `--repo=${sysRepo}`,
        '--if-not-exists',
        '--no-gpg-verify',
        d.remote.name,
        d.remote.url,
        d.ref,
      ],
      d,
    );
    // the deployment's origin then names remote:ref, so `ostree admin upgrade` on the host pulls from the URL
    pull.push(`--remote=${d.remote.name}`);
    refspec = `${d.remote.name}:${d.ref}`;
  }
  await ostree([...pull, d.repo, d.ref], d);
  const args = ['admin', 'deploy', `--sysroot=${d.sysroot}`, `--os=${d.osName}`];
  if (d.retain) args.push('--retain');
  else args.push('--karg-none');
  for (const k of d.kargs) args.push(`--karg-append=${k}`);
  args.push(refspec);
  await ostree(args, d);
}

/** The Boot Loader Spec entries ostree wrote, newest (the default) first. */
export function loaderEntries(sysroot: string): string[] {
  const dir = join(sysroot, 'boot/loader/entries');
  if (!existsSync(dir)) return [];
  const number = (n: string) => Number(/^ostree-(\d+)-/.exec(n)?.[1] ?? 0);
  return readdirSync(dir)
    .filter((n) => n.endsWith('.conf'))
    .sort((a, b) => number(b) - number(a));
}

/**
 * What goes on the ESP: the loader entries and the kernels and initrds they name (under
 * /ostree), and a loader.conf making the newest deployment the default. The ESP is FAT, so
 * ostree's loader → loader.N symlink is followed, not copied.
 */
export function espBootFiles(sysroot: string, timeout: number): EntryFile[] {
  const files: EntryFile[] = [];
  const boot = join(sysroot, 'boot');
  const entries = loaderEntries(sysroot);
  for (const e of entries) files.push({ path: `loader/entries/${e}`, from: join(boot, 'loader/entries', e) });
  const walk = (rel: string) => {
    for (const n of readdirSync(join(boot, rel)).sort()) {
      const path = `${rel}/${n}`;
      const s = lstatSync(join(boot, path));
      if (s.isDirectory()) walk(path);
      else if (s.isFile()) files.push({ path, from: join(boot, path) });
      else if (s.isSymbolicLink())
        files.push({ path, from: join(boot, rel, readlinkSync(join(boot, path))) });
    }
  };
  if (existsSync(join(boot, 'ostree'))) walk('ostree');
  const loader = [`timeout ${timeout}`];
  if (entries[0]) loader.push(`default ${entries[0]}`);
  files.push({ path: 'loader/loader.conf', text: `${loader.join('\n')}\n` });
  return files;
}

/**
 * ostree marks each deployment folder immutable (chattr +i); the sysroot in the work folder
 * must be removable once the disk is written (mkfs.ext4 -d does not copy the flag).
 */
export async function releaseDeployments(sysroot: string, osName: string, r: OstreeRun): Promise<void> {
  const dir = join(sysroot, 'ostree/deploy', osName, 'deploy');
  if (!existsSync(dir)) return;
  const deployments = readdirSync(dir)
    .filter((n) => /\.\d+$/.test(n))
    .map((n) => join(dir, n));
  if (deployments.length) await runTool('chattr', ['-i', ...deployments], r);
}
