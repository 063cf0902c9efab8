/**
 * Debian's libguestfs-tools as the judge of what imgc writes: `virt-builder --list --list-format
 * json` over index files (in a private mount namespace where /etc/virt-builder/repos.d is empty,
 * so only the given sources are read and nothing is fetched), `virt-index-validate`, and
 * `virt-customize --commands-from-file` (which parses the file before it asks for a disk).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;

const isRoot = process.getuid?.() === 0;
export const libguestfsAvailable = has('virt-builder') && has('virt-customize') && has('virt-index-validate');
/** the --list check needs a mount namespace of its own (root) */
export const listAvailable = libguestfsAvailable && isRoot && has('unshare');

const home = mkdtempSync(join(tmpdir(), 'imgc-virt-builder-home-'));
const env = { ...process.env, HOME: home, LIBGUESTFS_BACKEND: 'direct' };

export interface ListedTemplate {
  'os-version': string;
  'full-name'?: string;
  arch: string;
  osinfo?: string;
}

/** virt-builder's listing of the given index files, or its error. */
export function virtBuilderList(indexFiles: readonly string[]): {
  templates?: ListedTemplate[];
  error?: string;
} {
  const empty = mkdtempSync(join(tmpdir(), 'imgc-repos-d-'));
  const sources = indexFiles.map((f) => `--source file://${f}`).join(' ');
  const script = `mount --bind ${empty} /etc/virt-builder/repos.d && exec virt-builder --no-check-signature --no-cache --list --list-format json ${sources}`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script], { env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return { error: (r.stderr || r.stdout).trim().split('\n')[0] };
  return { templates: (JSON.parse(r.stdout) as { templates: ListedTemplate[] }).templates };
}

export function indexValidates(file: string): { ok: boolean; error?: string } {
  const r = spawnSync('virt-index-validate', [file], { env, encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? { ok: true } : { ok: false, error: r.stderr.trim().split('\n')[0] };
}

/** virt-customize accepts the command file when the only complaint left is the missing disk. */
export function commandsAccepted(file: string): { ok: boolean; error?: string } {
  const r = spawnSync('virt-customize', ['--commands-from-file', file], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  const first = r.stderr.trim().split('\n')[0] ?? '';
  return /you must give either -a or -d/.test(first) ? { ok: true } : { ok: false, error: first };
}
