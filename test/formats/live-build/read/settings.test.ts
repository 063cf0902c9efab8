/**
 * The `lb config` call of auto/config is the first one outside a comment. Fuzz seed 9302, input
 * 910697: one comment line of 100,000 `lb config` mentions (1.1 MB) was scanned back to its start
 * per mention, 35–44 s of CPU; a commented line is now passed once. The bound is generous: the
 * quadratic scan needs minutes on this input.
 */
import { describe, expect, it } from 'vitest';
import { autoConfigSettings } from '../../../../src/formats/live-build/read/settings.js';

describe('the lb config call of auto/config', () => {
  it('skips calls in comments, also after a call on the same comment line', () => {
    const text = '#!/bin/sh\n# run lb config, then lb config\nlb config --distribution bookworm "${@}"\n';
    const r = autoConfigSettings(text, 'auto/config');
    expect(r).toMatchObject({ ok: true, from: 'auto' });
    expect(r.ok && r.settings.map((s) => [s.name, s.value, s.at.line])).toEqual([
      ['distribution', 'bookworm', 3],
    ]);
  });

  it('finds a call that follows a command on the same line', () => {
    const r = autoConfigSettings('set -e; lb config --mode debian\n', 'auto/config');
    expect(r.ok && r.settings.map((s) => s.name)).toEqual(['mode']);
  });

  it('passes a comment line of 200,000 mentions in linear time', () => {
    const text = `#!/bin/sh\n# Run: ${'lb config, '.repeat(200_000)}\nlb config --mode debian\n`;
    const started = performance.now();
    const r = autoConfigSettings(text, 'auto/config');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(r.ok && r.settings.map((s) => [s.name, s.at.line])).toEqual([['mode', 3]]);
  });
});
