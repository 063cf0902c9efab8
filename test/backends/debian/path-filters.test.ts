import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { dpkgPathFilters, globRegex, pruneFilteredPaths } from '../../../src/backends/debian/path-filters.js';

describe('dpkg path filters', () => {
  it('keep everything by default', () => {
    expect(dpkgPathFilters({ installDocs: true, languages: [] })).toEqual([]);
  });
  it('drop docs but keep copyright files', () => {
    const f = dpkgPathFilters({ installDocs: false, languages: [] });
    expect(f.slice(0, 2)).toEqual([
      'path-exclude=/usr/share/doc/*',
      'path-include=/usr/share/doc/*/copyright',
    ]);
    expect(f).toContain('path-exclude=/usr/share/man/*');
  });
  it('keep only the listed translations, none for ["none"]', () => {
    expect(dpkgPathFilters({ installDocs: true, languages: ['de', 'pt_BR'] })).toEqual([
      'path-exclude=/usr/share/locale/*',
      'path-include=/usr/share/locale/de*',
      'path-include=/usr/share/locale/pt_BR*',
    ]);
    expect(dpkgPathFilters({ installDocs: true, languages: ['none'] })).toEqual([
      'path-exclude=/usr/share/locale/*',
    ]);
  });
});

describe('dpkg glob matching', () => {
  it('lets * and ? cross slashes, as fnmatch without flags does', () => {
    expect(globRegex('/usr/*/READ*').test('/usr/share/doc/package/README')).toBe(true);
    expect(globRegex('/usr/share/doc/*/copyright').test('/usr/share/doc/a/b/copyright')).toBe(true);
    expect(globRegex('/a?c').test('/a/c')).toBe(true);
    expect(globRegex('/usr/share/doc/*').test('/usr/share/doc')).toBe(false);
  });
  it('understands classes, negated classes and escapes', () => {
    expect(globRegex('/x/[ab]*').test('/x/beta')).toBe(true);
    expect(globRegex('/x/[!ab]*').test('/x/beta')).toBe(false);
    expect(globRegex('/x/[!ab]*').test('/x/gamma')).toBe(true);
    expect(globRegex('/x/\\*').test('/x/*')).toBe(true);
    expect(globRegex('/x/\\*').test('/x/y')).toBe(false);
    expect(globRegex('/x/a.b').test('/x/aXb')).toBe(false);
  });
});

describe('pruning what the filters exclude', () => {
  const make = (files: Record<string, string | { link: string }>) => {
    const tree = mkdtempSync(join(tmpdir(), 'imgc-prune-'));
    onTestFinished(() => rmSync(tree, { recursive: true, force: true }));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      if (typeof content === 'string') writeFileSync(join(tree, path), content);
      else symlinkSync(content.link, join(tree, path));
    }
    return tree;
  };
  const listing = (tree: string) =>
    (readdirSync(tree, { recursive: true }) as string[]).map((p) => p.split(sep).join('/')).sort();

  it('removes excluded files and emptied folders, keeps re-included ones and everything else', async () => {
    const tree = make({
      'usr/share/doc/bash/README': 'x',
      'usr/share/doc/bash/copyright': 'c',
      'usr/share/doc/gcc/changelog.gz': 'x',
      'usr/share/doc/libgcc-s1': { link: 'gcc' },
      'usr/share/man/man1/ls.1.gz': 'x',
      'usr/share/locale/de/LC_MESSAGES/x.mo': 'x',
      'usr/share/locale/fr/LC_MESSAGES/x.mo': 'x',
      'usr/share/locale/locale.alias': 'x',
      'usr/bin/ls': 'x',
      'etc/alternatives/awk.1.gz': { link: '/usr/share/man/man1/mawk.1.gz' },
      'etc/alternatives/awk': { link: '/usr/bin/mawk' },
      'etc/alternatives/pager.1.gz': { link: '/usr/share/man/man1/less.1.gz' },
    });
    writeFileSync(join(tree, 'usr/share/man/man1/less.1.gz'), 'kept by a later include? no: excluded');
    const filters = dpkgPathFilters({ installDocs: false, languages: ['de'] });
    const removed = await pruneFilteredPaths(tree, filters);
    const left = listing(tree);
    expect(left).toEqual(
      [
        'etc',
        'etc/alternatives',
        'etc/alternatives/awk',
        'usr',
        'usr/bin',
        'usr/bin/ls',
        'usr/share',
        'usr/share/doc',
        'usr/share/doc/bash',
        'usr/share/doc/bash/copyright',
        // on the way to a re-included path: kept, empty, as dpkg keeps such folders
        'usr/share/doc/gcc',
        'usr/share/doc/libgcc-s1',
        'usr/share/locale',
        'usr/share/locale/de',
        'usr/share/locale/de/LC_MESSAGES',
        'usr/share/locale/de/LC_MESSAGES/x.mo',
        'usr/share/man',
      ].sort(),
    );
    // README, changelog.gz, ls.1.gz, less.1.gz, man1/, fr/ with its 2 entries, locale.alias, 2 alternatives
    expect(removed).toBe(11);
  });

  it('does nothing without exclude rules', async () => {
    const tree = make({ 'usr/share/doc/a/README': 'x' });
    expect(await pruneFilteredPaths(tree, dpkgPathFilters({ installDocs: true, languages: [] }))).toBe(0);
    expect(listing(tree)).toContain('usr/share/doc/a/README');
  });
});
