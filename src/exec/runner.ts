/**
 * Runs host commands for build steps. Every child is its own process group so that on
 * Ctrl-C or failure the whole group is stopped, and gets SIGKILL from the kernel when imgc
 * dies (setpriv --pdeathsig); chroot commands run in a private mount and
 * PID namespace (unshare), so their /proc, /sys and /dev mounts and any daemon a
 * maintainer script starts die with them, whatever happens to imgc.
 */
import type { Runner } from '../backends/contract.js';
import { ProcessFailed, startProcess } from './process.js';

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly tail: string[],
  ) {
    const how = exitCode !== null ? `exit status ${exitCode}` : `signal ${signal}`;
    super(`${command} failed (${how})${tail.length ? `:\n  ${tail.join('\n  ')}` : ''}`);
  }
}

export class AbortedError extends Error {
  constructor(readonly reason: string) {
    super(`aborted: ${reason}`);
  }
}

/** unshare options: a private mount and PID namespace whose processes die with the command */
const PRIVATE_NAMESPACES = ['--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child'];

const STD_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// A mount point that is a symlink in the tree would be followed on the host: refuse it.
export const CHROOT_SCRIPT = `set -e
r=$1; shift
for d in proc sys dev; do
  if [ -L "$r/$d" ]; then echo "imgc: /$d in the image is a symbolic link; refusing to mount on it" >&2; exit 1; fi
done
mount -t proc proc "$r/proc"
mount -t sysfs sysfs "$r/sys"
mount --rbind /dev "$r/dev"
if [ -n "$IMGC_NETWORK" ] && [ -f /etc/resolv.conf ] && [ ! -L "$r/etc" ] && [ -f "$r/etc/resolv.conf" ] && [ ! -L "$r/etc/resolv.conf" ]; then
  mount --bind /etc/resolv.conf "$r/etc/resolv.conf"
fi
exec chroot "$r" "$@"
`;

export interface ProcessRunnerOptions {
  signal: AbortSignal;
  /** every line a child prints, for the build log */
  onLine?: (line: string) => void;
}

export class ProcessRunner implements Runner {
  private readonly children = new Set<number>();
  constructor(private readonly options: ProcessRunnerOptions) {}

  run(
    command: string,
    args: readonly string[],
    opts: {
      env?: Record<string, string>;
      input?: string;
      cwd?: string;
      onLine?: (line: string) => void;
      privateMounts?: boolean;
    } = {},
  ): Promise<{ stdout: string }> {
    const { signal } = this.options;
    if (opts.privateMounts) {
      args = [...PRIVATE_NAMESPACES, '--mount-proc', '--', command, ...args];
      command = 'unshare';
    }
    // If imgc itself is killed (SIGKILL, OOM), the kernel kills the child too: nothing keeps
    // writing into a workspace that the next build will reap.
    args = ['--pdeathsig', 'KILL', '--', command, ...args];
    command = 'setpriv';
    if (signal.aborted) return Promise.reject(new AbortedError(String(signal.reason)));
    const child = startProcess(command, args, {
      cwd: opts.cwd,
      env: {
        PATH: STD_PATH,
        ...pick(process.env, [
          'PATH',
          'TMPDIR',
          'SOURCE_DATE_EPOCH',
          'http_proxy',
          'https_proxy',
          'no_proxy',
        ]),
        ...opts.env,
      },
      signal,
      stdin: opts.input !== undefined,
      detached: true,
      label: command,
      onLine: (line) => {
        opts.onLine?.(line);
        this.options.onLine?.(line);
      },
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    const pid = child.pid;
    if (pid) this.children.add(pid);
    const onAbort = () => this.stop(pid);
    signal.addEventListener('abort', onAbort, { once: true });
    return child.done
      .then((stdout) => ({ stdout }))
      .catch((e: unknown) => {
        throw commandError(e, String(signal.reason));
      })
      .finally(() => {
        signal.removeEventListener('abort', onAbort);
        if (pid) this.children.delete(pid);
      });
  }

  chroot(
    root: string,
    command: readonly string[],
    opts: {
      env?: Record<string, string>;
      input?: string;
      onLine?: (line: string) => void;
      network?: boolean;
    } = {},
  ): Promise<{ stdout: string }> {
    const env: Record<string, string> = { HOME: '/root', LC_ALL: 'C.UTF-8', ...opts.env };
    if (opts.network) env.IMGC_NETWORK = '1';
    return this.run(
      'unshare',
      [...PRIVATE_NAMESPACES, '--', '/bin/sh', '-c', CHROOT_SCRIPT, 'imgc-chroot', root, ...command],
      { env, input: opts.input, onLine: opts.onLine },
    );
  }

  /** SIGTERM to the group, SIGKILL if it is still there after 3 s. */
  private stop(pid: number | undefined) {
    if (!pid) return;
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch {
        /* already gone */
      }
    };
    kill('SIGTERM');
    const timer = setTimeout(() => {
      if (this.children.has(pid)) kill('SIGKILL');
    }, 3000);
    timer.unref();
  }

  get running(): number {
    return this.children.size;
  }
}

function pick(env: NodeJS.ProcessEnv, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (env[k] !== undefined) out[k] = env[k]!;
  return out;
}

function commandError(e: unknown, reason: string): Error {
  if (!(e instanceof ProcessFailed)) return e as Error;
  const f = e.failure;
  if (f.kind === 'aborted') return new AbortedError(reason);
  if (f.kind === 'failed') return new CommandError(f.command, f.exitCode, f.signal, f.tail);
  if (f.kind === 'missing') return new Error(`${f.tool} is not installed (Debian package ${f.packageName})`);
  return new Error(f.message);
}
