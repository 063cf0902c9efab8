import { describe, expect, it } from 'vitest';
import { MAX_NESTING } from '../../src/input/bounded.js';
import { findTooDeep, valueDepthExceeds } from '../../src/input/nesting.js';

describe('findTooDeep', () => {
  it('finds where JSON passes the limit, and passes real-sized documents', () => {
    expect(findTooDeep(`{"a":${'['.repeat(2000)}${']'.repeat(2000)}}`, 'json')).toMatchObject({ line: 1 });
    expect(findTooDeep(`{"a":${'['.repeat(100)}${']'.repeat(100)}}`, 'json')).toBeUndefined();
  });

  it('ignores brackets inside strings', () => {
    expect(findTooDeep(JSON.stringify({ a: '['.repeat(5000) }), 'json')).toBeUndefined();
    expect(findTooDeep(`a = '${'['.repeat(5000)}'\n`, 'toml')).toBeUndefined();
  });

  it('counts the parts of a TOML table header (3,000 parts crashed inspect --json)', () => {
    const at = findTooDeep(`name = "x"\n[${Array(3000).fill('a').join('.')}]\nb = 1\n`, 'toml');
    expect(at?.line).toBe(2);
    expect(findTooDeep('[customizations.kernel]\nappend = "x.y"\n', 'toml')).toBeUndefined();
  });

  it('counts YAML indentation and flow brackets', () => {
    expect(findTooDeep(`x: ${'['.repeat(2000)}`, 'yaml')).toBeDefined();
    const deep = Array.from({ length: 600 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n');
    expect(findTooDeep(deep, 'yaml')).toBeDefined();
    expect(findTooDeep("a: it's [fine]\n", 'yaml')).toBeUndefined();
  });
});

describe('valueDepthExceeds', () => {
  it('measures without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(valueDepthExceeds(deep)).toBe(true);
    let ok: unknown = 1;
    for (let i = 0; i < MAX_NESTING - 1; i++) ok = { a: ok };
    expect(valueDepthExceeds(ok)).toBe(false);
  });
});

describe('findTooDeep on YAML maps in one line', () => {
  it('counts `a: b: c:` as nesting (the yaml parser recursed per colon: fuzz finding)', () => {
    expect(findTooDeep(`{ "@type": ${'"package": '.repeat(5000)}1 }`, 'yaml')).toBeDefined();
    expect(findTooDeep('a: "b: c"\nurl: http://x\n', 'yaml')).toBeUndefined();
  });
});
