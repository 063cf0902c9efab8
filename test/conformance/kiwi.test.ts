/**
 * Conformance over ../shared/corpus/kiwi: every `main` and `test-fixture` description of the
 * MANIFEST is read (none may crash; ≥ 98 % of the main ones inspect without errors; whatever
 * fails must fail with a positioned error), written back at schema 8.5 and 7.5 (each
 * written config.xml must validate against the RelaxNG schema of its version), and read
 * again (KIWI → IR → KIWI → IR must be identical). A last check compares attribute values
 * and texts of the source with the written XML, so that nothing is dropped silently.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XElement } from '../../src/formats/kiwi/ast.js';
import { expandIncludes } from '../../src/formats/kiwi/read/include.js';
import { parseDescription } from '../../src/formats/kiwi/read/read.js';
import { upgradeToLatest } from '../../src/formats/kiwi/read/upgrade.js';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { writeOutputFiles } from '../../src/formats/write-files.js';
import { normalizeIr } from '../../src/ir/normalize.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { corpusDir, corpusMissingMessage, readManifest } from '../helpers/shared.js';
import { ensureKiwiTools, KIWI_75_RNG, KIWI_85_RNG, relaxngErrors } from '../setup/kiwi-tools.js';
import { withoutPointers } from '../translate/matrix-helpers.js';

/** What the writer reported changing so that KIWI accepts the output (dropped: IMGC6002, filled: IMGC6003). */
const CHANGE_CODES = new Set(['IMGC6002', 'IMGC6003']);

const dir = corpusDir('kiwi');
const registry = new FormatRegistry();
const kiwi = registry.get('kiwi')!;
const TIMEOUT = 600_000;

interface Loaded {
  row: Record<string, string>;
  file: string;
  main: boolean;
  ir?: ImageIR;
}

/** Canonical JSON: object keys sorted, list order kept. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/** Attributes the writer spells differently or derives (filters resolved, defaults left implicit). */
const DERIVED = new Set([
  'arch',
  'profiles',
  'schemaversion',
  'primary',
  'from',
  'xsi:noNamespaceSchemaLocation',
  'xsi:schemaLocation',
]);
const DEFAULTS = new Set([
  'sourcetype=baseurl',
  'pwdformat=encrypted',
  'imageinclude=false',
  'imageonly=false',
  'type=system',
]);

function facts(root: XElement): string[] {
  const out: string[] = [];
  const walk = (e: XElement) => {
    for (const [k, v] of Object.entries(e.attrs)) {
      if (!DERIVED.has(k) && !DEFAULTS.has(`${k}=${v}`)) out.push(v);
    }
    const kids = e.children.filter((c): c is XElement => c.kind === 'element');
    if (kids.length === 0) {
      const text = e.children
        .map((c) => (c.kind === 'text' ? c.text : ''))
        .join('')
        .trim();
      if (text) out.push(text);
    }
    for (const c of kids) walk(c);
  };
  walk(root);
  return out;
}

