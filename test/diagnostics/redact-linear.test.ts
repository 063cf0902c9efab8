/**
 * Redaction runs on every code frame and plan, so on whatever a definition holds. Its patterns
 * were quadratic on some text (issue 14, found by the fuzz harness): 80 KB of `a.a.a.` took 8 s
 * in the URL pattern, `password` followed by 40,000 spaces 6 s, `password` repeated 0.6 s.
 * Each case below is 400 KB; quadratic patterns take minutes on it, linear ones milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '../../src/diagnostics/redact.js';

const SIZE = 400_000;
const CASES: Record<string, string> = {
  'a dotted word (URL scheme)': 'a.'.repeat(SIZE / 2),
  'a key name and spaces': `password${' '.repeat(SIZE)}`,
  'a key name repeated in one word': 'password'.repeat(SIZE / 8),
  'a URL user without @': `http://${'u'.repeat(SIZE)}`,
  colons: 'a:'.repeat(SIZE / 2),
};

describe('redaction is linear in the text', () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(name, () => {
      const started = performance.now();
      redactSecrets(text);
      // generous for a loaded machine; the quadratic patterns took over 100 s here
      expect(performance.now() - started).toBeLessThan(3_000);
    });
  }

  it('still redacts what the quadratic patterns redacted', () => {
    expect(redactSecrets('x.git+ssh://me:hunter2@host/repo')).toBe(`x.git+ssh://me:${REDACTED}@host/repo`);
    expect(redactSecrets('9.http://me:hunter2@host')).toBe(`9.http://me:${REDACTED}@host`);
    expect(redactSecrets('db_password = "s3cret"')).toBe(`db_password = "${REDACTED}"`);
    expect(redactSecrets('passwordpassword: s3cret')).toBe(`passwordpassword: ${REDACTED}`);
    expect(redactSecrets('secret\n  hunter2')).toBe(`secret\n  ${REDACTED}`);
    expect(redactSecrets(`password${' '.repeat(10)}`)).toBe(`password${' '.repeat(10)}`);
  });
});
