import { describe, expect, it } from 'vitest';
import { deb822Text, parseDeb822Sources, parseOneLineSources } from '../../../src/backends/debian/sources.js';
import { debianArchitecture, familyOfSuite, findRelease } from '../../../src/distros/debian.js';

const mirror = 'file:///srv/imgc-test-mirror/debian';

describe('apt sources', () => {
  it('parses deb822 stanzas, skipping comments and disabled ones', () => {
    const text = [
      '# a comment',
      'Types: deb deb-src',
      `URIs: ${mirror}`,
      'Suites: bookworm bookworm-updates',
      'Components: main contrib',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
      'Enabled: no',
      'Types: deb',
      `URIs: ${mirror}-disabled`,
      'Suites: sid',
      '',
    ].join('\r\n');
    expect(parseDeb822Sources(text)).toEqual([
      {
        types: ['deb', 'deb-src'],
        uris: [mirror],
        suites: ['bookworm', 'bookworm-updates'],
        components: ['main', 'contrib'],
        signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg',
      },
    ]);
  });

  it('parses one-line sources with options', () => {
    const text = `deb [arch=amd64 signed-by=/k.gpg] ${mirror} bookworm main non-free # trailing\n# deb ${mirror} sid main\n`;
    expect(parseOneLineSources(text)).toEqual([
      {
        types: ['deb'],
        uris: [mirror],
        suites: ['bookworm'],
        components: ['main', 'non-free'],
        signedBy: '/k.gpg',
      },
    ]);
  });

  it('writes IR repositories as deb822 that parses back', () => {
    const text = deb822Text(
      [
        { id: 'a', urls: [mirror], suites: ['bookworm'], components: ['main'], gpgKeys: ['/k.gpg'] },
        { id: 'b', urls: [`${mirror}-extra`], gpgCheck: false },
      ],
      'bookworm',
    );
    const parsed = parseDeb822Sources(text);
    expect(parsed.map((p) => [p.uris[0], p.suites, p.signedBy])).toEqual([
      [mirror, ['bookworm'], '/k.gpg'],
      [`${mirror}-extra`, ['bookworm'], undefined],
    ]);
    expect(text).toContain('Trusted: yes');
  });
});

describe('release mapping', () => {
  it('maps numbers, aliases and suites', () => {
    expect(findRelease('debian', '12')?.suite).toBe('bookworm');
    expect(findRelease('debian', 'unstable')?.suite).toBe('sid');
    expect(findRelease('ubuntu', '24.04')?.suite).toBe('noble');
    expect(findRelease('debian', 'noble')).toBeUndefined();
    expect(familyOfSuite('bookworm-security')).toBe('debian');
    expect(familyOfSuite('jammy-updates')).toBe('ubuntu');
    expect(debianArchitecture('x86_64')).toBe('amd64');
    expect(debianArchitecture('aarch64')).toBe('arm64');
  });
});
