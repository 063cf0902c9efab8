#!/usr/bin/env node
// Translates every corpus main definition (../shared/corpus/<format>/MANIFEST.tsv) to one target
// with the bundled CLI (dist/cli/imgc.mjs, `npm run build`), in one process, as a user runs
// `imgc translate FILE --from F --to TARGET -o DIR`. Writes OUT/results.json: one row per
// definition with its exit code (0 written; 1 refused, mostly sources that do not read; 2 crash).
//   node bench/acceptance/translate-corpus.mjs TARGET OUT [extra translate flags...]
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [, , target, outRoot, ...extra] = process.argv;
if (!target || !outRoot) {
  console.error('usage: translate-corpus.mjs TARGET OUT [flags...]');
  process.exit(2);
}
const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { main } = await import(join(repo, 'dist/cli/imgc.mjs'));
const corpus = process.env.IMGC_CORPUS ?? join(repo, '../shared/corpus');
const readers = {
  kiwi: (row) => (/include-fragment/.test(row.notes ?? '') ? undefined : 'kiwi'),
  mkosi: () => 'mkosi',
  kickstart: () => 'kickstart',
  blueprint: (row) => (row.path?.endsWith('.json') ? 'blueprint-json' : 'blueprint'),
  bootc: () => 'containerfile',
};

function manifestRows(dir) {
  const [header, ...lines] = readFileSync(join(dir, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const cols = header.split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((v, j) => [cols[j], v])));
}

function sourceOf(dir, row) {
  const candidates = [
    row.staged_path,
    row.path,
    row.repo && row.path && `${row.repo.replace('/', '+')}/${row.path}`,
  ];
  return candidates.map((c) => c && join(dir, c)).find((p) => p && existsSync(p));
}

rmSync(outRoot, { recursive: true, force: true });
const results = [];
for (const [format, readerOf] of Object.entries(readers)) {
  const dir = join(corpus, format);
  if (!existsSync(dir)) continue;
  for (const [i, row] of manifestRows(dir).entries()) {
    const from = readerOf(row);
    const file = from && sourceOf(dir, row);
    if (!file) continue;
    const out = join(outRoot, `${format}-${i}`);
    let stderr = '';
    const io = { stdout: () => {}, stderr: (t) => (stderr += t), isTTY: false };
    const argv = ['node', 'imgc', 'translate', file, '--from', from, '--to', target, '-o', out, ...extra];
    const code = await main(argv, io);
    const firstError = stderr.split('\n').find((l) => /error/i.test(l));
    results.push({ corpus: format, file, out, code, ...(code === 0 ? {} : { error: firstError }) });
  }
}
writeFileSync(join(outRoot, 'results.json'), JSON.stringify(results, null, 1));
const count = (c) => results.filter((r) => r.code === c).length;
console.log(`translated ${results.length}: written ${count(0)}, refused ${count(1)}, crashed ${count(2)}`);
