/**
 * The translation matrix over the real-world corpus (../shared/corpus): every definition of
 * every corpus format that reads without errors is translated to every registered writer,
 * written, and read back with the target's reader. Printed per source → target: pairs,
 * re-read ok, re-read with errors, crashes, claimed fields lost without a report, and
 * distribution/package names lost without a report, and reported losses (IMGC6001) checked
 * against what the target's reader takes back from the written files (issue 15: no false
 * loss). Done-criteria of issue 6: no crash, and ≥ 98 % of pairs re-read without errors. IMGC_MATRIX_LIMIT=n reads only n files per format.
 * One test file per corpus (translate-matrix-<corpus>.test.ts) so vitest runs them in parallel.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FormatOptions } from '../../src/formats/contract.js';
import { type LoadResult, loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { corpusElementsPath } from '../helpers/dib-elements.js';
import { corpusDir, corpusMissingMessage, readManifest } from '../helpers/shared.js';
import { translatePair } from '../translate/matrix-helpers.js';

const registry = new FormatRegistry();
const writers = registry.list().filter((f) => f.writer);
const limit = Number(process.env.IMGC_MATRIX_LIMIT ?? 0) || Number.POSITIVE_INFINITY;

/** Corpus folder → reader id for a manifest row. */
export const CORPORA: Record<string, (row: Record<string, string>) => string | undefined> = {
  kiwi: (row) => (/include-fragment/.test(row.notes ?? '') ? undefined : 'kiwi'),
  mkosi: () => 'mkosi',
  kickstart: () => 'kickstart',
  blueprint: (row) => (row.path?.endsWith('.json') ? 'blueprint-json' : 'blueprint'),
  bootc: () => 'containerfile',
  vmdb2: () => 'vmdb2',
  packer: (row) => (row.kind === 'main' ? 'packer' : undefined),
  'live-build': (row) => (row.kind === 'main' ? 'live-build' : undefined),
  treefile: (row) => (row.kind === 'main' ? 'treefile' : undefined),
  tdl: (row) => (row.kind === 'main' ? 'tdl' : undefined),
  // kickstarts are the kickstart corpus's matter; indexes, fragments and preseeds are virt-builder's
  'virt-builder': (row) =>
    row.kind !== 'invalid' && !row.path?.endsWith('.ks') ? 'virt-builder' : undefined,
  dib: (row) => (row.kind === 'main' ? 'dib' : undefined),
};

/** Reader options a corpus is read with (the dib corpus needs its element search path). */
export const READ_OPTIONS: Record<string, (dir: string) => FormatOptions> = {
  dib: (dir) => ({ elementsPath: corpusElementsPath(dir) }),
};

function readOptionsOf(corpus: string, dir: string): FormatOptions | undefined {
  const cached = optionsCache.get(corpus);
  if (cached) return cached;
  const made = READ_OPTIONS[corpus]?.(dir);
  if (made) optionsCache.set(corpus, made);
  return made;
}
const optionsCache = new Map<string, FormatOptions>();

export function rowPath(dir: string, row: Record<string, string>): string | undefined {
  const staged = /(?:^|;\s*)staged=([^;\s]+)/.exec(row.notes ?? '')?.[1];
  const candidates = [
    staged && row.path ? join(staged, row.path) : undefined,
    row.staged_path,
    row.path === '.' ? undefined : row.path,
    row.repo && row.path ? `${row.repo.replace('/', '+')}/${row.path}` : undefined,
  ];
  for (const c of candidates) if (c && existsSync(join(dir, c))) return join(dir, c);
  return row.repo && row.path ? inDatedCopy(dir, row.repo, row.path) : undefined;
}

/** Older commits of a repository sit in `owner+name@<date or tag>/` folders; the one holding `path`. */
function inDatedCopy(dir: string, repo: string, path: string): string | undefined {
  const prefix = `${repo.replace('/', '+')}@`;
  const copies = readdirSync(dir).filter((e) => e.startsWith(prefix) && existsSync(join(dir, e, path)));
  return copies.length ? join(dir, copies.sort().at(-1)!, path) : undefined;
}

/** One definition a corpus manifest lists, read with its reader; `loaded` only when it reads without errors. */
export interface CorpusEntry {
  corpus: string;
  /** path relative to the corpus folder */
  source: string;
  label: string;
  sourceDir: string;
  loaded?: LoadResult & { ir: ImageIR };
}

