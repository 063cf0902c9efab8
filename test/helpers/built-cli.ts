/**
 * The CLI as users run it: bin/imgc.js over the bundle in dist/. Built once (`npm run build`,
 * under a lock so parallel test files do not build at the same time) when dist is missing or
 * older than a source file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './shared.js';

export const imgcBin = join(repoRoot, 'bin/imgc.js');
const bundle = join(repoRoot, 'dist/cli/imgc.mjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const stale = () => !existsSync(bundle) || statSync(bundle).mtimeMs < newestSource(join(repoRoot, 'src'));

export function ensureBuiltCli(): string {
  if (stale()) {
    // re-checked under the lock: another test file may have built it meanwhile
    const build =
      '[ -e dist/cli/imgc.mjs ] && [ -z "$(find src -type f -newer dist/cli/imgc.mjs | head -1)" ] || npm run build >/dev/null';
    execFileSync('flock', [join(repoRoot, 'package.json'), 'sh', '-c', build], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
  }
  return imgcBin;
}

/** The environment without the user's own imgc defaults: no user config file, no IMGC_* defaults. */
function isolated(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, IMGC_USER_CONFIG: '' };
  for (const name of ['IMGC_DISTRO', 'IMGC_CACHE_DIR', 'IMGC_OUTPUT_DIR', 'IMGC_CONFIG']) delete env[name];
  return env;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runImgc(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): CliRun {
  const r = spawnSync('node', [imgcBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...isolated(), NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
