/** The `ir` reader: detection (without taking inputs from other formats), the envelope, YAML, positioned errors. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import type { DetectCandidate } from '../../../../src/formats/contract.js';
import { detectIr, readIr } from '../../../../src/formats/ir/read/index.js';
import { detectFormat, loadDefinition } from '../../../../src/formats/load.js';
import { builtinFormats, FormatRegistry } from '../../../../src/formats/registry.js';
import { emptyIr } from '../../../../src/ir/empty.js';
import type { ImageIR } from '../../../../src/ir/schema.js';
import { corpusDir, fixturesDirOf, repoRoot } from '../../../helpers/shared.js';

const scratch = mkdtempSync(join(tmpdir(), 'imgc-ir-read-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
function file(name: string, content: string): string {
  const dir = join(scratch, String(n++));
  mkdirSync(dir);
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function sampleIr(): ImageIR {
  const ir = emptyIr();
  ir.distribution = { id: 'debian', release: 'bookworm' };
  ir.packages.install.push({ name: 'systemd' }, { name: 'vim' });
  ir.files.push({ path: '/etc/motd', content: 'hi\n', mode: '0644' });
  ir.profiles.push({ name: 'dev', overlay: { files: [{ path: '/etc/dev', content: 'dev\n' }] } });
  return ir;
}

const candidate = (name: string, head: string): DetectCandidate => ({
  path: `/x/${name}`,
  name,
  isDirectory: false,
  head,
});

describe('detection', () => {
  const json = JSON.stringify(sampleIr(), null, 2);

  it('is certain for *.ir.json / *.ir.yaml / *.ir.yml names', () => {
    for (const name of ['a.ir.json', 'b.IR.JSON', 'c.ir.yaml', 'd.ir.yml'])
      expect(detectIr(candidate(name, ''))).toBe(1);
  });

  it('recognises a top-level irVersion, bare or inside {"ir": ...}, in JSON and YAML', () => {
    expect(detectIr(candidate('image.json', json))).toBe(0.95);
    expect(
      detectIr(
        candidate('inspect.json', JSON.stringify({ format: 'kiwi', ir: sampleIr(), diagnostics: [] })),
      ),
    ).toBe(0.95);
    expect(detectIr(candidate('failed.json', '{"format": "kiwi", "ir": null, "diagnostics": []}'))).toBe(
      0.95,
    );
    expect(detectIr(candidate('image.yaml', toYaml(sampleIr())))).toBe(0.95);
    expect(detectIr(candidate('image', toYaml({ format: 'kiwi', ir: sampleIr() })))).toBe(0.95);
    // the head is cut off at 8 KiB: detection must not need the whole document
    expect(detectIr(candidate('image.json', json.slice(0, 40)))).toBe(0.95);
  });

  it('ignores an irVersion that is not on the top level, and JSON or YAML without one', () => {
    expect(detectIr(candidate('x.json', '{"extensions": {"irVersion": 1}}'))).toBe(0);
    expect(detectIr(candidate('x.json', '[{"irVersion": 1}]'))).toBe(0);
    expect(detectIr(candidate('x.json', '{"name": "bp", "packages": []}'))).toBe(0);
    expect(detectIr(candidate('x.yaml', 'image:\n  irVersion: 1\n'))).toBe(0);
    expect(detectIr(candidate('x.toml', 'irVersion = 1\n'))).toBe(0);
    expect(detectIr(candidate('x.ks', 'irVersion: 1\n'))).toBe(0);
  });

  it('claims a folder only weakly, below every other format', () => {
    const folder = (entries: string[]): DetectCandidate => ({
      path: '/x',
      name: 'x',
      isDirectory: true,
      entries,
    });
    expect(detectIr(folder(['image.ir.json']))).toBe(0.35);
    expect(detectIr(folder(['ir.json', 'config.xml']))).toBe(0);
  });

  it('picks ir over blueprint-json for an IR in a plain .json file (no bogus blueprint warnings)', async () => {
    const registry = new FormatRegistry();
    const path = file('image.json', json);
    const loaded = await loadDefinition(registry, path);
    expect(loaded.format?.id).toBe('ir');
    expect(loaded.diagnostics).toEqual([]);
  });

  it('does not change which format any sample, fixture or corpus input is detected as', async () => {
    const withIr = new FormatRegistry();
    const without = new FormatRegistry(builtinFormats.filter((f) => f.id !== 'ir'));
    const inputs: string[] = [];
    for (const f of without.list()) {
      const samples = join(repoRoot, 'samples', f.id);
      if (statSafe(samples)) for (const e of readdirSync(samples)) inputs.push(join(samples, e));
      const fixtures = fixturesDirOf(f.id);
      if (statSafe(fixtures))
        for (const c of readdirSync(fixtures)) {
          const entry = statSafe(join(fixtures, c))?.isDirectory()
            ? readdirSync(join(fixtures, c)).find((e) => e === 'input' || e.startsWith('input.'))
            : undefined;
          if (entry) inputs.push(join(fixtures, c, entry));
        }
    }
    for (const corpus of ['kiwi', 'mkosi', 'kickstart', 'blueprint', 'bootc']) {
      const dir = corpusDir(corpus);
      if (dir) for (const e of readdirSync(dir)) inputs.push(join(dir, e));
    }
    expect(inputs.length).toBeGreaterThan(50);
    const changed: string[] = [];
    for (const path of inputs) {
      const a = await detectFormat(without, path);
      const b = await detectFormat(withIr, path);
      if (a.format?.id !== b.format?.id) changed.push(`${path}: ${a.format?.id} → ${b.format?.id}`);
    }
    expect(changed).toEqual([]);
  });
});

function statSafe(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

describe('reading', () => {
  it('reads a bare JSON IR with a position for every node', async () => {
    const path = file('image.ir.json', JSON.stringify(sampleIr(), null, 2));
    const r = await readIr(path, {});
    expect(r.diagnostics).toEqual([]);
    expect(r.ir).toEqual(sampleIr());
    expect(r.files).toEqual([path]);
    expect(r.positions['/packages/install/1/name']).toMatchObject({ file: path, line: expect.any(Number) });
    expect(Object.keys(r.positions).length).toBeGreaterThan(30);
  });

  it('reads the `imgc inspect --json` envelope with positions relative to the IR', async () => {
    const text = JSON.stringify({ format: 'kiwi', ir: sampleIr(), diagnostics: [] }, null, 2);
    const path = file('inspect.json', text);
    const r = await readIr(path, {});
    expect(r.diagnostics).toEqual([]);
    expect(r.ir).toEqual(sampleIr());
    const line = text.split('\n').findIndex((l) => l.includes('"vim"')) + 1;
    expect(r.positions['/packages/install/1/name']?.line).toBe(line);
    expect(Object.keys(r.positions).every((p) => !p.startsWith('/ir/'))).toBe(true);
  });

  it('reads the YAML `imgc inspect` prints, also with a BOM and CRLF', async () => {
    const yaml = toYaml(sampleIr());
    for (const text of [yaml, `\uFEFF${yaml.replace(/\n/g, '\r\n')}`]) {
      const r = await readIr(file('image.ir.yaml', text), {});
      expect(r.diagnostics).toEqual([]);
      expect(r.ir).toEqual(sampleIr());
    }
  });

  it('reads a folder holding one *.ir.json, and refuses one holding several or none', async () => {
    const dir = join(scratch, 'folder');
    mkdirSync(dir);
    writeFileSync(join(dir, 'image.ir.json'), JSON.stringify(sampleIr()));
    expect((await readIr(dir, {})).ir).toEqual(sampleIr());
    writeFileSync(join(dir, 'other.ir.yaml'), toYaml(sampleIr()));
    expect((await readIr(dir, {})).diagnostics.map((d) => d.code)).toEqual(['IMGC1008']);
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    expect((await readIr(empty, {})).diagnostics.map((d) => d.code)).toEqual(['IMGC1001']);
  });

  it('activates chosen profiles, and refuses undeclared ones with the declared names', async () => {
    const path = file('image.ir.json', JSON.stringify(sampleIr(), null, 2));
    expect((await readIr(path, { profiles: ['dev'] })).ir?.activeProfiles).toEqual(['dev']);
    const r = await readIr(path, { profiles: ['prod'] });
    expect(r.ir).toBeUndefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'IMGC1007',
        message: 'no profile "prod" (declared: dev)',
        line: expect.any(Number),
      }),
    ]);
  });

  it('warns about a duplicate JSON key at its line', async () => {
    const r = await readIr(
      file('image.ir.json', JSON.stringify(sampleIr(), null, 2).replace('{\n', '{\n  "irVersion": 1,\n')),
      {},
    );
    expect(r.ir).toBeDefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'IMGC1011', severity: 'warning', line: 3, column: 3 }),
    ]);
  });
});

describe('errors', () => {
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('reports a schema error as IMGC1012 at the offending line:column, with the pointer and what was expected', async () => {
    const ir = sampleIr() as unknown as { files: { mode: unknown }[] };
    ir.files[0]!.mode = 644;
    const text = JSON.stringify(ir, null, 2);
    const path = file('image.ir.json', text);
    const r = await readIr(path, {});
    expect(r.ir).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    const [d] = r.diagnostics;
    expect(d).toMatchObject({
      code: 'IMGC1012',
      severity: 'error',
      file: path,
      line: lineOf(text, '"mode"'),
      column: 7,
      pointer: '/files/0/mode',
    });
    expect(d!.message).toBe(
      'IR /files/0/mode: expected a string matching ^0?[0-7]{3,4}$ (octal permission bits, e.g. "0644"), got 644 (a number)',
    );
    expect(d!.hint).toMatch(/schemas\/ir\.schema\.json/);
  });

  it('suggests the quotes YAML needs for an unquoted 0644', async () => {
    const text = toYaml(sampleIr()).replace('mode: "0644"', 'mode: 0644');
    expect(text).toContain('mode: 0644');
    const r = await readIr(file('image.ir.yaml', text), {});
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'IMGC1012',
        line: lineOf(text, 'mode:'),
        hint: expect.stringMatching(/quotes/),
      }),
    ]);
  });

  it('names an unknown property with a spelling suggestion, and a missing one at its parent', async () => {
    const ir = sampleIr() as unknown as { packages: Record<string, unknown> };
    ir.packages.instal = ir.packages.install;
    delete ir.packages.install;
    const text = JSON.stringify(ir, null, 2);
    const r = await readIr(file('image.ir.json', text), {});
    const byPointer = Object.fromEntries(r.diagnostics.map((d) => [d.pointer, d]));
    expect(byPointer['/packages/instal']).toMatchObject({
      code: 'IMGC1012',
      line: lineOf(text, '"instal"'),
      hint: 'did you mean "install"?',
    });
    expect(byPointer['/packages/install']).toMatchObject({
      code: 'IMGC1012',
      line: lineOf(text, '"packages"'),
      message: expect.stringMatching(/^IR \/packages: missing "install", expected a list of objects/),
    });
  });

  it('folds a failed union into one diagnostic naming the allowed values', async () => {
    const ir = sampleIr() as unknown as { outputs: unknown[] };
    ir.outputs.push({ type: 'floppy' });
    const r = await readIr(file('image.ir.json', JSON.stringify(ir, null, 2)), {});
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.message).toMatch(
      /^IR \/outputs\/0\/type: expected one of "directory", "tar", .*, got "floppy"$/,
    );
  });

  it('reports a JSON syntax error as IMGC1011 with its position, not as a missing file', async () => {
    const text = JSON.stringify(sampleIr(), null, 2).replace('"systemd"', '"systemd",');
    const path = file('image.ir.json', text);
    const r = await readIr(path, {});
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'IMGC1011',
        file: path,
        line: lineOf(text, '"systemd",'),
        column: text.split('\n')[lineOf(text, '"systemd",') - 1]!.indexOf(',') + 1,
        message: expect.stringMatching(
          /^invalid JSON: expected another property after this comma, found "}"/,
        ),
      }),
    ]);
  });

  it('reports a YAML syntax error as IMGC1011 with its position', async () => {
    const r = await readIr(
      file('image.ir.yaml', 'irVersion: 1\ndistribution:\n  id: debian\n  id: fedora\n'),
      {},
    );
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'IMGC1011', line: 4, column: 3 })]);
  });

  it('refuses an unknown irVersion with a hint, at the irVersion line', async () => {
    const text = JSON.stringify({ ...sampleIr(), irVersion: 2 }, null, 2);
    const r = await readIr(file('image.ir.json', text), {});
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'IMGC1013',
        message: 'irVersion 2 is not one this imgc reads (it reads irVersion 1)',
        line: 2,
        column: 3,
        hint: expect.stringMatching(/newer imgc/),
      }),
    ]);
  });

  it('refuses a document that is not an IR: no irVersion, a list, a failed inspect', async () => {
    const codes = async (name: string, text: string) =>
      (await readIr(file(name, text), {})).diagnostics.map((d) => [d.code, d.message]);
    expect(await codes('a.ir.json', '{"name": "x"}')).toEqual([
      ['IMGC1014', 'not an imgc IR document: it has no irVersion'],
    ]);
    expect(await codes('a.ir.json', '[]')).toEqual([
      ['IMGC1014', 'not an imgc IR document: the top level is a list, not an object'],
    ]);
    expect(await codes('a.json', '{"format": "kiwi", "ir": null, "diagnostics": []}')).toEqual([
      ['IMGC1014', expect.stringMatching(/"ir" is null/)],
    ]);
  });

  it('reports an unreadable path as IMGC1001', async () => {
    const r = await readIr(join(scratch, 'nope.ir.json'), {});
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC1001']);
  });
});
