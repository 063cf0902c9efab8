/** Runs the host tools the output assemblers use; failures become catalogue diagnostics. */
import { spawn } from 'node:child_process';
import { outputCodes } from '../../diagnostics/codes/outputs.js';
import { outputError } from './errors.js';

/** Debian packages that provide the tools, for the "not installed" message. */
export const packageOf: Record<string, string> = {
  objcopy: 'binutils',
  mksquashfs: 'squashfs-tools',
  'mkfs.erofs': 'erofs-utils',
  xorriso: 'xorriso',
  'grub-mkstandalone': 'grub-efi-amd64-bin and grub-common',
  'mkfs.vfat': 'dosfstools',
  mcopy: 'mtools',
  mmd: 'mtools',
  sfdisk: 'fdisk',
  zstd: 'zstd',
  xz: 'xz-utils',
  gzip: 'gzip',
  tar: 'tar',
  sh: 'dash',
};

export interface ToolOptions {
  signal?: AbortSignal;
  env?: Record<string, string>;
  cwd?: string;
  input?: string;
  /** which output runs it, for messages */
  output: string;
}

export function runTool(tool: string, args: string[], options: ToolOptions): Promise<string> {
  const { signal, output } = options;
  if (signal?.aborted) return Promise.reject(outputError(outputCodes.aborted, undefined, output));
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, {
      env: { ...process.env, LC_ALL: 'C', MTOOLS_SKIP_CHECK: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(signal ? { signal } : {}),
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      err = (err + b.toString()).slice(-4000);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.name === 'AbortError') reject(outputError(outputCodes.aborted, undefined, output));
      else if (e.code === 'ENOENT')
        reject(
          outputError(
            outputCodes.toolMissing,
            { tool, packageName: packageOf[tool] ?? tool, output },
            output,
          ),
        );
      else
        reject(
          outputError(
            outputCodes.toolFailed,
            { command: tool, exitCode: e.code ?? '?', stderr: e.message },
            output,
          ),
        );
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
    child.on('close', (code, sig) => {
      if (signal?.aborted) return reject(outputError(outputCodes.aborted, undefined, output));
      if (code === 0) return resolve(Buffer.concat(out).toString());
      const stderr = err.trim().split('\n').slice(-5).join('\n');
      reject(
        outputError(
          outputCodes.toolFailed,
          { command: `${tool} ${args.join(' ')}`, exitCode: String(code ?? sig), stderr },
          output,
        ),
      );
    });
  });
}
