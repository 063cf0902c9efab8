/**
 * Keys from a definition that name Object's own members must not find them in a lookup table.
 * Each case below crashed a reader or made an invalid IR before (fuzz, issue 14).
 */
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { lookupTable } from '../../src/lib/lookup-table.js';
import { scratchTree } from '../input/scratch.js';

const BUG_CODES = ['IMGC1006', 'IMGC1009'];
const registry = new FormatRegistry();

describe('lookupTable', () => {
  it('has its entries and nothing inherited', () => {
    const table = lookupTable({ a: 1 } as Record<string, number>);
    expect(table.a).toBe(1);
    for (const key of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'])
      expect(table[key]).toBeUndefined();
    expect(Object.keys(table)).toEqual(['a']);
  });
});

const CASES: Record<string, [from: string, main: string, files: Record<string, string>]> = {
  'a kickstart command named constructor': ['kickstart', 'ks.cfg', { 'ks.cfg': 'constructor\n' }],
  'a Containerfile LABEL valueOf': [
    'containerfile',
    'Containerfile',
    { Containerfile: 'FROM quay.io/fedora/fedora-bootc:41\nLABEL valueOf=x\n' },
  ],
  'an mkosi key toString=': [
    'mkosi',
    '.',
    { 'mkosi.conf': '[Distribution]\nDistribution=fedora\n[Content]\ntoString=1\n' },
  ],
};

describe('readers given member names of Object as keys', () => {
  for (const [name, [from, main, files]] of Object.entries(CASES)) {
    it(`${name}: a diagnostic about the input, not an internal error`, async () => {
      const dir = scratchTree(files);
      const r = await loadDefinition(registry, `${dir}/${main}`, { from });
      expect(r.diagnostics.filter((d) => BUG_CODES.includes(d.code))).toEqual([]);
    });
  }
});
