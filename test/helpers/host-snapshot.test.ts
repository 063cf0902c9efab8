import {
  chmodSync,
  lutimesSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changes, snapshot } from './host-snapshot.js';

describe('host snapshots', () => {
  it('notice every lasting change and skip what they are told to', () => {
    const root = mkdtempSync(join(tmpdir(), 'imgc-snap-'));
    for (const d of ['a', 'skipped', 'gone']) mkdirSync(join(root, d));
    writeFileSync(join(root, 'a/same'), 'same');
    writeFileSync(join(root, 'a/content'), 'one');
    writeFileSync(join(root, 'a/mode'), 'm');
    writeFileSync(join(root, 'gone/file'), 'g');
    symlinkSync('/etc', join(root, 'a/link'));
    const skip = (p: string) => p === join(root, 'skipped');
    const before = snapshot([root], skip);

    writeFileSync(join(root, 'a/content'), 'two'); // same size, new hash
    utimesSync(join(root, 'a/content'), new Date(0), new Date(0));
    chmodSync(join(root, 'a/mode'), 0o600);
    unlinkSync(join(root, 'a/link'));
    symlinkSync('/run', join(root, 'a/link'));
    lutimesSync(join(root, 'a/link'), new Date(0), new Date(0));
    rmSync(join(root, 'gone'), { recursive: true });
    writeFileSync(join(root, 'a/new'), 'n');
    writeFileSync(join(root, 'skipped/anything'), 'x');
    writeFileSync(join(root, 'a/temp'), 't'); // created and removed: only the folder's mtime moved
    unlinkSync(join(root, 'a/temp'));

    const found = changes(before, snapshot([root], skip)).map((c) =>
      `${c.kind} ${c.path.slice(root.length)} ${c.what ?? ''}`.trim(),
    );
    expect(found).toEqual([
      'changed /a/content mtimeMs,content',
      'changed /a/link mtimeMs,content',
      'changed /a/mode mode',
      'added /a/new',
      'removed /gone',
      'removed /gone/file',
    ]);
  });
});
