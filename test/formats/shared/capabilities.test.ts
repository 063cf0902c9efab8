/** The shared capability rows: how they are spelled, and that no writer lists a row twice by also keeping its own copy. */
import { describe, expect, it } from 'vitest';
import { MKOSI14_CAPABILITIES } from '../../../src/formats/mkosi/write/v14.js';
import { FormatRegistry } from '../../../src/formats/registry.js';
import {
  REPO_FILE_ROWS,
  REPOSITORY_SOURCE_ROWS,
  rowsUnder,
} from '../../../src/formats/shared/capabilities.js';

describe('shared capability rows', () => {
  it('puts each field under the prefix', () => {
    expect(rowsUnder('/files/*', ['path', 'mode'])).toEqual(['/files/*/path', '/files/*/mode']);
  });

  it('a .repo section carries every source row', () => {
    for (const row of REPOSITORY_SOURCE_ROWS) expect(REPO_FILE_ROWS).toContain(row);
  });

  const tables = new FormatRegistry()
    .list()
    .filter((f) => f.writer)
    .map((f) => [f.id, f.writer!.capabilities] as const);
  it.each([...tables, ['mkosi 14', MKOSI14_CAPABILITIES] as const])('%s lists no row twice', (_id, table) => {
    const seen = new Set<string>();
    const twice = table.filter((row) => seen.has(row) || !seen.add(row));
    expect(twice).toEqual([]);
  });
});
