/**
 * How many tree snapshots the cache keeps: `--keep-trees`, IMGC_KEEP_TREES or `keep-trees` in
 * the user config (a whole number there); anything but a whole number of at least 1 is a usage
 * error before anything is built.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readUserConfig } from '../../src/cli/user-config.js';
import { emptyIr } from '../../src/ir/empty.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'imgc-keep-trees-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--keep-trees', () => {
  it.each(['0', '-1', 'many', '2.5'])(
    'refuses %s with IMGC9040 and exit 2, building nothing',
    async (value) => {
      const def = join(dir, 'image.json');
      const ir = emptyIr();
      ir.distribution = { id: 'debian', release: '12', architecture: 'x86_64' };
      ir.outputs.push({ type: 'directory' });
      writeFileSync(def, JSON.stringify(ir));
      const out = join(dir, 'out');
      const r = await runCli([
        'build',
        def,
        '--from',
        'ir',
        '-o',
        out,
        '--cache-dir',
        join(dir, 'cache'),
        '--keep-trees',
        value,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`IMGC9040 --keep-trees ${value}: expected a whole number of at least 1`);
    },
  );

  it('takes a whole number from the user config, and says which key is wrong otherwise', () => {
    const good = join(dir, 'good.toml');
    writeFileSync(good, 'keep-trees = 12\n');
    expect(readUserConfig({ IMGC_USER_CONFIG: good }).values['keep-trees']).toBe('12');
    const bad = join(dir, 'bad.toml');
    writeFileSync(bad, 'cache-dir = "/tmp/x"\nkeep-trees = true\n');
    const read = readUserConfig({ IMGC_USER_CONFIG: bad });
    expect(read.values['keep-trees']).toBeUndefined();
    expect(read.diagnostics).toMatchObject([
      {
        code: 'IMGC1080',
        line: 2,
        column: 1,
        message: expect.stringContaining('keep-trees must be a whole number'),
      },
    ]);
  });
});
