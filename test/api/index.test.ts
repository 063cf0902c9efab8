/** The library API from the sources: results and diagnostics as data, never a throw or a print. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capabilities, diff, effective, plan, read, translate, write } from '../../src/api/index.js';
import { repoRoot } from '../helpers/shared.js';

const sample = join(repoRoot, 'samples/blueprint/debian-minimal.toml');
const kickstart = join(repoRoot, 'samples/kickstart/imgc-sample.ks');
const out = mkdtempSync(join(tmpdir(), 'imgc-api-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('library API', () => {
  it('reads a definition with its format, positions and files', async () => {
    const d = await read(sample);
    expect(d.format).toBe('blueprint');
    expect(d.ir?.distribution).toMatchObject({ id: 'debian', release: '12' });
    expect(d.positions['/distribution/id']).toMatchObject({ line: 6 });
    expect(d.files).toEqual([sample]);
  });

  it('reports a missing file as a diagnostic, not a throw', async () => {
    const d = await read(join(out, 'none.toml'));
    expect(d.ir).toBeUndefined();
    expect(d.diagnostics.map((x) => x.code)).toEqual(['IMGC1001']);
  });

  it('writes an IR in memory, and into a folder only when asked', async () => {
    const { ir } = await read(sample);
    const w = await write(ir!, 'kickstart');
    expect(w.files.map((f) => f.path)).toEqual(['imgc-sample.ks']);
    expect(w.paths).toEqual([]);
    const t = await translate(sample, { to: 'mkosi', outputDir: join(out, 'mkosi') });
    expect(t.format).toBe('blueprint');
    expect(t.paths).toContain(join(out, 'mkosi', 'mkosi.conf'));
    expect(readFileSync(join(out, 'mkosi', 'mkosi.conf'), 'utf8')).toMatch(/Distribution=debian/);
  });

  it('refuses an unknown target and an IR that breaks the schema, with codes', async () => {
    const { ir } = await read(sample);
    expect((await write(ir!, 'nope')).diagnostics.map((d) => d.code)).toEqual(['IMGC1004']);
    const broken = { ...ir!, packages: { ...ir!.packages, install: [{ version: '1' }] } } as never;
    expect((await write(broken, 'mkosi')).diagnostics[0]?.code).toBe('IMGC1006');
  });

  it('diffs across formats, all fields or those both formats hold', async () => {
    const a = (await read(sample)).ir!;
    const b = (await read(join(out, 'mkosi'))).ir!;
    expect(diff(a, a)).toEqual({ equal: true, changes: [] });
    const all = diff(a, b);
    const common = diff(a, b, [capabilities('blueprint')!, capabilities('mkosi')!]);
    expect(common.changes.length).toBeLessThanOrEqual(all.changes.length);
    expect(effective(a)).toEqual(a);
  });

  it('plans without root, and asks for --distro where the definition names none', async () => {
    const p = await plan(sample, { outputs: ['tar'] });
    expect(p.plan?.steps.map((s) => s.type)).toEqual(expect.arrayContaining(['bootstrap', 'output-tar']));
    const unnamed = await plan(kickstart);
    expect(unnamed.plan).toBeUndefined();
    expect(unnamed.diagnostics.map((d) => d.code)).toContain('IMGC1021');
    const named = await plan(kickstart, { distro: 'fedora:41' });
    expect(named.plan?.steps[0]?.type).toBe('bootstrap');
  });
});
