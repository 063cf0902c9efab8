import { describe, expect, it } from 'vitest';
import { evaluate, parseCondition } from '../../../../src/formats/treefile/read/condition.js';

const vars = new Map<string, { value: string | number | boolean }>([
  ['releasever', { value: 41 }],
  ['stream', { value: 'stable' }],
  ['prod', { value: false }],
]);
const holds = (text: string) => {
  const c = parseCondition(text);
  if (typeof c === 'string') return c;
  return evaluate(c, vars);
};

describe('conditional-include conditions', () => {
  it('compares numbers, strings and booleans', () => {
    expect(holds('releasever >= 41')).toBe(true);
    expect(holds('releasever < 41')).toBe(false);
    expect(holds('stream == "stable"')).toBe(true);
    expect(holds('stream != "stable"')).toBe(false);
    expect(holds('prod == false')).toBe(true);
  });

  it('says why a condition cannot be evaluated', () => {
    expect(holds('missing == 1')).toMatch(/not defined/);
    expect(holds('stream == 1')).toMatch(/string, compared with a number/);
    expect(holds('stream == stable')).toMatch(/not a boolean, a number or a quoted string/);
    expect(holds('just words')).toMatch(/expected/);
  });
});
