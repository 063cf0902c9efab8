/**
 * The directory store: content-addressed blobs, one record per job whichever attempt finishes
 * first, and the uploads of a dead process reaped.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryStore } from '../../src/fleet/store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'imgc-store-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return { name, path };
};
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('DirectoryStore', () => {
  it('stores each file under its sha256 and records the job once', async () => {
    const store = new DirectoryStore(join(dir, 'store'));
    const record = await store.put('img-1', [file('a.tar', 'tar bytes'), file('a.lock', '{}\n')]);
    expect(record.files).toEqual([
      { name: 'a.tar', sha256: sha('tar bytes'), sizeBytes: 9 },
      { name: 'a.lock', sha256: sha('{}\n'), sizeBytes: 3 },
    ]);
    expect(readFileSync(store.pathOf(record.files[0]!), 'utf8')).toBe('tar bytes');
    expect(await store.record('img-1')).toEqual(record);
    expect(readdirSync(join(dir, 'store', 'tmp'))).toEqual([]);
  });

  it('gives a retried or concurrent attempt the first record, never a second version', async () => {
    const store = new DirectoryStore(join(dir, 'store'));
    const [one, two] = await Promise.all([
      store.put('img-2', [file('x1.tar', 'first attempt')]),
      store.put('img-2', [file('x2.tar', 'second attempt')]),
    ]);
    expect(two).toEqual(one);
    const later = await store.put('img-2', [file('x3.tar', 'third attempt')]);
    expect(later).toEqual(one);
    expect(readdirSync(join(dir, 'store', 'jobs'))).toEqual(['img-2.json']);
  });

  it('keeps identical outputs of different jobs once', async () => {
    const store = new DirectoryStore(join(dir, 'store'));
    await store.put('img-3', [file('a.tar', 'same')]);
    await store.put('img-4', [file('b.tar', 'same')]);
    expect(readdirSync(join(dir, 'store', 'blobs', 'sha256'))).toEqual([sha('same')]);
  });

  it('reaps uploads of dead processes of this host, not of live ones or other hosts', async () => {
    const store = new DirectoryStore(join(dir, 'store'));
    const tmp = join(dir, 'store', 'tmp');
    mkdirSync(tmp, { recursive: true });
    const dead = `${hostname()}-999999999-1-abcd`;
    const live = `${hostname()}-${process.pid}-1-abcd`;
    const other = 'other-host-1234-1-abcd';
    for (const n of [dead, live, other]) writeFileSync(join(tmp, n), 'partial');
    expect(await store.reapPartial()).toEqual([dead]);
    expect(readdirSync(tmp).sort()).toEqual([live, other].sort());
  });
});
