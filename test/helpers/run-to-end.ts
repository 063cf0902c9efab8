/**
 * Runs a command to its end for slow tests (builds, vmdb2, KIWI): stdout whole, stderr and the
 * interleaved log as their last `keepChars`, and a deadline after which the command is
 * interrupted (SIGINT, so imgc cleans up) or its whole process group killed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './shared.js';

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr in the order they came */
  log: string;
  seconds: number;
}

export interface RunToEndOptions {
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  keepChars?: number;
  /** at the deadline: SIGINT the command (default), or SIGKILL its process group */
  onTimeout?: 'interrupt' | 'kill-group';
}

export function runToEnd(cmd: string, args: readonly string[], options: RunToEndOptions): Promise<Finished> {
  const keep = options.keepChars ?? 40_000;
  const killGroup = options.onTimeout === 'kill-group';
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? process.env,
      detached: killGroup,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let log = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      log = (log + b.toString()).slice(-keep);
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-keep);
      log = (log + b.toString()).slice(-keep);
    });
    const timer = setTimeout(() => {
      if (!killGroup) child.kill('SIGINT');
      else if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, log, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** The imgc CLI from the sources (tsx), as the slow tests run it. */
export function imgcFromSources(args: readonly string[]): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', join(repoRoot, 'test/exec/cli-entry.ts'), ...args]];
}
