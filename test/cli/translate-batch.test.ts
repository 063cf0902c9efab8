/**
 * `imgc translate` of several definitions in one call: each is written to `-o DIR/<name>/` with
 * exactly the files and report a single `imgc translate` of it gives, in input order; a failing
 * input does not stop the others but makes the exit code non-zero; name clashes, --batch paths
 * that are not folders and bad --jobs values are reported with their codes.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/shared.js';

const registry = new FormatRegistry();
const scratch = mkdtempSync(join(tmpdir(), 'imgc-translate-batch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (args: string[]) => runCli(args, { registry });

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true })) {
    const full = join(dir, String(e));
    if (statSync(full).isFile()) out[relative(dir, full)] = readFileSync(full, 'utf8');
  }
  return out;
}

const kickstart = join(repoRoot, 'samples/kickstart/imgc-sample.ks');
const blueprint = join(repoRoot, 'samples/blueprint/debian-minimal.toml');
const kiwi = join(repoRoot, 'samples/kiwi/debian-minimal');
const broken = join(scratch, 'broken.ks');
writeFileSync(broken, 'rootpw "unterminated\n');

describe('imgc translate with several definitions', () => {
  it('writes each to DIR/<name>/ exactly as a single translate does, with its report, in input order (3 at once)', async () => {
    const inputs = [kickstart, blueprint, kiwi];
    const batch = await run([
      'translate',
      ...inputs,
      '--to',
      'mkosi',
      '--distro',
      'debian:12',
      '-o',
      join(scratch, 'batch'),
      '--jobs',
      '3',
    ]);
    expect(batch.code).toBe(0);
    const names = ['imgc-sample', 'debian-minimal', 'debian-minimal-2'];
    let at = 0;
    for (const [i, input] of inputs.entries()) {
      const single = await run([
        'translate',
        input,
        '--to',
        'mkosi',
        '--distro',
        'debian:12',
        '-o',
        join(scratch, `single-${i}`),
      ]);
      expect(single.code).toBe(0);
      expect(tree(join(scratch, 'batch', names[i]!))).toEqual(tree(join(scratch, `single-${i}`)));
      // the single run's loss report appears in the batch output, after this input's header
      const report = single.stderr.slice(single.stderr.indexOf('loss report'));
      const header = batch.stderr.indexOf(`==> ${input} → ${join(scratch, 'batch', names[i]!)}`);
      expect(header).toBeGreaterThanOrEqual(at);
      expect(batch.stderr.indexOf(report, header)).toBeGreaterThan(header);
      at = header;
    }
    expect(batch.stderr).toMatch(/IMGC9082 .*debian-minimal-2/);
    expect(batch.stderr).toMatch(/translated 3 of 3 definitions to mkosi, 0 failed\n$/);
  });

  it('translates the others when one fails, and exits 1', async () => {
    const out = join(scratch, 'with-failure');
    const r = await run(['translate', broken, blueprint, '--to', 'kiwi', '-o', out, '--jobs', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('IMGC5001');
    expect(r.stderr).toMatch(/translated 1 of 2 definitions to kiwi, 1 failed/);
    expect(Object.keys(tree(join(out, 'debian-minimal')))).toContain('config.xml');
  });

  it('--batch translates every entry of a folder; --json gives one result per input and a summary', async () => {
    const dir = join(scratch, 'defs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'b.toml'), readFileSync(blueprint));
    writeFileSync(join(dir, 'a.ks'), readFileSync(kickstart));
    writeFileSync(join(dir, '.hidden.ks'), 'nonsense');
    const r = await run(['translate', '--batch', dir, '--to', 'ir', '-o', join(scratch, 'ir'), '--json']);
    const answer = JSON.parse(r.stdout) as {
      results: { input: string; exitCode: number; files: string[]; diagnostics: Diagnostic[] }[];
      summary: { definitions: number; translated: number; failed: number };
    };
    expect(r.code).toBe(0);
    expect(answer.results.map((x) => x.input)).toEqual([join(dir, 'a.ks'), join(dir, 'b.toml')]);
    expect(answer.results.every((x) => x.files.length > 0 && x.exitCode === 0)).toBe(true);
    expect(answer.summary).toMatchObject({ definitions: 2, translated: 2, failed: 0 });
  });

  it('refuses --batch on a file, an empty folder and a bad --jobs with their codes', async () => {
    const file = await run(['translate', '--batch', blueprint, '--to', 'ir', '-o', join(scratch, 'x')]);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain('IMGC9080');
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    const none = await run(['translate', '--batch', empty, '--to', 'ir', '-o', join(scratch, 'y')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('IMGC9081');
    const jobs = await run([
      'translate',
      kickstart,
      blueprint,
      '--to',
      'ir',
      '-o',
      join(scratch, 'z'),
      '--jobs',
      '0',
    ]);
    expect(jobs.code).toBe(2);
    expect(jobs.stderr).toContain('IMGC9083');
  });

  it('reports an unknown target once, not once per input', async () => {
    const r = await run(['translate', kickstart, blueprint, '--to', 'nope', '-o', join(scratch, 'n')]);
    expect(r.code).toBe(2);
    expect(r.stderr.match(/IMGC1004/g)).toHaveLength(1);
  });
});
