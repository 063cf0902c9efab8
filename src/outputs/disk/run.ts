import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { diskCodes } from '../../diagnostics/codes/disk.js';
import { diskError } from './errors.js';

/** Debian packages that provide the tools the assembler runs, for the "not installed" hint. */
const packageOf: Record<string, string> = {
  'mkfs.ext4': 'e2fsprogs',
  'mkfs.vfat': 'dosfstools',
  mcopy: 'mtools',
  sfdisk: 'fdisk',
  mkswap: 'util-linux',
  du: 'coreutils',
  'qemu-img': 'qemu-utils',
};

export interface RunOptions {
  signal?: AbortSignal;
  env?: Record<string, string>;
  input?: string;
  /** skip fsync/fdatasync in the child (libeatmydata), when the library is installed */
  noSync?: boolean;
}

const eatmydata = findEatmydata();

function findEatmydata(): string | undefined {
  try {
    for (const dir of readdirSync('/usr/lib')) {
      const lib = `/usr/lib/${dir}/libeatmydata.so`;
      if (dir.endsWith('-linux-gnu') && existsSync(lib)) return lib;
    }
  } catch {}
  return undefined;
}

/** Runs a host tool; resolves with stdout, rejects with a DiskError that names the tool and its stderr. */
export function runTool(tool: string, args: string[], options: RunOptions = {}): Promise<string> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(diskError(diskCodes.aborted, undefined));
  const env: Record<string, string | undefined> = { ...process.env, LC_ALL: 'C', ...options.env };
  if (options.noSync && eatmydata) env.LD_PRELOAD = [eatmydata, env.LD_PRELOAD].filter(Boolean).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['pipe', 'pipe', 'pipe'], signal });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      err = (err + b.toString()).slice(-4000);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.name === 'AbortError') reject(diskError(diskCodes.aborted, undefined));
      else if (e.code === 'ENOENT')
        reject(diskError(diskCodes.toolMissing, { tool, packageName: packageOf[tool] ?? tool }));
      else
        reject(
          diskError(diskCodes.toolFailed, { command: tool, exitCode: e.code ?? '?', stderr: e.message }),
        );
    });
    child.on('close', (code, sig) => {
      if (signal?.aborted) return reject(diskError(diskCodes.aborted, undefined));
      if (code === 0) return resolve(Buffer.concat(out).toString());
      const stderr = err.trim().split('\n').slice(-5).join('\n');
      reject(
        diskError(diskCodes.toolFailed, {
          command: `${tool} ${args.join(' ')}`,
          exitCode: String(code ?? sig),
          stderr,
        }),
      );
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
