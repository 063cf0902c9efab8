/** The installed entry point (bin/imgc.js over the bundle) as a process: what only a real process shows. */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared.js';

const bin = join(repoRoot, 'bin/imgc.js');

describe('bin/imgc.js', () => {
  it('prints imgc’s own version, also when run from another npm package', () => {
    const own = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;
    const out = execFileSync('node', [bin, '--version'], {
      env: { ...process.env, npm_package_version: '9.9.9-other-project' },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe(own);
  });

  it('stops quietly when the reader closes the pipe early', () => {
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `node ${bin} formats | head -c 10 >/dev/null`], {
      encoding: 'utf8',
    });
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(r.status).toBe(0);
  });
});
