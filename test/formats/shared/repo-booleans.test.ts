import { describe, expect, it } from 'vitest';
import { parseDeb822Sources, parseDnfRepoFile } from '../../../src/formats/containerfile/read/repo-files.js';
import { parseDeb822, parseRepoFile } from '../../../src/formats/mkosi/read/repos.js';
import { aptBoolean, dnfBoolean } from '../../../src/formats/shared/repo-booleans.js';

describe('dnfBoolean', () => {
  it('reads what libdnf reads as true', () => {
    for (const v of ['1', 'yes', 'True', 'ON', ' on ']) expect(dnfBoolean(v), v).toBe(true);
  });
  it('reads everything else as false', () => {
    for (const v of ['0', 'no', 'False', 'off', 'enabled', '']) expect(dnfBoolean(v), v).toBe(false);
  });
});

describe('aptBoolean', () => {
  it('reads apt words and numbers', () => {
    for (const v of ['yes', 'true', 'with', 'on', 'enable', '1', '2']) expect(aptBoolean(v), v).toBe(true);
    for (const v of ['no', 'false', 'without', 'off', 'disable', '0']) expect(aptBoolean(v), v).toBe(false);
  });
});

describe('the Containerfile and mkosi readers agree on repository files', () => {
  const repo = '[x]\nbaseurl=http://example.org/\nenabled=on\ngpgcheck=off\n';
  const sources = 'Types: deb\nURIs: http://deb.example.org/\nSuites: stable\nEnabled: without\n';

  it('reads enabled=on and gpgcheck=off in a .repo file the same way', () => {
    const fromContainerfile = parseDnfRepoFile(repo, 'x.repo')[0];
    const fromMkosi = parseRepoFile(repo, 'x.repo', 'x.repo', [])[0]?.repo;
    expect([fromContainerfile?.enabled, fromContainerfile?.gpgCheck]).toEqual([true, false]);
    expect([fromMkosi?.enabled, fromMkosi?.gpgCheck]).toEqual([true, false]);
  });

  it('reads a deb822 Enabled: the same way', () => {
    expect(parseDeb822Sources(sources, 'x.sources')[0]?.enabled).toBe(false);
    expect(parseDeb822(sources, 'x.sources')[0]?.enabled).toBe(false);
  });
});
