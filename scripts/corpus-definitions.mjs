// The corpus definitions that translation checks and benches run over: every manifest row of
// the five corpora imgc reads (886 today). KIWI include fragments are kept: they fail to
// translate on their own, and are counted as failures, not dropped; so is a row whose file is missing.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const sharedDir = process.env.IMGC_SHARED ?? resolve(import.meta.dirname, '../../shared');

const CORPORA = {
  kiwi: () => true,
  mkosi: () => true,
  kickstart: () => true,
  blueprint: () => true,
  bootc: () => true,
};

export function corpusDefinitions() {
  const out = [];
  for (const [corpus, keep] of Object.entries(CORPORA)) {
    const dir = join(sharedDir, 'corpus', corpus);
    const manifest = join(dir, 'MANIFEST.tsv');
    if (!existsSync(manifest)) throw new Error(`no corpus at ${manifest} (set IMGC_SHARED)`);
    const [header, ...lines] = readFileSync(manifest, 'utf8').split('\n').filter(Boolean);
    const cols = header.split('\t');
    for (const line of lines) {
      const row = Object.fromEntries(line.split('\t').map((v, i) => [cols[i] ?? `col${i}`, v]));
      if (!keep(row)) continue;
      const candidates = [
        row.staged_path,
        row.path,
        row.repo && row.path ? `${row.repo.replace('/', '+')}/${row.path}` : undefined,
      ];
      const found = candidates.find((c) => c && existsSync(join(dir, c)));
      out.push(join(dir, found ?? row.path ?? row.staged_path ?? ''));
    }
  }
  return out;
}
