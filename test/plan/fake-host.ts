/** A build host made up for plan tests: its apt sources point at a local file: mirror. */
import type { HostFacts } from '../../src/backends/contract.js';

export const fakeMirror = 'file:///srv/imgc-test-mirror/debian';
export const fakeSecurity = 'file:///srv/imgc-test-mirror/debian-security';

export function fakeHost(files: Record<string, string> = {}, architecture = 'x86_64'): HostFacts {
  const all: Record<string, string> = {
    '/etc/apt/sources.list.d/debian.sources': [
      'Types: deb',
      `URIs: ${fakeMirror}`,
      'Suites: bookworm bookworm-updates',
      'Components: main',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
      'Types: deb',
      `URIs: ${fakeSecurity}`,
      'Suites: bookworm-security',
      'Components: main',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
    ].join('\n'),
    ...files,
  };
  return {
    architecture,
    readText: (p) => all[p],
    listDir: (dir) =>
      Object.keys(all)
        .filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/'))
        .map((p) => p.slice(dir.length + 1)),
  };
}
