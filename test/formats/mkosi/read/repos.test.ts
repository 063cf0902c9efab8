import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../../src/diagnostics/types.js';
import { parseRepoIni } from '../../../../src/formats/mkosi/read/repo-ini.js';
import { parseRepoFile } from '../../../../src/formats/mkosi/read/repos.js';

const MULTI = [
  '# several mirrors for one repository',
  '[updates]',
  'name=Updates',
  'baseurl=http://a.example.org/updates/',
  '        http://b.example.org/updates/',
  '\thttp://c.example.org/updates/, http://d.example.org/updates/',
  'gpgcheck=1',
  '',
  '[extras]',
  'baseurl = http://e.example.org/extras/',
  'enabled=0',
].join('\n');

function read(text: string) {
  const diagnostics: Diagnostic[] = [];
  const repos = parseRepoFile(text, 'etc/yum.repos.d/x.repo', '/tree/etc/yum.repos.d/x.repo', diagnostics);
  return { repos, diagnostics };
}

describe('dnf .repo files', () => {
  it('reads indented continuation lines of baseurl= as further URLs, each with its position', () => {
    const { repos, diagnostics } = read(MULTI);
    expect(diagnostics).toEqual([]);
    expect(repos.map((r) => r.repo.id)).toEqual(['updates', 'extras']);
    const updates = repos[0]!;
    expect(updates.repo.urls).toEqual([
      'http://a.example.org/updates/',
      'http://b.example.org/updates/',
      'http://c.example.org/updates/',
      'http://d.example.org/updates/',
    ]);
    expect(updates.urls).toEqual([
      { line: 4, column: 9 },
      { line: 5, column: 9 },
      { line: 6, column: 2 },
      { line: 6, column: 33 },
    ]);
    expect(updates.at).toEqual({ line: 2, column: 1 });
    expect(updates.repo.gpgCheck).toBe(true);
    expect(repos[1]!.repo.urls).toEqual(['http://e.example.org/extras/']);
    expect(repos[1]!.urls).toEqual([{ line: 10, column: 11 }]);
    expect(repos[1]!.repo.enabled).toBe(false);
  });

  it('does not join lines ending in a backslash (dnf has no such continuation)', () => {
    const { repos } = read('[r]\nbaseurl=http://x.example.org/a\\\nenabled=0\n');
    expect(repos[0]!.repo.urls).toEqual(['http://x.example.org/a\\']);
    expect(repos[0]!.repo.enabled).toBe(false);
  });

  it('keeps keys indented like their neighbours as keys, not continuations', () => {
    const parsed = parseRepoIni('[r]\n  name=R\n  baseurl=http://x/\n    http://y/\n');
    expect(parsed.entries.map((e) => [e.key, e.lines.map((l) => l.text)])).toEqual([
      ['name', ['R']],
      ['baseurl', ['http://x/', 'http://y/']],
    ]);
  });

  it('reports a line that is not key=value, and one before any section, with positions', () => {
    const { diagnostics } = read('baseurl=http://x/\n[r]\nbaseurl=http://y/\nnot a setting\n');
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['IMGC4040', 1, 1],
      ['IMGC4040', 4, 1],
    ]);
  });
});