/** Every definition of every corpus manifest that has a reader and a file, first `limit` rows per corpus. */
export async function* corpusEntries(
  registry: FormatRegistry,
  limit = Number.POSITIVE_INFINITY,
): AsyncGenerator<CorpusEntry> {
  for (const [corpus, readerOf] of Object.entries(CORPORA)) {
    const dir = corpusDir(corpus);
    if (!dir) continue;
    for (const row of readManifest(corpus).slice(0, limit)) {
      const readerId = readerOf(row);
      const path = rowPath(dir, row);
      if (!readerId || !path) continue;
      const source = path.slice(dir.length + 1);
      const sourceDir = statSync(path).isDirectory() ? path : dirname(path);
      const options = readOptionsOf(corpus, dir);
      const loaded = await loadDefinition(registry, path, {
        from: readerId,
        ...(options ? { options } : {}),
      }).catch(() => undefined);
      const clean = loaded?.ir && !loaded.diagnostics.some((d) => d.severity === 'error');
      yield {
        corpus,
        source,
        label: `${corpus}/${source}`,
        sourceDir,
        ...(clean ? { loaded: loaded as LoadResult & { ir: ImageIR } } : {}),
      };
    }
  }
}

interface Cell {
  pairs: number;
  ok: number;
  rereadErrors: number;
  crashes: number;
  claimedLost: number;
  namesLost: number;
  schemaInvalid: number;
  /** reported losses checked against the re-read output, and those it held after all */
  lossesChecked: number;
  falseLosses: number;
}

