/**
 * The fixture harness every format uses. A case is a folder `test/formats/<format>/fixtures/<case>/`:
 *   input.<ext> | input/    the definition
 *   ir.json                 golden IR (normalized), updated only with UPDATE=1
 *   diagnostics.json        optional: expected [{code, line}] (order-insensitive)
 *   out/<target>/...        optional golden outputs per target format, updated only with UPDATE=1
 * Checks per case: the IR equals the golden; writing the same format and re-reading gives
 * the same IR; writing twice is byte-identical; for a single-file input, the CRLF and BOM
 * variants give the same IR. Cases named `_errors_*` must produce at least one error and
 * are only checked against diagnostics.json.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OutputFile } from '../../src/formats/contract.js';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { writeOutputFiles } from '../../src/formats/write-files.js';
import { normalizeIr } from '../../src/ir/normalize.js';
import type { ImageIR } from '../../src/ir/schema.js';

const UPDATE = process.env.UPDATE === '1';

export interface FixtureOptions {
  /** format options handed to reader and writer (e.g. { ksVersion: 'F45' }) */
  options?: Record<string, string | boolean | undefined>;
  /** targets whose golden outputs are compared when `out/<target>` exists */
  registry?: FormatRegistry;
}

export function fixtureCases(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();
}

export function inputOf(caseDir: string): string {
  const entry = readdirSync(caseDir).find((e) => e === 'input' || e.startsWith('input.'));
  if (!entry) throw new Error(`${caseDir}: no input file or input/ folder`);
  return join(caseDir, entry);
}

/** Relative paths and contents of a folder tree, for byte-for-byte comparison. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

async function writeTo(
  formatId: string,
  ir: ImageIR,
  registry: FormatRegistry,
  options: FixtureOptions['options'],
  sourceDir: string,
): Promise<{ dir: string; files: OutputFile[] }> {
  const format = registry.get(formatId)!;
  const result = await format.writer!.write(ir, { options, sourceDir });
  const dir = mkdtempSync(join(tmpdir(), `imgc-fixture-${formatId}-`));
  await writeOutputFiles(dir, result.files);
  return { dir, files: result.files };
}

/** Registers one vitest `describe` block with a test per case. */
export function runFixtureSuite(formatId: string, dir: string, fixtureOptions: FixtureOptions = {}): void {
  const registry = fixtureOptions.registry ?? new FormatRegistry();
  const options = fixtureOptions.options;
  const cases = fixtureCases(dir);

  describe(`${formatId} fixtures`, () => {
    it('has fixtures', () => {
      expect(cases.length).toBeGreaterThan(0);
    });

    for (const name of cases) {
      const caseDir = join(dir, name);
      it(name, async () => {
        const input = inputOf(caseDir);
        const loaded = await loadDefinition(registry, input, { from: formatId, options });
        const found = loaded.diagnostics.map((d) => ({ code: d.code, line: d.line ?? null }));
        const diagnosticsFile = join(caseDir, 'diagnostics.json');
        if (UPDATE) writeJson(diagnosticsFile, found);
        else if (existsSync(diagnosticsFile)) {
          const expected = readJson(diagnosticsFile) as { code: string; line: number | null }[];
          expect(sortDiags(found)).toEqual(sortDiags(expected));
        }
        if (name.startsWith('_errors_')) {
          expect(loaded.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          for (const d of loaded.diagnostics.filter((x) => x.severity === 'error')) {
            expect(d.line, `${d.code} has a line`).toBeGreaterThan(0);
            expect(d.column, `${d.code} has a column`).toBeGreaterThan(0);
          }
          return;
        }
        expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const ir = normalizeIr(loaded.ir!);
        const golden = join(caseDir, 'ir.json');
        if (UPDATE || !existsSync(golden)) {
          if (!UPDATE && process.env.CI) throw new Error(`${golden} is missing (run with UPDATE=1 locally)`);
          writeJson(golden, ir);
        } else expect(ir).toEqual(readJson(golden));

        const sourceDir = statSync(input).isDirectory() ? input : caseDir;
        const first = await writeTo(formatId, loaded.ir!, registry, options, sourceDir);
        let second: { dir: string } | undefined;
        try {
          const reread = await loadDefinition(registry, first.dir, { from: formatId, options });
          expect(
            reread.diagnostics.filter((d) => d.severity === 'error'),
            'the written definition reads without errors',
          ).toEqual([]);
          expect(normalizeIr(reread.ir!), 'reading what was written gives the same IR').toEqual(ir);
          second = await writeTo(formatId, reread.ir!, registry, options, first.dir);
          expect(snapshotTree(second.dir), 'a second pass writes the same bytes').toEqual(
            snapshotTree(first.dir),
          );
          const goldenOut = join(caseDir, 'out', formatId);
          if (UPDATE) {
            rmSync(goldenOut, { recursive: true, force: true });
            await writeOutputFiles(goldenOut, first.files);
          } else if (existsSync(goldenOut)) {
            expect(snapshotTree(first.dir)).toEqual(snapshotTree(goldenOut));
          }
        } finally {
          rmSync(first.dir, { recursive: true, force: true });
          if (second) rmSync(second.dir, { recursive: true, force: true });
        }

        if (!statSync(input).isDirectory()) {
          const text = readFileSync(input, 'utf8');
          for (const [variant, transformed] of [
            ['CRLF', text.replace(/\r?\n/g, '\r\n')],
            ['BOM', `\uFEFF${text}`],
          ] as const) {
            const tmp = mkdtempSync(join(tmpdir(), 'imgc-variant-'));
            const file = join(tmp, relative(caseDir, input));
            writeFileSync(file, transformed);
            try {
              const v = await loadDefinition(registry, file, { from: formatId, options });
              expect(
                v.diagnostics.filter((d) => d.severity === 'error'),
                `${variant} variant reads`,
              ).toEqual([]);
              expect(stripSourcePaths(normalizeIr(v.ir!)), `${variant} variant gives the same IR`).toEqual(
                stripSourcePaths(ir),
              );
            } finally {
              rmSync(tmp, { recursive: true, force: true });
            }
          }
        }
      });
    }
  });
}

function sortDiags<T extends { code: string; line: number | null }>(list: T[]): T[] {
  return [...list].sort((a, b) => a.code.localeCompare(b.code) || (a.line ?? 0) - (b.line ?? 0));
}

/** Script bodies keep their text; CRLF variants legitimately differ only in line ends inside them. */
function stripSourcePaths(ir: ImageIR): ImageIR {
  return JSON.parse(JSON.stringify(ir).replaceAll('\\r\\n', '\\n'));
}
