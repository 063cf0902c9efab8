/** The .repo keys both readers share: each sets its field, and an unknown key is left to the caller. */
import { describe, expect, it } from 'vitest';
import { applyPlainRepoKey } from '../../../src/formats/shared/dnf-repo-keys.js';
import type { Repository } from '../../../src/ir/schema.js';

const yes = (v: string) => v === '1';
const fresh = (): Repository => ({ id: 'r', type: 'rpm-md', urls: [] });

describe('applyPlainRepoKey', () => {
  it('sets the field and appends to lists', () => {
    const r = fresh();
    expect(applyPlainRepoKey(r, 'gpgcheck', '1', yes)).toBe(true);
    expect(applyPlainRepoKey(r, 'enabled', 'on', yes)).toBe(true);
    expect(applyPlainRepoKey(r, 'exclude', 'a, b', yes)).toBe(true);
    expect(applyPlainRepoKey(r, 'excludepkgs', 'c', yes)).toBe(true);
    expect(r).toMatchObject({ gpgCheck: true, enabled: false, excludePackages: ['a', 'b', 'c'] });
  });

  it('leaves keys with their own rules to the reader', () => {
    const r = fresh();
    for (const key of ['name', 'baseurl', 'priority', 'proxy', 'skip_if_unavailable'])
      expect(applyPlainRepoKey(r, key, 'x', yes)).toBe(false);
    expect(r).toEqual(fresh());
  });
});
