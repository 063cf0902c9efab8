import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/diagnostics/line-index.js';
import { uncoveredPointers } from '../../src/ir/losses.js';
import {
  escapeToken,
  getAt,
  leaves,
  matchesPattern,
  parsePointer,
  pointer,
  reachesTokens,
} from '../../src/ir/pointer.js';
import { positionOf } from '../../src/ir/positions.js';

describe('JSON pointers', () => {
  it('escape and parse any token', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (tokens) => {
        expect(parsePointer(pointer(...tokens))).toEqual(tokens);
      }),
    );
  });

  it('reads values by pointer', () => {
    expect(getAt({ a: [{ 'b/c': 1 }] }, `/a/0/${escapeToken('b/c')}`)).toBe(1);
    expect(getAt({ a: 1 }, '/missing/deeper')).toBeUndefined();
  });

  it('matches patterns with * and **', () => {
    expect(matchesPattern('/packages/install/3/name', '/packages/install/*/name')).toBe(true);
    expect(matchesPattern('/packages/install/3/version', '/packages/install/*/name')).toBe(false);
    expect(matchesPattern('/extensions/kiwi/a/b/c', '/extensions/kiwi/**')).toBe(true);
    expect(matchesPattern('/extensions/mkosi/a', '/extensions/kiwi/**')).toBe(false);
  });

  it('lists leaves in document order', () => {
    expect([...leaves({ a: [1, { b: 'x' }], c: [] })]).toEqual([
      ['/a/0', 1],
      ['/a/1/b', 'x'],
    ]);
  });
});

describe('uncoveredPointers', () => {
  it('reports each uncovered leaf, an unreachable object once at its root, and list items one by one', () => {
    const value = {
      system: { hostname: 'h', timezone: 'UTC' },
      storage: { partitions: [{ mountpoint: '/' }] },
      outputs: [{ type: 'iso' }, { type: 'tar' }],
      empty: [],
    };
    expect(uncoveredPointers(value, ['/system/hostname'])).toEqual([
      '/system/timezone',
      '/storage',
      '/outputs/0',
      '/outputs/1',
    ]);
  });

  it('reports nothing when everything is covered', () => {
    expect(uncoveredPointers({ a: { b: [1, 2] } }, ['/a/**'])).toEqual([]);
  });

  it('a trailing ** covers only what is below its prefix; a ** inside a pattern still checks the leaves', () => {
    const value = { a: { b: [1, { c: 2, d: 3 }], e: 'x' }, f: { c: 4, g: 5 } };
    expect(uncoveredPointers(value, ['/a/b/**'])).toEqual(['/a/e', '/f']);
    expect(uncoveredPointers(value, ['/*/**'])).toEqual([]);
    expect(uncoveredPointers(value, ['/**/c'])).toEqual(['/a/b/0', '/a/b/1/d', '/a/e', '/f/g']);
    expect(uncoveredPointers(value, ['/a/**/d', '/f/**'])).toEqual(['/a/b/0', '/a/b/1/c', '/a/e']);
  });
});

describe('positions', () => {
  it('turns offsets into 1-based lines and columns', () => {
    const index = new LineIndex('ab\ncd\r\nef');
    expect(index.position(0)).toEqual({ line: 1, column: 1 });
    expect(index.position(4)).toEqual({ line: 2, column: 2 });
    expect(index.lineText(2)).toBe('cd');
    expect(index.position(7)).toEqual({ line: 3, column: 1 });
  });

  it('falls back to the nearest ancestor that has a position', () => {
    const table = { '/accounts/users/0': { file: 'f', line: 4, column: 1 } };
    expect(positionOf(table, '/accounts/users/0/password/hash')?.line).toBe(4);
    expect(positionOf(table, '/system/hostname')).toBeUndefined();
  });
});

describe('reachesTokens', () => {
  const reach = (ptr: string, pattern: string) => reachesTokens(parsePointer(ptr), parsePointer(pattern));
  it('is true for a pointer on the way to what the pattern matches', () => {
    expect(reach('/accounts', '/accounts/users/*/name')).toBe(true);
    expect(reach('/accounts/users/3', '/accounts/users/*/name')).toBe(true);
    expect(reach('/extensions/kiwi/a/b', '/extensions/kiwi/**')).toBe(true);
  });
  it('is false off the pattern or below its end', () => {
    expect(reach('/accounts/groups', '/accounts/users/*/name')).toBe(false);
    expect(reach('/accounts/users/3/name/x', '/accounts/users/*/name')).toBe(false);
  });
});
