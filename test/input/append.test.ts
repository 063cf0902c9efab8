/** Appending to IR lists in place: linear where a copy per line was quadratic (issue 14). */
import { describe, expect, it } from 'vitest';
import { appendAll, appendToField } from '../../src/input/append.js';

describe('appendToField', () => {
  it('creates the list when absent and appends to the same list after', () => {
    const repo: { gpgKeys?: string[] } = {};
    const first = appendToField(repo, 'gpgKeys', ['a']);
    appendToField(repo, 'gpgKeys', ['b', 'c']);
    expect(repo.gpgKeys).toBe(first);
    expect(repo.gpgKeys).toEqual(['a', 'b', 'c']);
  });

  it('touches each item once: n appends of one item push n times', () => {
    const owner: { list?: number[] } = {};
    let pushes = 0;
    const counted = new Proxy([] as number[], {
      set(target, prop, value) {
        if (prop !== 'length') pushes++;
        return Reflect.set(target, prop, value);
      },
    });
    owner.list = counted;
    for (let i = 0; i < 10_000; i++) appendToField(owner, 'list', [i]);
    expect(pushes).toBe(10_000);
    expect(owner.list).toHaveLength(10_000);
  });
});

describe('appendAll', () => {
  it('takes more items than a spread call could', () => {
    expect(appendAll([0], new Array(300_000).fill(1))).toHaveLength(300_001);
  });
});