describe('KIWI corpus', () => {
  if (!dir) {
    console.warn(corpusMissingMessage('kiwi'));
    it.skip('corpus absent', () => {});
    return;
  }
  const rows = readManifest('kiwi').filter((r) => /^(main|test-fixture)/.test(r.notes ?? ''));
  const loaded: Loaded[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'imgc-kiwi-corpus-'));
  beforeAll(() => ensureKiwiTools());
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it(
    'reads every main and test-fixture description',
    async () => {
      const counts = {
        main: 0,
        mainClean: 0,
        fixtures: 0,
        fixturesClean: 0,
        errors: 0,
        positionedErrors: 0,
        crashes: 0,
      };
      const failures: string[] = [];
      for (const row of rows) {
        const file = join(dir, row.repo!, row.path!);
        const main = row.notes!.startsWith('main');
        if (main) counts.main++;
        else counts.fixtures++;
        let result: Awaited<ReturnType<typeof loadDefinition>>;
        try {
          result = await loadDefinition(registry, file, { from: 'kiwi', options: { arch: 'x86_64' } });
        } catch (e) {
          counts.crashes++;
          failures.push(`CRASH ${row.repo}/${row.path}: ${String(e)}`);
          continue;
        }
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length === 0 && result.ir) {
          if (main) counts.mainClean++;
          else counts.fixturesClean++;
          loaded.push({ row, file, main, ir: result.ir });
          continue;
        }
        counts.errors++;
        if (errors.every((d) => d.file && d.line && d.column)) counts.positionedErrors++;
        failures.push(
          `ERROR ${row.repo}/${row.path}: ${errors.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`).join('; ')}`,
        );
      }
      console.log('KIWI corpus read:', counts);
      for (const f of failures) console.log(`  ${f}`);
      expect(counts.crashes).toBe(0);
      expect(counts.mainClean / counts.main).toBeGreaterThanOrEqual(0.98);
      expect(counts.positionedErrors).toBe(counts.errors);
    },
    TIMEOUT,
  );

  it(
    'writes XML that validates against schema 8.5 and 7.5, and reads back to the same IR',
    async () => {
      const counts = {
        written: 0,
        valid85: 0,
        valid75: 0,
        identical: 0,
        identicalMain: 0,
        main: 0,
        identicalVia75: 0,
        identicalApartFromReported: 0,
      };
      const failures: string[] = [];
      for (const [i, l] of loaded.entries()) {
        counts.written++;
        if (l.main) counts.main++;
        for (const version of ['8.5', '7.5'] as const) {
          // the names of the folders holding a description are the reader's last-resort
          // distribution clue (docs/formats/kiwi.md), so the copy sits in folders of the same names
          const out = join(tmp, `${i}-${version}`, ...dirname(l.file).split(sep).slice(-3));
          const written = await kiwi.writer!.write(l.ir!, {
            sourceDir: dirname(l.file),
            options: { kiwiSchema: version },
          });
          await writeOutputFiles(out, written.files);
          const problem = relaxngErrors(
            version === '8.5' ? KIWI_85_RNG : KIWI_75_RNG,
            join(out, 'config.xml'),
          );
          if (problem) failures.push(`INVALID ${version} ${l.row.repo}/${l.row.path}: ${problem}`);
          else if (version === '8.5') counts.valid85++;
          else counts.valid75++;
          const again = await loadDefinition(registry, out, { from: 'kiwi', options: { arch: 'x86_64' } });
          // the same IR, apart from the fields the writer reported changing for KIWI's rules
          const changed = written.diagnostics
            .filter((d) => CHANGE_CODES.has(d.code) && d.pointer !== undefined)
            .map((d) => d.pointer!);
          const same =
            again.ir !== undefined &&
            canonical(withoutPointers(normalizeIr(again.ir), changed)) ===
              canonical(withoutPointers(normalizeIr(l.ir!), changed));
          if (same && changed.length && version === '8.5') counts.identicalApartFromReported++;
          if (version === '7.5') {
            // informational: 8.5-only constructs are dropped (and reported) when writing 7.5
            if (same) counts.identicalVia75++;
            continue;
          }
          if (same) {
            counts.identical++;
            if (l.main) counts.identicalMain++;
          } else failures.push(`NOT IDENTICAL ${l.row.repo}/${l.row.path} (${l.row.notes?.split(';')[0]})`);
        }
      }
      console.log('KIWI corpus write:', counts);
      for (const f of failures) console.log(`  ${f}`);
      expect(counts.valid85).toBe(counts.written);
      expect(counts.valid75).toBe(counts.written);
      expect(counts.identicalMain).toBe(counts.main);
    },
    TIMEOUT,
  );

  it(
    'writes back every attribute value and text of the source',
    async () => {
      let lossy = 0;
      for (const l of loaded) {
        const source = parseDescription(readFileSync(l.file, 'utf8'), l.file).doc!;
        expandIncludes(source.root, dirname(l.file), l.file);
        upgradeToLatest(source.root, l.file);
        const written = await kiwi.writer!.write(l.ir!, { sourceDir: dirname(l.file) });
        const text = String(written.files.find((f) => f.path === 'config.xml')!.content);
        const have = new Set(facts(parseDescription(text, 'config.xml').doc!.root));
        const kept = text.replaceAll('\\u002d', '-');
        // a value the writer dropped for KIWI's rules is named in its report
        const reported = written.diagnostics
          .filter((d) => CHANGE_CODES.has(d.code))
          .map((d) => d.message)
          .join('\n');
        const missing = facts(source.root).filter(
          (v) =>
            !have.has(v) && !kept.includes(JSON.stringify(v).slice(1, -1)) && !reported.includes(`"${v}"`),
        );
        if (missing.length) {
          lossy++;
          console.log(`  LOST ${l.row.repo}/${l.row.path}: ${[...new Set(missing)].slice(0, 5).join(' | ')}`);
        }
      }
      console.log('KIWI corpus values written back:', { descriptions: loaded.length, withLostValues: lossy });
      expect(lossy).toBe(0);
    },
    TIMEOUT,
  );
});
