/** The `ir` writer: schema key order, byte-stable output, copies of referenced sources, and a lossless round trip. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  irApproximations,
  irCapabilities,
  printIr,
  writeIr,
} from '../../../../src/formats/ir/write/index.js';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { translateIr } from '../../../../src/formats/translate.js';
import { writeOutputFiles } from '../../../../src/formats/write-files.js';
import { emptyIr } from '../../../../src/ir/empty.js';
import { normalizeIr } from '../../../../src/ir/normalize.js';
import { matchesPattern } from '../../../../src/ir/pointer.js';
import { ImageIR } from '../../../../src/ir/schema.js';
import { deref, type SchemaNode } from '../../../../src/ir/schema-walk.js';
import { unsafeValues } from '../../../../src/ir/unsafe-values.js';
import { validateIr } from '../../../../src/ir/validate.js';
import { repoRoot } from '../../../helpers/shared.js';

const registry = new FormatRegistry();
const scratch = mkdtempSync(join(tmpdir(), 'imgc-ir-write-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function contentOf(files: ReturnType<typeof writeIr>['files']): string {
  const main = files.find((f) => f.path === 'image.ir.json');
  return String(main?.content);
}

describe('printing', () => {
  it('writes keys in the schema order, two-space indented, with a trailing newline', () => {
    const ir = emptyIr();
    ir.packages.install = [{ version: '1', name: 'vim' }];
    ir.distribution = { release: 'bookworm', id: 'debian' };
    ir.extensions = { zeta: { b: 1, a: 2 }, alpha: true };
    // the same IR with every object's keys in an order unlike the schema's
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v;
    const shuffled = reversed(ir) as ImageIR;
    expect(Object.keys(shuffled)[0]).toBe('activeProfiles');
    const text = printIr(shuffled);
    expect(text.endsWith('}\n')).toBe(true);
    expect(
      text.startsWith(
        '{\n  "irVersion": 1,\n  "distribution": {\n    "id": "debian",\n    "release": "bookworm"\n  },\n  "repositories": []',
      ),
    ).toBe(true);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(
      Object.keys((ImageIR as unknown as SchemaNode).properties!).filter((k) => k in parsed),
    );
    expect(Object.keys(parsed.packages.install[0])).toEqual(['name', 'version']);
    // record entries (format-private data) keep their own order
    expect(Object.keys(parsed.extensions)).toEqual(['alpha', 'zeta']);
    expect(Object.keys(parsed.extensions.zeta)).toEqual(['a', 'b']);
    // everything else comes out the same whatever order it was built in
    expect(printIr({ ...shuffled, extensions: {} })).toBe(printIr({ ...ir, extensions: {} }));
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  });

  it('drops undefined properties as JSON does', () => {
    const ir = emptyIr();
    ir.system.hostname = undefined;
    expect(printIr(ir)).not.toContain('hostname');
  });
});

describe('capabilities', () => {
  it('claims every field, and lists its approximations inside the claim', () => {
    expect(irCapabilities).toEqual(['/**']);
    for (const a of irApproximations)
      expect(irCapabilities.some((c) => matchesPattern(a.replaceAll('*', '0'), c))).toBe(true);
    expect(registry.get('ir')?.writer?.profiles).toBe(true);
  });

  it('translating a definition to ir reports no loss', async () => {
    for (const path of [
      'samples/kiwi/debian-minimal',
      'samples/mkosi',
      'samples/blueprint/debian-minimal.toml',
    ]) {
      const loaded = await loadDefinition(registry, join(repoRoot, path));
      const result = await translateIr({
        ir: loaded.ir!,
        positions: loaded.positions,
        sourceDir: join(repoRoot, path),
        target: registry.get('ir')!,
      });
      expect(
        result.diagnostics.filter((d) => d.code === 'IMGC6001' || d.code === 'IMGC6004'),
        path,
      ).toEqual([]);
      expect(result.written).toEqual(loaded.ir);
    }
  });
});

describe('referenced sources', () => {
  it('copies files, overlays and scripts named by relative path, once, and reports what it cannot copy', () => {
    const src = join(scratch, 'src');
    mkdirSync(join(src, 'root/etc'), { recursive: true });
    writeFileSync(join(src, 'root/etc/motd'), 'hi\n');
    writeFileSync(join(src, 'setup.sh'), '#!/bin/sh\n');
    writeFileSync(join(src, 'dev.conf'), 'x\n');
    const ir = emptyIr();
    ir.overlays.push({ source: 'root' });
    ir.files.push(
      { path: '/etc/motd', source: 'root/etc/motd' },
      { path: '/etc/remote', source: 'https://example.com/x' },
      { path: '/etc/abs', source: '/srv/abs' },
      { path: '/etc/up', source: '../outside' },
      { path: '/etc/gone', source: 'missing.txt' },
    );
    ir.scripts.push({ phase: 'post-install', chroot: true, source: 'setup.sh' });
    ir.profiles.push({ name: 'dev', overlay: { files: [{ path: '/etc/dev.conf', source: 'dev.conf' }] } });
    const written = writeIr(ir, { sourceDir: src });
    expect(written.files.map((f) => [f.path, f.copyFrom])).toEqual([
      ['image.ir.json', undefined],
      ['root', join(src, 'root')],
      ['setup.sh', join(src, 'setup.sh')],
      ['dev.conf', join(src, 'dev.conf')],
    ]);
    expect(written.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['IMGC6002', '/files/3/source'],
      ['IMGC6002', '/files/4/source'],
    ]);
    for (const d of written.diagnostics)
      expect(irApproximations.some((a) => matchesPattern(d.pointer!, a))).toBe(true);
    // the paths themselves are written unchanged
    expect(JSON.parse(contentOf(written.files))).toEqual(JSON.parse(JSON.stringify(ir)));
  });
});

/** An arbitrary value of a schema node: the IR schema itself generates the IRs. */
function arbitraryOf(given: SchemaNode, depth = 0): fc.Arbitrary<unknown> {
  const schema = deref(given)!;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((b) => arbitraryOf(b, depth)));
  switch (schema.type) {
    case 'string':
      return schema.pattern
        ? fc.stringMatching(new RegExp(schema.pattern))
        : fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }));
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: 1_000_000 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      // deep lists stay empty, which also ends recursive definitions ($defs)
      return depth > 3 ? fc.constant([]) : fc.array(arbitraryOf(schema.items!, depth + 1), { maxLength: 2 });
    case 'object': {
      if (schema.patternProperties) {
        const value = Object.values(schema.patternProperties)[0]!;
        const inner =
          value.type === undefined && !value.anyOf
            ? fc.jsonValue({ maxDepth: 2 })
            : arbitraryOf(value, depth + 1);
        return fc.dictionary(fc.string({ maxLength: 6 }), inner, { maxKeys: 2 });
      }
      const props = Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, v]) => [k, arbitraryOf(v, depth + 1)]),
      );
      return fc.record(props, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** JSON cannot tell -0 from 0. */
const jsonSafe = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('round trip (property)', () => {
  const arbitraryIr = arbitraryOf(ImageIR as unknown as SchemaNode).map(jsonSafe);

  it('generates valid IRs', () => {
    fc.assert(
      fc.property(arbitraryIr, (ir) => {
        expect(validateIr(ir)).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it('IR → ir → IR is the identity, for any IR the schema allows that holds no unsafe value, with a position for every node', async () => {
    // Values that would inject lines or climb out of the tree are refused on read (IMGC1040–1043);
    // test/formats/unsafe-values.test.ts tests that refusal, so this property covers every other IR.
    const safeIr = arbitraryIr.filter((v) => unsafeValues(v as ImageIR).length === 0);
    await fc.assert(
      fc.asyncProperty(safeIr, async (value) => {
        const ir = value as ImageIR;
        const written = writeIr(ir, {});
        const dir = mkdtempSync(join(scratch, 'prop-'));
        try {
          await writeOutputFiles(
            dir,
            written.files.filter((f) => f.copyFrom === undefined),
          );
          const back = await loadDefinition(registry, dir, { from: 'ir' });
          expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(back.ir).toEqual(ir);
          expect(normalizeIr(back.ir!)).toEqual(normalizeIr(ir));
          expect(readFileSync(join(dir, 'image.ir.json'), 'utf8')).toBe(printIr(back.ir!));
          const walk = (v: unknown, ptr: string) => {
            expect(back.positions[ptr], ptr).toBeDefined();
            if (Array.isArray(v)) {
              for (const [i, x] of v.entries()) walk(x, `${ptr}/${i}`);
            } else if (v !== null && typeof v === 'object')
              for (const [k, x] of Object.entries(v))
                walk(x, `${ptr}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`);
          };
          walk(ir, '');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});
