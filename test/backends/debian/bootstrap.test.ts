import { describe, expect, it } from 'vitest';
import { dpkgExcludes } from '../../../src/backends/debian/bootstrap.js';

describe('dpkg path filters', () => {
  it('keep everything by default', () => {
    expect(dpkgExcludes({ installDocs: true, languages: [] })).toEqual([]);
  });
  it('drop docs but keep copyright files', () => {
    const f = dpkgExcludes({ installDocs: false, languages: [] });
    expect(f.slice(0, 2)).toEqual([
      'path-exclude=/usr/share/doc/*',
      'path-include=/usr/share/doc/*/copyright',
    ]);
    expect(f).toContain('path-exclude=/usr/share/man/*');
  });
  it('keep only the listed translations, none for ["none"]', () => {
    expect(dpkgExcludes({ installDocs: true, languages: ['de', 'pt_BR'] })).toEqual([
      'path-exclude=/usr/share/locale/*',
      'path-include=/usr/share/locale/de*',
      'path-include=/usr/share/locale/pt_BR*',
    ]);
    expect(dpkgExcludes({ installDocs: true, languages: ['none'] })).toEqual([
      'path-exclude=/usr/share/locale/*',
    ]);
  });
});
