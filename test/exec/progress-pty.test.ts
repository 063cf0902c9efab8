/**
 * The live progress line under a real terminal: `script` (util-linux) runs a fake slow step in
 * a pty of 60 columns. While the step sends no events, the line keeps ticking, names the step,
 * its package count and its sub-step, and never outgrows the terminal. Without a terminal the
 * same events give plain timestamped lines and no redraws.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared.js';

const fake = join(repoRoot, 'test/exec/progress-slow-step.ts');
const node = `${process.execPath} --import tsx ${fake}`;
const { CI: _ci, NO_COLOR: _noColor, ...inherited } = process.env;
const env = { ...inherited, IMGC_SLOW_MS: '3500' };
const hasScript = spawnSync('script', ['--version']).status === 0;

/** What the status line showed at each redraw: text after an erase-line sequence that no newline ends (those are permanent lines). */
function redraws(raw: string): string[] {
  return raw
    .split('\r\x1b[2K')
    .slice(1)
    .filter((chunk) => !chunk.includes('\n'))
    .map((chunk) => chunk.replace(/\r$/, ''))
    .filter(Boolean);
}

describe('progress line on a terminal', () => {
  it.skipIf(!hasScript)(
    'keeps ticking through a quiet step, names the sub-step and fits 60 columns',
    () => {
      const run = spawnSync('script', ['-qfec', `stty cols 60 rows 20; ${node}`, '/dev/null'], {
        cwd: repoRoot,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      const lines = redraws(run.stdout);
      const quiet = lines.filter((l) => l.includes('128/128 packages'));
      const seconds = quiet.map((l) => Number(/ ([\d.]+) s$/.exec(l)?.[1]));
      // one redraw a second while no event comes: at least 3 in the 3.5 s quiet step, time rising
      expect(new Set(seconds).size).toBeGreaterThanOrEqual(3);
      expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
      expect(Math.max(...seconds)).toBeGreaterThanOrEqual(3);
      expect(quiet.at(-1)).toMatch(/^\[1\/2\] bootstr.* … 128\/128 packages · /);
      expect(quiet.at(-1)).toMatch(/ · update-initramfs/);
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(59);
      expect(run.stdout).toMatch(/\[1\/2\] bootstrap debian bookworm .*: done in 3\.8 s/);
      expect(run.stdout).toContain('build finished in 3.9 s');
    },
    60_000,
  );

  it('prints plain timestamped lines without a terminal, and no redraws', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', fake], {
      cwd: repoRoot,
      env: { ...env, IMGC_SLOW_MS: '1200' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('\r');
    const lines = run.stderr.trim().split('\n');
    expect(lines.every((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z /.test(l))).toBe(true);
    expect(run.stderr).toContain('[1/2] bootstrap debian bookworm');
    expect(run.stderr).toContain('build finished in 3.9 s');
  }, 60_000);
});
