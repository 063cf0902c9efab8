/**
 * Values that repeated lines add to one IR list (issue 14): each line used to copy the list, so
 * n lines cost n²/2 copies. 20,000, 40,000 and 80,000 `gpgkey=` lines of one dnf repository took
 * 105 s together that way. 200,000 lines would take many minutes; appended in place, well under 2 s.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { parseDnfRepoFile } from '../../src/formats/containerfile/read/repo-files.js';
import { parseRepoFile } from '../../src/formats/mkosi/read/repos.js';

const LINES = 200_000;

function repoFile(key: string): string {
  return `[r]\nbaseurl=http://example.org/r/\n${`${key}=k\n`.repeat(LINES)}`;
}

describe('repeated repository keys are appended, not copied per line', () => {
  it.each(['gpgkey', 'includepkgs', 'excludepkgs'])(
    'Containerfile dnf .repo, %s',
    (key) => {
      const [repo] = parseDnfRepoFile(repoFile(key), 'r.repo');
      const field = { gpgkey: 'gpgKeys', includepkgs: 'includePackages', excludepkgs: 'excludePackages' }[
        key
      ];
      expect((repo as unknown as Record<string, string[]>)[field!]).toHaveLength(LINES);
    },
    2000,
  );

  it.each(['gpgkey', 'includepkgs', 'excludepkgs'])(
    'mkosi .repo, %s',
    (key) => {
      const diagnostics: Diagnostic[] = [];
      const [located] = parseRepoFile(repoFile(key), 'r.repo', '/t/etc/yum.repos.d/r.repo', diagnostics);
      const field = { gpgkey: 'gpgKeys', includepkgs: 'includePackages', excludepkgs: 'excludePackages' }[
        key
      ];
      expect((located!.repo as unknown as Record<string, string[]>)[field!]).toHaveLength(LINES);
    },
    2000,
  );
});
