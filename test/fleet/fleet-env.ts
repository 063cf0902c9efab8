/**
 * A fleet on this machine for the tests and the bench: a redis-server of its own on 127.0.0.1
 * (free port, temporary folder), workers and `imgc submit` run as real processes of the CLI.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { runToEnd } from '../helpers/run-to-end.js';
import { repoRoot } from '../helpers/shared.js';

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-fleet-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      break;
    } catch (e) {
      client.disconnect();
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}: ${e}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The CLI from the sources, as the other process tests start it. */
export const cli = (args: string[]) =>
  [process.execPath, '--import', 'tsx', join(repoRoot, 'test/exec/cli-entry.ts'), ...args] as const;

export interface RunningWorker {
  child: ChildProcess;
  cacheDir: string;
  log: () => string;
  stop(): Promise<void>;
}

export function startWorker(
  redis: string,
  store: string,
  cacheDir: string,
  extra: string[] = [],
): RunningWorker {
  const [node, ...args] = cli([
    'worker',
    '--redis',
    redis,
    '--store',
    store,
    '--cache-dir',
    cacheDir,
    '--queue',
    'x86_64',
    '--lock-seconds',
    '3',
    ...extra,
  ]);
  const child = spawn(node, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (b: Buffer) => {
    log = (log + b.toString()).slice(-40_000);
  });
  return {
    child,
    cacheDir,
    log: () => log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Runs the CLI to its end. */
export function run(
  args: string[],
  timeoutMs = 600_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [node, ...rest] = cli(args);
  return runToEnd(node, rest, { timeoutMs });
}

/**
 * A worker cache dir of its own that starts with the tree snapshots of the shared test cache
 * (hard links: instant, no copy), so the workers begin warm as the output tests do, and with
 * the locks kept beside those trees (copied: a build rewrites them in place).
 */
export function seededCacheDir(shared: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-fleet-cache-'));
  for (const [sub, how] of [
    ['trees', '-al'],
    ['packages', '-al'],
    ['locks', '-a'],
  ] as const)
    try {
      execFileSync('cp', [how, join(shared, sub), join(dir, sub)]);
    } catch {
      /* a cold shared cache: the worker builds from scratch */
    }
  return dir;
}

/** Pids of the processes whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process below `pid`, with its command line. */
export function descendants(pid: number): { pid: number; args: string }[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => Boolean(m))
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const out: { pid: number; args: string }[] = [];
  const walk = (parent: number) => {
    for (const r of rows)
      if (r.ppid === parent) {
        out.push({ pid: r.pid, args: r.args });
        walk(r.pid);
      }
  };
  walk(pid);
  return out;
}

/** Waits until a process below `pid` runs `args` (e.g. a build's script); false on timeout. */
export async function waitForDescendant(pid: number, args: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (descendants(pid).some((d) => d.args.includes(args))) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
