import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { scratchTree } from '../../../input/scratch.js';

const registry = new FormatRegistry();

describe('mkosi Include= limits (issue 14)', () => {
  it('Include=/dev/zero is IMGC1050 at the Include= line (it read 5-7 GB)', async () => {
    const dir = scratchTree({
      'mkosi.conf': '[Distribution]\nDistribution=debian\n\n[Include]\nInclude=/dev/zero\n',
    });
    const r = await loadDefinition(registry, dir, { from: 'mkosi' });
    const refused = r.diagnostics.filter((d) => d.code === 'IMGC1050');
    expect(refused).toEqual([expect.objectContaining({ file: join(dir, 'mkosi.conf'), line: 5 })]);
  });

  it('Include= of a FIFO is refused at once', async () => {
    const dir = scratchTree({ 'mkosi.conf': '[Include]\nInclude=pipe\n' });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const r = await loadDefinition(registry, dir, { from: 'mkosi' });
    expect(r.diagnostics.map((d) => d.code)).toContain('IMGC1050');
  });

  it('a FIFO drop-in in mkosi.conf.d is refused, not waited on', async () => {
    const dir = scratchTree({
      'mkosi.conf': '[Distribution]\nDistribution=debian\n',
      'mkosi.conf.d/.keep': '',
    });
    execFileSync('mkfifo', [join(dir, 'mkosi.conf.d/10-pipe.conf')]);
    const r = await loadDefinition(registry, dir, { from: 'mkosi' });
    expect(r.diagnostics.map((d) => d.code)).toContain('IMGC1050');
  });
});
