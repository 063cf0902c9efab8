import { describe, expect, it } from 'vitest';
import { suiteOf } from '../../../src/formats/vmdb2/vocabulary.js';

describe('suiteOf', () => {
  it('turns a numbered Debian release into the codename debootstrap takes', () => {
    expect(suiteOf('debian', '12')).toBe('bookworm');
    expect(suiteOf('debian', '8')).toBe('jessie');
    expect(suiteOf('debian', '7')).toBe('wheezy');
  });

  it('leaves codenames, unknown numbers and other distributions as they are', () => {
    expect(suiteOf('debian', 'sid')).toBe('sid');
    expect(suiteOf('debian', '99')).toBe('99');
    expect(suiteOf('ubuntu', '24.04')).toBe('24.04');
    expect(suiteOf('debian', 'constructor')).toBe('constructor');
  });
});
