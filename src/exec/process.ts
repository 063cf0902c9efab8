/**
 * The one place imgc starts host processes for a build: the step runner (exec/runner.ts), the
 * output assemblers' tools (outputs/shared/run.ts, outputs/disk/run.ts) and streaming
 * compressors all go through `startProcess`. It collects stdout, keeps the last stderr and
 * output lines for messages, ends with the exit status, and tells a missing tool (with the
 * Debian package that provides it) from a failed one and from an abort.
 */
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { lookupTable } from '../lib/lookup-table.js';

/** Debian packages that provide the host tools imgc runs, for the "not installed" message. */
export const HOST_TOOL_PACKAGES: Readonly<Record<string, string>> = lookupTable({
  unshare: 'util-linux',
  setpriv: 'util-linux',
  mkswap: 'util-linux',
  chroot: 'coreutils',
  cp: 'coreutils',
  du: 'coreutils',
  tar: 'tar',
  objcopy: 'binutils',
  mksquashfs: 'squashfs-tools',
  'mkfs.erofs': 'erofs-utils',
  'mkfs.ext4': 'e2fsprogs',
  'mkfs.vfat': 'dosfstools',
  xorriso: 'xorriso',
  'grub-mkimage': 'grub-efi-amd64-bin and grub-common',
  mcopy: 'mtools',
  mmd: 'mtools',
  mdeltree: 'mtools',
  ostree: 'ostree',
  sfdisk: 'fdisk',
  'qemu-img': 'qemu-utils',
  zstd: 'zstd',
  xz: 'xz-utils',
  gzip: 'gzip',
  sh: 'dash',
  chattr: 'e2fsprogs',
});

export function packageOf(tool: string): string {
  return HOST_TOOL_PACKAGES[tool] ?? tool;
}

export type ProcessFailure =
  | { kind: 'aborted' }
  | { kind: 'missing'; tool: string; packageName: string }
  | {
      kind: 'failed';
      command: string;
      exitCode: number | null;
      signal: NodeJS.Signals | null;
      /** the last lines the process wrote (stdout and stderr) */
      tail: string[];
      /** the end of its stderr */
      stderr: string;
    }
  | { kind: 'error'; message: string };

/** Why a process did not succeed; callers turn it into their own diagnostic. */
export class ProcessFailed extends Error {
  constructor(readonly failure: ProcessFailure) {
    super(failure.kind === 'error' ? failure.message : `process ${failure.kind}`);
  }
}

export interface ProcessOptions {
  /** the whole environment of the child (nothing is inherited unless passed) */
  env: Record<string, string | undefined>;
  cwd?: string;
  signal?: AbortSignal;
  /** a file descriptor the child writes its stdout to instead of a pipe */
  stdoutFd?: number;
  /** the child gets stdin as a pipe (`stdin` of the result); default: no stdin */
  stdin?: boolean;
  /** its own process group, so it can be stopped with everything it started */
  detached?: boolean;
  /** every non-empty line the child writes */
  onLine?: (line: string) => void;
  /** how it is named in a failure; default the command and its arguments */
  label?: string;
}

export interface StartedProcess {
  pid: number | undefined;
  stdin: Writable | null;
  /** resolves with the collected stdout; rejects with ProcessFailed */
  done: Promise<string>;
  kill(signal: NodeJS.Signals): void;
}

const TAIL_LINES = 12;

export function startProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions,
): StartedProcess {
  const { signal } = options;
  const child = spawn(command, args, {
    env: options.env,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdio: [options.stdin ? 'pipe' : 'ignore', options.stdoutFd ?? 'pipe', 'pipe'],
    ...(options.detached ? { detached: true } : {}),
    ...(signal && !options.detached ? { signal } : {}),
  });
  child.stdin?.on('error', () => {}); // EPIPE when the child dies early: its exit status tells why
  const tail: string[] = [];
  let stdout = '';
  let stderr = '';
  const lines = (collect: (text: string) => void) => {
    let rest = '';
    return (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      collect(text);
      const split = (rest + text).split(/\r?\n|\r/);
      rest = split.pop() ?? '';
      for (const line of split) {
        if (!line) continue;
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        options.onLine?.(line);
      }
    };
  };
  child.stdout?.on(
    'data',
    lines((t) => {
      stdout += t;
    }),
  );
  child.stderr?.on(
    'data',
    lines((t) => {
      stderr = (stderr + t).slice(-4000);
    }),
  );
  const done = new Promise<string>((resolve, reject) => {
    const fail = (failure: ProcessFailure) => reject(new ProcessFailed(failure));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.name === 'AbortError' || signal?.aborted) fail({ kind: 'aborted' });
      else if (e.code === 'ENOENT') fail({ kind: 'missing', tool: command, packageName: packageOf(command) });
      else fail({ kind: 'error', message: e.message });
    });
    child.on('close', (code, sig) => {
      if (signal?.aborted) return fail({ kind: 'aborted' });
      if (code === 0) return resolve(stdout);
      fail({
        kind: 'failed',
        command: options.label ?? [command, ...args].join(' '),
        exitCode: code,
        signal: sig,
        tail,
        stderr: stderr.trim().split('\n').slice(-5).join('\n'),
      });
    });
  });
  return {
    pid: child.pid,
    stdin: child.stdin,
    done,
    kill: (sig) => {
      child.kill(sig);
    },
  };
}

/** Runs a process to its end, with `input` on its stdin. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions & { input?: string },
): Promise<string> {
  if (options.signal?.aborted) return Promise.reject(new ProcessFailed({ kind: 'aborted' }));
  const started = startProcess(command, args, {
    ...options,
    stdin: options.input !== undefined || options.stdin,
  });
  started.stdin?.end(options.input ?? '');
  return started.done;
}
