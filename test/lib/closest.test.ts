import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/lib/closest.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('closest', () => {
  const names = ['packages', 'groups', 'customizations'];

  it('suggests a near name, ignoring case', () => {
    expect(closest('Pakages', names)).toBe('packages');
  });

  it('suggests nothing past a third of the word', () => {
    expect(closest('pkgs', names)).toBeUndefined();
  });

  it('takes a fixed reach when the caller gives one', () => {
    expect(closest('grps', names, () => 2)).toBe('groups');
    expect(closest('grps', names, () => 1)).toBeUndefined();
  });
});
