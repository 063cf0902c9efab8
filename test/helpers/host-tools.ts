import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './shared.js';

let done = false;

/** Installs the host packages of scripts/host-packages.txt once per test process. */
export function ensureHostTools(): void {
  if (done) return;
  execFileSync('bash', [join(repoRoot, 'scripts/ensure-host-tools.sh')], {
    stdio: 'inherit',
    env: { ...process.env, IMGC_SKIP_SMOKE: '1' },
  });
  done = true;
}
