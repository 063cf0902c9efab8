/**
 * Runs `imgc build` (in process, the real CLI) of the fixture definition against a local
 * repository and reads what the package manager and the configuration steps left in the tree.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { capturedIo } from '../helpers/run-cli.js';

export function buildGate(tools: string[]): { ok: boolean; why?: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'real builds need root' };
  if (process.env.IMGC_SKIP_BUILD_TESTS) return { ok: false, why: 'IMGC_SKIP_BUILD_TESTS is set' };
  const path = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin']);
  const missing = tools.filter((t) => !path.some((d) => existsSync(join(d, t))));
  return missing.length
    ? {
        ok: false,
        why: `missing host tools ${missing.join(', ')} (scripts/ensure-host-tools.sh installs them)`,
      }
    : { ok: true };
}

export interface CliBuild {
  code: number;
  stdout: string;
  stderr: string;
  tree: string;
  outDir: string;
}

/** `extra`: more build flags (--locked --lock FILE). */
export async function cliBuild(ir: ImageIR, prefix: string, extra: string[] = []): Promise<CliBuild> {
  const base = '/var/tmp/imgc-tests';
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  const def = join(dir, 'image.ir.json');
  mkdirSync(join(dir, 'overlay/etc'), { recursive: true });
  writeFileSync(join(dir, 'overlay/etc/imgc-overlay.txt'), 'from the overlay\n');
  writeFileSync(def, JSON.stringify(ir, null, 2));
  const outDir = join(dir, 'out');
  const captured = capturedIo();
  const code = await main(
    ['node', 'imgc', 'build', def, '-o', outDir, '--cache-dir', join(dir, 'cache'), '--no-tmpfs', ...extra],
    captured.io,
  );
  return {
    code,
    stdout: captured.stdout(),
    stderr: captured.stderr(),
    tree: join(outDir, ir.metadata?.name ?? 'image'),
    outDir,
  };
}

export const read = (tree: string, path: string) => readFileSync(join(tree, path), 'utf8');

export function linkTarget(tree: string, path: string): string | undefined {
  const full = join(tree, path);
  return existsSync(full) || lstatSync(full, { throwIfNoEntry: false })?.isSymbolicLink()
    ? readlinkSync(full)
    : undefined;
}

export function passwdEntry(tree: string, user: string): string[] | undefined {
  return read(tree, 'etc/passwd')
    .split('\n')
    .map((l) => l.split(':'))
    .find((f) => f[0] === user);
}

export function groupMembers(tree: string, group: string): string[] {
  const line = read(tree, 'etc/group')
    .split('\n')
    .find((l) => l.startsWith(`${group}:`));
  return line ? (line.split(':')[3] ?? '').split(',').filter(Boolean) : [];
}