export function runCorpusMatrix(corpus: keyof typeof CORPORA): void {
  const readerOf = CORPORA[corpus]!;
  const cells = new Map<string, Cell>();
  const sources = new Map<
    string,
    { files: number; read: number; unreadable: number; skipped: number; crashes: number }
  >();
  const examples: string[] = [];

  function cell(source: string, target: string): Cell {
    const key = `${source} → ${target}`;
    let c = cells.get(key);
    if (!c) {
      c = {
        pairs: 0,
        ok: 0,
        rereadErrors: 0,
        crashes: 0,
        claimedLost: 0,
        namesLost: 0,
        schemaInvalid: 0,
        lossesChecked: 0,
        falseLosses: 0,
      };
      cells.set(key, c);
    }
    return c;
  }

  function note(line: string) {
    examples.push(line);
  }

  describe(`translation matrix over the ${corpus} corpus`, () => {
    afterAll(() => {
      const rows = [...cells.entries()].map(([pair, c]) => ({ pair, ...c }));
      const total = rows.reduce(
        (acc, r) => ({ pairs: acc.pairs + r.pairs, ok: acc.ok + r.ok, crashes: acc.crashes + r.crashes }),
        { pairs: 0, ok: 0, crashes: 0 },
      );
      console.log(`translation matrix (${corpus} corpus): source files`);
      for (const [f, s] of sources)
        console.log(
          `  ${f}: ${s.files} files, ${s.read} read, ${s.unreadable} with read errors, ${s.skipped} not definitions, ${s.crashes} read crashes`,
        );
      console.log(
        'pair                              pairs     ok  reread-err  crash  claimed-lost  names-lost  losses-checked  false-losses  kiwi-rng-invalid',
      );
      for (const r of rows) {
        console.log(
          `${r.pair.padEnd(32)} ${String(r.pairs).padStart(6)} ${String(r.ok).padStart(6)} ${String(r.rereadErrors).padStart(11)} ${String(r.crashes).padStart(6)} ${String(r.claimedLost).padStart(13)} ${String(r.namesLost).padStart(11)} ${String(r.lossesChecked).padStart(15)} ${String(r.falseLosses).padStart(13)} ${r.pair.endsWith('→ kiwi') ? String(r.schemaInvalid).padStart(17) : ''}`,
        );
      }
      const pct = total.pairs ? ((100 * total.ok) / total.pairs).toFixed(2) : 'n/a';
      console.log(`total: ${total.pairs} pairs, ${total.ok} re-read ok (${pct} %), ${total.crashes} crashes`);
      if (examples.length) console.log(`examples:\n  ${examples.slice(0, 60).join('\n  ')}`);
      const report = join(tmpdir(), `imgc-translate-matrix-${corpus}.json`);
      writeFileSync(
        report,
        JSON.stringify(
          { corpus, sources: Object.fromEntries(sources), cells: Object.fromEntries(cells), notes: examples },
          null,
          2,
        ),
      );
      console.log(`full report: ${report}`);
    });

    {
      const dir = corpusDir(corpus);
      if (!dir) {
        console.warn(corpusMissingMessage(corpus));
        it.skip(`${corpus}: corpus absent`, () => {});
        return;
      }
      it(`${corpus} corpus → every target`, { timeout: 1_800_000 }, async () => {
        const stats = { files: 0, read: 0, unreadable: 0, skipped: 0, crashes: 0 };
        sources.set(corpus, stats);
        const rows = readManifest(corpus).slice(0, limit);
        for (const row of rows) {
          const readerId = readerOf(row);
          const path = rowPath(dir, row);
          stats.files++;
          const source = readerId ? registry.get(readerId) : undefined;
          if (!readerId || !path || !source?.reader) {
            stats.skipped++;
            continue;
          }
          let loaded: Awaited<ReturnType<typeof loadDefinition>>;
          try {
            const options = readOptionsOf(corpus, dir);
            loaded = await loadDefinition(registry, path, {
              from: readerId,
              ...(options ? { options } : {}),
            });
          } catch (e) {
            stats.crashes++;
            note(`READ CRASH ${readerId} ${path}: ${String(e)}`);
            continue;
          }
          if (!loaded.ir || loaded.diagnostics.some((d) => d.severity === 'error')) {
            stats.unreadable++;
            continue;
          }
          stats.read++;
          const sourceDir = statSync(path).isDirectory() ? path : dirname(path);
          for (const target of writers) {
            const c = cell(readerId, target.id);
            c.pairs++;
            const result = await translatePair(registry, loaded, sourceDir, target);
            const rel = path.slice(dir.length + 1);
            if (result.schemaError) {
              c.schemaInvalid++;
              note(`RNG ${readerId} → kiwi ${rel}: ${result.schemaError.slice(0, 200)}`);
            }
            if (result.status === 'crash') {
              c.crashes++;
              note(`CRASH ${readerId} → ${target.id} ${rel}: ${result.detail}`);
            } else if (result.status === 'reread-errors') {
              c.rereadErrors++;
              note(`REREAD ${readerId} → ${target.id} ${rel}: ${result.detail?.slice(0, 200)}`);
            } else {
              c.ok++;
              if (result.lostClaimed.length) {
                c.claimedLost++;
                note(`CLAIMED ${readerId} → ${target.id} ${rel}: ${result.lostClaimed[0]?.slice(0, 200)}`);
              }
              c.lossesChecked += result.lossCheck?.checked ?? 0;
              c.falseLosses += result.lossCheck?.falseLosses.length ?? 0;
              for (const f of result.lossCheck?.falseLosses.slice(0, 2) ?? [])
                note(`FALSE LOSS ${readerId} → ${target.id} ${rel}: ${f}`);
              if (result.namesLost.length) {
                c.namesLost++;
                note(`NAMES ${readerId} → ${target.id} ${rel}: ${result.namesLost.slice(0, 3).join(', ')}`);
              }
            }
          }
        }
        const crashes = [...cells.values()].reduce((n, c) => n + c.crashes, 0);
        expect(stats.crashes + crashes, 'no read or translation crashes').toBe(0);
      });
    }

    it(`no false loss: nothing reported lost in the ${corpus} pairs comes back from the written files`, () => {
      const all = [...cells.values()];
      const checked = all.reduce((n, c) => n + c.lossesChecked, 0);
      const falseLosses = all.reduce((n, c) => n + c.falseLosses, 0);
      console.log(
        `${corpus}: ${checked} reported losses checked against the written files, ${falseLosses} false`,
      );
      expect(falseLosses).toBe(0);
    });

    it(`≥ 98 % of the ${corpus} pairs re-read without errors`, () => {
      const all = [...cells.values()];
      const pairs = all.reduce((n, c) => n + c.pairs, 0);
      const ok = all.reduce((n, c) => n + c.ok, 0);
      if (pairs === 0) return;
      expect(ok / pairs).toBeGreaterThanOrEqual(0.98);
    });
  });
}
