/** Runs Oz's TDL parser (Debian's `oz` package) over files, one python process for all of them. */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Debian's python, where the oz package installs (a pyenv python3 on PATH does not see it). */
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, 'oz-verdicts.py');

export const ozAvailable = spawnSync(PYTHON, ['-c', 'import oz.TDL'], { stdio: 'ignore' }).status === 0;

export interface OzVerdict {
  ok: boolean;
  error?: string;
}

export function ozVerdicts(files: readonly string[]): Promise<Map<string, OzVerdict>> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`oz-verdicts.py exited ${code}: ${err.slice(-500)}`));
      const verdicts = new Map<string, OzVerdict>();
      for (const line of out.split('\n').filter(Boolean)) {
        const v = JSON.parse(line) as OzVerdict & { file: string };
        verdicts.set(v.file, { ok: v.ok, ...(v.error ? { error: v.error } : {}) });
      }
      resolve(verdicts);
    });
    child.stdin.end(`${files.join('\n')}\n`);
  });
}
