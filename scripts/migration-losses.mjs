/**
 * Measures what the migration guides (docs/migrating/) say about losses: every definition of
 * the real-world corpus (../shared/corpus, or $IMGC_SHARED/corpus) that reads without errors is
 * translated to every writer, as the translation matrix does, and the reported losses
 * (IMGC6001), approximations (IMGC6002) and assumptions (IMGC6003) are counted per source →
 * target pair by IR field (list indices folded to `*`): in how many definitions each occurs.
 * Prints Markdown; `--json` prints the counts. It uses the built package through its library
 * API: `npm run build && node scripts/migration-losses.mjs`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** @type {typeof import('../src/index.js')} */
const imgc = await import(new URL('../dist/cli/imgc.mjs', import.meta.url).href);
const shared = process.env.IMGC_SHARED ?? new URL('../../shared', import.meta.url).pathname;

function corpusDir(format) {
  const dir = join(shared, 'corpus', format);
  return existsSync(join(dir, 'MANIFEST.tsv')) ? dir : undefined;
}

function readManifest(dir) {
  const [header, ...lines] = readFileSync(join(dir, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const cols = header.split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((v, i) => [cols[i] ?? `col${i}`, v])));
}

/** As the translation matrix: corpus folder → reader id for a manifest row. */
const CORPORA = {
  kiwi: (row) => (/include-fragment/.test(row.notes ?? '') ? undefined : 'kiwi'),
  mkosi: () => 'mkosi',
  kickstart: () => 'kickstart',
  blueprint: (row) => (row.path?.endsWith('.json') ? 'blueprint-json' : 'blueprint'),
  bootc: () => 'containerfile',
};

function rowPath(dir, row) {
  const candidates = [
    row.staged_path,
    row.path,
    row.repo && row.path ? `${row.repo.replace('/', '+')}/${row.path}` : undefined,
  ];
  for (const c of candidates) if (c && existsSync(join(dir, c))) return join(dir, c);
  return undefined;
}

/** The --distro a user passes when the source names no distribution (the matrix's choice). */
function userDistroFor(id) {
  const releases = {
    fedora: '44',
    debian: 'bookworm',
    ubuntu: 'noble',
    opensuse: '15.6',
  };
  return id ? `${id}:${releases[id] ?? 'unnamed'}` : 'fedora:44';
}

const KINDS = {
  IMGC6001: 'lost',
  IMGC6002: 'approximated',
  IMGC6003: 'assumed',
};

/** `/packages/install/3/version` → `/packages/install/*\/version`; extension data by format. */
function field(pointer) {
  const parts = pointer
    .split('/')
    .slice(1, 4)
    .map((p) => (/^\d+$/.test(p) ? '*' : p));
  return `/${parts.join('/')}`;
}

const registry = new imgc.FormatRegistry();
const writers = registry.list().filter((f) => f.writer && f.id !== 'ir' && f.id !== 'blueprint-json');
const result = {};

for (const corpus of Object.keys(CORPORA)) {
  const dir = corpusDir(corpus);
  if (!dir) continue;
  const entry = { read: 0, files: 0, pairs: {} };
  result[corpus] = entry;
  for (const row of readManifest(dir)) {
    const readerId = CORPORA[corpus](row);
    const path = rowPath(dir, row);
    if (!readerId || !path) continue;
    entry.files++;
    const loaded = await imgc.read(path, { from: readerId, registry });
    if (!loaded.ir || loaded.diagnostics.some((d) => d.severity === 'error')) continue;
    entry.read++;
    const sourceDir = statSync(path).isDirectory() ? path : dirname(path);
    const unnamed = !loaded.ir.distribution.id || !loaded.ir.distribution.release;
    for (const target of writers) {
      if (target.id === readerId || (readerId === 'blueprint-json' && target.id === 'blueprint')) continue;
      const t = await imgc.write(loaded.ir, target.id, {
        registry,
        positions: loaded.positions,
        sourceDir,
        options: unnamed ? { distro: userDistroFor(loaded.ir.distribution.id) } : {},
      });
      entry.pairs[target.id] ??= {
        definitions: 0,
        withLoss: 0,
        fields: { lost: {}, approximated: {}, assumed: {} },
      };
      const counts = entry.pairs[target.id];
      counts.definitions++;
      const seen = new Set();
      for (const d of t.diagnostics) {
        const kind = KINDS[d.code];
        if (!kind || !d.pointer) continue;
        const key = `${kind} ${field(d.pointer)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        counts.fields[kind][field(d.pointer)] = (counts.fields[kind][field(d.pointer)] ?? 0) + 1;
      }
      if ([...seen].some((k) => k.startsWith('lost '))) counts.withLoss++;
    }
  }
}

if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
else
  for (const [corpus, entry] of Object.entries(result)) {
    console.log(`\n## ${corpus}: ${entry.read} of ${entry.files} corpus definitions read without errors\n`);
    for (const [target, c] of Object.entries(entry.pairs)) {
      const top = (kind, n) =>
        Object.entries(c.fields[kind])
          .sort((a, b) => b[1] - a[1])
          .slice(0, n)
          .map(([f, k]) => `\`${f}\` ${k}`)
          .join(', ') || '—';
      console.log(
        `| → ${target} | ${c.withLoss}/${c.definitions} | ${top('lost', 6)} | ${top('approximated', 3)} | ${top('assumed', 3)} |`,
      );
    }
  }
