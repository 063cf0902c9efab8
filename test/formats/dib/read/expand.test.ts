/**
 * Element expansion (fuzz seed 9401, input 1123): an element-provides of 35,663 lines of one
 * name copied the growing list of providers into a conflict per line, out of memory at 4 GB.
 * dib reads the file into a set; a repeated name is one name, not a conflict with itself.
 */
import { describe, expect, it } from 'vitest';
import { type ElementRef, expandElements } from '../../../../src/formats/dib/read/expand.js';

const at = { file: 'element-provides', line: 1, column: 1 };
const element = (name: string, provides: string[] = [], depends: string[] = []): ElementRef => ({
  name,
  dir: `/elements/${name}`,
  provides: provides.map((p, i) => ({ name: p, at: { ...at, line: i + 1 } })),
  depends: depends.map((d, i) => ({ name: d, at: { ...at, file: 'element-deps', line: i + 1 } })),
});
const known = (...elements: ElementRef[]) => new Map(elements.map((e) => [e.name, e]));

describe('expandElements', () => {
  it('reads a name an element provides many times once, with no conflict', () => {
    const r = expandElements(['a'], known(element('a', Array(3000).fill('block-device'))));
    expect(r.conflicts).toEqual([]);
    expect(r.provided.get('block-device')).toEqual(['a']);
  });

  it('still reports a name two elements provide, at the second one', () => {
    const r = expandElements(['a', 'b'], known(element('a', ['x', 'x']), element('b', ['x'])));
    expect(r.conflicts).toEqual([{ what: 'x', by: ['a', 'b'], at }]);
  });

  it('lists each missing element once, with the line that first asked for it', () => {
    const deps = [...Array.from({ length: 5000 }, (_, i) => `m${i}`), 'm0'];
    const r = expandElements(['a'], known(element('a', [], deps)));
    expect(r.missing).toHaveLength(5000);
    expect(r.missing[0]).toEqual({ name: 'm0', at: { ...at, file: 'element-deps', line: 1 } });
    expect(r.elements.map((e) => e.name)).toEqual(['a']);
  });
});
