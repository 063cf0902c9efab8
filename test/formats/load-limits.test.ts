import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { MAX_DIAGNOSTICS } from '../../src/input/bounded.js';
import { scratchTree } from '../input/scratch.js';

describe('diagnostic floods', () => {
  it('a definition with 5,000 syntax errors shows the first 1,000 and counts the rest (IMGC1054)', async () => {
    const dir = scratchTree({ 'mkosi.conf': `[Distribution]\n${'not a setting line\n'.repeat(5000)}` });
    const r = await loadDefinition(new FormatRegistry(), dir, { from: 'mkosi' });
    expect(r.diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(r.diagnostics.at(-1)).toMatchObject({ code: 'IMGC1054', severity: 'info' });
    expect(r.diagnostics.at(-1)!.message).toMatch(
      /^4000 more diagnostic\(s\) not shown \(4000 of them errors\)/,
    );
  });
});
