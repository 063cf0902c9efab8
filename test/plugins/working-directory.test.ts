/**
 * Plugins are code: a plugins/ folder or an imgc.config.json in the folder where someone runs
 * imgc (a cloned repository) must not run, and a plugin the user did name that fails must
 * fail the command.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const cliEntry = join(repo, 'test/exec/cli-entry.ts');
// tsx from this checkout: the working directory of these runs has no node_modules
const tsx = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
const sample = join(repo, 'samples/blueprint/debian-minimal.toml');

/** A folder as a hostile repository would have it: a format plugin that leaves a mark when imported. */
function hostileFolder(): { dir: string; mark: string } {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-hostile-cwd-'));
  const mark = join(dir, 'imported');
  mkdirSync(join(dir, 'plugins/x'), { recursive: true });
  writeFileSync(
    join(dir, 'plugins/x/imgc-plugin.json'),
    JSON.stringify({ name: 'x', apiVersion: 1, kind: 'format', format: { module: './index.mjs' } }),
  );
  writeFileSync(
    join(dir, 'plugins/x/index.mjs'),
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(mark)}, 'ran');\nexport default {};\n`,
  );
  writeFileSync(join(dir, 'imgc.config.json'), JSON.stringify({ plugins: ['./plugins/x'] }));
  return { dir, mark };
}

function imgc(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--import', tsx, cliEntry, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, IMGC_CONFIG: '' },
  });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('plugins in the working directory', () => {
  it('are not imported when imgc runs there', () => {
    const { dir, mark } = hostileFolder();
    const r = imgc(['inspect', sample], dir);
    expect(r.stderr).not.toContain('IMGC80');
    expect(r.code).toBe(0);
    expect(existsSync(mark)).toBe(false);
  });

  it('run when the user names them, and a broken one fails the command', () => {
    const { dir, mark } = hostileFolder();
    for (const named of [
      ['--plugin', join(dir, 'plugins/x')],
      ['--config', join(dir, 'imgc.config.json')],
    ]) {
      const r = imgc([...named, 'inspect', sample], dir);
      expect(r.stderr).toContain('IMGC8009');
      expect(r.code).toBe(1);
    }
    expect(existsSync(mark)).toBe(true);
  });
});
