import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseEpoch } from '../../src/cli/source-date-epoch.js';

let dir: string;
let def: string;
let extra: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'imgc-epoch-'));
  def = join(dir, 'image.toml');
  extra = join(dir, 'files.txt');
  writeFileSync(def, 'name = "x"\n');
  writeFileSync(extra, 'y\n');
  utimesSync(def, 1_600_000_000, 1_600_000_000);
  utimesSync(extra, 1_650_000_000, 1_650_000_000);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('chooseEpoch', () => {
  it('takes SOURCE_DATE_EPOCH from the environment and makes the build reproducible', () => {
    const c = chooseEpoch({ env: '1700000000', reproducible: false, files: [def] });
    expect(c).toMatchObject({ epoch: 1_700_000_000, reproducible: true });
    expect(c.diagnostics.map((d) => [d.code, d.file])).toEqual([['IMGC7701', def]]);
  });

  it('refuses an environment value that is not whole seconds', () => {
    const c = chooseEpoch({ env: '17e8', reproducible: true, files: [def] });
    expect(c.diagnostics.map((d) => [d.code, d.severity])).toEqual([['IMGC7702', 'error']]);
  });

  it('without --reproducible keeps the definition mtime for archives, not a reproducible build', () => {
    expect(chooseEpoch({ env: undefined, reproducible: false, files: [def, extra] })).toEqual({
      epoch: 1_600_000_000,
      reproducible: false,
      diagnostics: [],
    });
  });

  it('--reproducible outside git: the newest mtime of every file the definition read, and says so', () => {
    const c = chooseEpoch({ env: undefined, reproducible: true, files: [def, extra] });
    expect(c.epoch).toBe(1_650_000_000);
    expect(c.diagnostics[0]).toMatchObject({ code: 'IMGC7700', severity: 'info', file: def });
    expect(c.diagnostics[0]!.message).toContain("newest modification time of the definition's 2 files");
  });

  it('--reproducible in git: the commit time, whatever the checkout mtimes; a changed file falls back to mtimes', () => {
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: dir,
        env: {
          ...process.env,
          GIT_COMMITTER_DATE: '@1690000000 +0000',
          GIT_AUTHOR_DATE: '@1690000000 +0000',
        },
      });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'x');
    const c = chooseEpoch({ env: undefined, reproducible: true, files: [def, extra] });
    expect(c.epoch).toBe(1_690_000_000);
    expect(c.diagnostics[0]!.message).toContain('last git commit');
    writeFileSync(extra, 'changed\n');
    utimesSync(extra, 1_695_000_000, 1_695_000_000);
    expect(chooseEpoch({ env: undefined, reproducible: true, files: [def, extra] }).epoch).toBe(
      1_695_000_000,
    );
  });
});
