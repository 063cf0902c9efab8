/**
 * Every `-O key=value` key a built-in reader, writer, backend or output step reads, and who
 * reads it. `-O` used to accept anything, so `-O backnd=fedora` was ignored without a word;
 * now an unknown key is a usage error with the nearest known key as a suggestion. A plugin
 * reads the keys under its own name (`-O <plugin>.<key>`).
 */
import { cliCodes } from '../diagnostics/codes/cli.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { closest } from '../formats/ir/read/schema-errors.js';

export interface FormatOptionKey {
  key: string;
  /** what reads it: a format, a backend, an output, or the planner */
  readBy: string;
  description: string;
}

export const FORMAT_OPTION_KEYS: readonly FormatOptionKey[] = [
  { key: 'ksVersion', readBy: 'kickstart reader', description: 'kickstart syntax version (as --ks-version)' },
  {
    key: 'includePath',
    readBy: 'kickstart reader',
    description: 'folders %include searches, colon-separated',
  },
  {
    key: 'host',
    readBy: 'mkosi reader',
    description: 'distro:release:arch [Match] is evaluated against (as --host)',
  },
  {
    key: 'legacy',
    readBy: 'mkosi reader',
    description: 'auto (read what current mkosi ignores, with a warning) or off',
  },
  {
    key: 'mkosiResources',
    readBy: 'mkosi reader',
    description: "an mkosi checkout's mkosi/resources folder",
  },
  { key: 'mkosi-version', readBy: 'mkosi writer', description: '14 (Debian 12, Ubuntu 22.04) or current' },
  { key: 'kiwiType', readBy: 'kiwi reader', description: 'the KIWI build type to select (as --type)' },
  {
    key: 'kiwiSchema',
    readBy: 'kiwi writer',
    description: 'KIWI schema version to write: 8.5 or 7.5 (as --kiwi-schema)',
  },
  { key: 'base-image', readBy: 'containerfile writer', description: 'the FROM image to write' },
  {
    key: 'distro',
    readBy: 'readers, writers, backends',
    description: 'id[:release] when the source has none (as --distro)',
  },
  {
    key: 'release',
    readBy: 'readers, writers, backends',
    description: 'the release when the source has none',
  },
  {
    key: 'arch',
    readBy: 'readers, writers, backends',
    description: 'architecture when the source has none (as --arch)',
  },
  { key: 'backend', readBy: 'planner', description: 'the backend id to build with (built-in or plugin)' },
  {
    key: 'mirror',
    readBy: 'debian, fedora, suse, arch backends',
    description: 'URL replacing the default package mirror',
  },
  { key: 'security-mirror', readBy: 'debian backend', description: 'URL of the security archive' },
  { key: 'debian.variant', readBy: 'debian backend', description: 'mmdebstrap --variant (default minbase)' },
  { key: 'variant', readBy: 'debian backend', description: 'the same as debian.variant' },
  {
    key: 'suse.auto-import-keys',
    readBy: 'suse backend',
    description: 'true: trust the keys repositories ship',
  },
  {
    key: 'sign-command',
    readBy: 'uki output',
    description: 'command that signs the UKI in place ("$1" is its path)',
  },
  { key: 'pxe-url', readBy: 'pxe output', description: 'URL the PXE bundle is served from' },
];

/**
 * One IMGC9030 per `-O` key nothing reads. `namespaces` are plugin names and backend ids of
 * the plugins in use: their `<name>.<key>` keys pass through.
 */
export function checkFormatOptionKeys(
  pairs: readonly string[],
  namespaces: readonly string[] = [],
): Diagnostic[] {
  const known = FORMAT_OPTION_KEYS.map((k) => k.key);
  const diagnostics: Diagnostic[] = [];
  for (const pair of pairs) {
    const key = pair.includes('=') ? pair.slice(0, pair.indexOf('=')) : pair;
    if (known.includes(key)) continue;
    const dot = key.indexOf('.');
    if (dot > 0 && namespaces.includes(key.slice(0, dot))) continue;
    const suggestion = closest(key, [...known, ...namespaces.map((n) => `${n}.`)]);
    diagnostics.push(diag(cliCodes.unknownFormatOption, { key, ...(suggestion ? { suggestion } : {}) }));
  }
  return diagnostics;
}
