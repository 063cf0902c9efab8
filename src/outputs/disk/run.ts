import { existsSync, readdirSync } from 'node:fs';
import { diskCodes } from '../../diagnostics/codes/disk.js';
import { ProcessFailed, runProcess } from '../../exec/process.js';
import { hostEnv } from '../shared/run.js';
import { diskError } from './errors.js';

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
export async function runTool(tool: string, args: string[], options: RunOptions = {}): Promise<string> {
  const env: Record<string, string | undefined> = { ...hostEnv(), LC_ALL: 'C', TZ: 'UTC', ...options.env };
  if (options.noSync && eatmydata) env.LD_PRELOAD = [eatmydata, env.LD_PRELOAD].filter(Boolean).join(' ');
  try {
    return await runProcess(tool, args, {
      env,
      ...(options.signal ? { signal: options.signal } : {}),
      stdin: true,
      ...(options.input !== undefined ? { input: options.input } : {}),
    });
  } catch (e) {
    if (!(e instanceof ProcessFailed)) throw e;
    const f = e.failure;
    if (f.kind === 'aborted') throw diskError(diskCodes.aborted, undefined);
    if (f.kind === 'missing') throw diskError(diskCodes.toolMissing, f);
    if (f.kind === 'failed')
      throw diskError(diskCodes.toolFailed, {
        command: f.command,
        exitCode: String(f.exitCode ?? f.signal),
        stderr: f.stderr,
      });
    throw diskError(diskCodes.toolFailed, { command: tool, exitCode: '?', stderr: f.message });
  }
}
