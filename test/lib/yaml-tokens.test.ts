/** The YAML token bound checked before a document model is built (issue 14's 1.2 GB input). */
import { describe, expect, it } from 'vitest';
import { MAX_YAML_TOKENS, offsetPastTokenLimit } from '../../src/lib/yaml-tokens.js';

describe('offsetPastTokenLimit', () => {
  it('is undefined for a document within the limit', () => {
    expect(offsetPastTokenLimit('a: [1, 2]\nb: c\n', 100)).toBeUndefined();
  });

  it('gives the offset of the first token past the limit, counting only source text', () => {
    // the first 'le: []\n' lexes as 8 tokens (2 zero-width markers: document, scalar), the rest as 7
    const text = 'le: []\n'.repeat(10);
    const offset = offsetPastTokenLimit(text, 20)!;
    expect(text.slice(0, offset)).toBe('le: []\nle: []\nle: [');
  });

  it('stops at the limit, so a huge document costs no more than the limit', () => {
    const text = 'le: []\n'.repeat(2_000_000); // 14 MB, 14 million tokens
    const offset = offsetPastTokenLimit(text)!;
    expect(offset).toBeLessThan(MAX_YAML_TOKENS * 2);
    expect(offset).toBeGreaterThan(0);
  });
});
