/** Where `../shared` (reference material and the real-world corpus) lives, and how to read its manifests. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const sharedDir = process.env.IMGC_SHARED ?? resolve(repoRoot, '../shared');

export function corpusDir(format: string): string | undefined {
  const dir = join(sharedDir, 'corpus', format);
  return existsSync(join(dir, 'MANIFEST.tsv')) ? dir : undefined;
}

/** MANIFEST.tsv rows as objects keyed by the header line's column names. */
export function readManifest(format: string): Record<string, string>[] {
  const dir = corpusDir(format);
  if (!dir) return [];
  const [header, ...lines] = readFileSync(join(dir, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const cols = header!.split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((v, i) => [cols[i] ?? `col${i}`, v])));
}

/** A visible note that a corpus test did not run, instead of a silent pass. */
export function corpusMissingMessage(format: string): string {
  return `SKIPPED: corpus for ${format} not found under ${join(sharedDir, 'corpus')} (set IMGC_SHARED to point at shared/)`;
}

/** Where the fixture cases of a format live: `test/formats/<id>/fixtures/` (blueprint-json beside blueprint's). */
export function fixturesDirOf(formatId: string): string {
  if (formatId === 'blueprint-json') return resolve(repoRoot, 'test/formats/blueprint/fixtures-json');
  return resolve(repoRoot, 'test/formats', formatId, 'fixtures');
}
