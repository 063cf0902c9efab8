/**
 * Every `-O key=value` key a built-in reader, writer, backend or output step reads, and who
 * reads it. `-O` used to accept anything, so `-O backnd=fedora` was ignored without a word;
 * now an unknown key is a usage error with the nearest known key as a suggestion. A plugin
 * reads the keys under its own name (`-O <plugin>.<key>`).
 */
import { cliCodes } from '../diagnostics/codes/cli.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { closest } from '../lib/closest.js';

export interface FormatOptionKey {
  key: string;
  /** what reads it: a format, a backend, an output, or the planner */
  readBy: string;
  description: string;
  /** when it is read: by a reader or the distribution defaults (any command that reads), a writer, or planning */
  stage: 'read' | 'write' | 'plan';
  /** the format whose writer reads it */
  format?: string;
}

export const FORMAT_OPTION_KEYS: readonly FormatOptionKey[] = [
  {
    key: 'ksVersion',
    readBy: 'kickstart reader',
    description: 'kickstart syntax version (as --ks-version)',
    stage: 'read',
  },
  {
    key: 'includePath',
    readBy: 'kickstart reader',
    description: 'folders %include searches, colon-separated',
    stage: 'read',
  },
  {
    key: 'host',
    readBy: 'mkosi reader',
    description: 'distro:release:arch [Match] is evaluated against (as --host)',
    stage: 'read',
  },
  {
    key: 'legacy',
    readBy: 'mkosi reader',
    description: 'auto (read what current mkosi ignores, with a warning) or off',
    stage: 'read',
  },
  {
    key: 'mkosiResources',
    readBy: 'mkosi reader',
    description: "an mkosi checkout's mkosi/resources folder",
    stage: 'read',
  },
  {
    key: 'elementsPath',
    readBy: 'dib reader',
    description: 'folders holding diskimage-builder elements, colon-separated (as ELEMENTS_PATH)',
    stage: 'read',
  },
  {
    key: 'dibImage',
    readBy: 'dib reader',
    description: 'the image of a dib image list to read (its imagename)',
    stage: 'read',
  },
  {
    key: 'kiwiType',
    readBy: 'kiwi reader',
    description: 'the KIWI build type to select (as --type)',
    stage: 'read',
  },
  {
    key: 'distro',
    readBy: 'readers, writers, backends',
    description: "id[:release], replacing the source's (as --distro)",
    stage: 'read',
  },
  {
    key: 'release',
    readBy: 'readers, writers, backends',
    description: "the release, replacing the source's (as --release)",
    stage: 'read',
  },
  {
    key: 'arch',
    readBy: 'readers, writers, backends',
    description: 'architecture when the source has none (as --arch)',
    stage: 'read',
  },
  {
    key: 'mkosi-version',
    readBy: 'mkosi writer',
    description: '14 (Debian 12, Ubuntu 22.04) or current',
    stage: 'write',
    format: 'mkosi',
  },
  {
    key: 'tdl-install-url',
    readBy: 'tdl writer',
    description:
      'the install tree Oz installs from (<install type="url">) when imgc knows none for the distribution',
    stage: 'write',
    format: 'tdl',
  },
  {
    key: 'kiwiSchema',
    readBy: 'kiwi writer',
    description: 'KIWI schema version to write: 8.5 or 7.5 (as --kiwi-schema)',
    stage: 'write',
    format: 'kiwi',
  },
  {
    key: 'base-image',
    readBy: 'containerfile writer',
    description: 'the FROM image to write',
    stage: 'write',
    format: 'containerfile',
  },
  {
    key: 'vmdb2Mirror',
    readBy: 'vmdb2 writer',
    description: 'the debootstrap mirror to write when the definition has no apt repository',
    stage: 'write',
    format: 'vmdb2',
  },
  {
    key: 'vmdb2Size',
    readBy: 'vmdb2 writer',
    description: 'the disk image size (e.g. 4G) when the definition gives none',
    stage: 'write',
    format: 'vmdb2',
  },
  {
    key: 'packerIsoUrl',
    readBy: 'packer writer',
    description: 'the installer ISO of the qemu builder written when the definition has no Packer builder',
    stage: 'write',
    format: 'packer',
  },
  {
    key: 'packerIsoChecksum',
    readBy: 'packer writer',
    description: 'the checksum of that ISO (type:hash or file:URL)',
    stage: 'write',
    format: 'packer',
  },
  {
    key: 'backend',
    readBy: 'planner',
    description: 'the backend id to build with (built-in or plugin)',
    stage: 'plan',
  },
  {
    key: 'mirror',
    readBy: 'debian, fedora, suse, arch backends',
    description: 'URL replacing the default package mirror',
    stage: 'plan',
  },
  {
    key: 'security-mirror',
    readBy: 'debian backend',
    description: 'URL of the security archive',
    stage: 'plan',
  },
  {
    key: 'debian.variant',
    readBy: 'debian backend',
    description: 'mmdebstrap --variant (default minbase)',
    stage: 'plan',
  },
  { key: 'variant', readBy: 'debian backend', description: 'the same as debian.variant', stage: 'plan' },
  {
    key: 'suse.auto-import-keys',
    readBy: 'suse backend',
    description: 'true: trust the keys repositories ship',
    stage: 'plan',
  },
  {
    key: 'sign-command',
    readBy: 'uki output',
    description: 'command that signs the UKI in place ("$1" is its path)',
    stage: 'plan',
  },
  { key: 'pxe-url', readBy: 'pxe output', description: 'URL the PXE bundle is served from', stage: 'plan' },
  {
    key: 'ostree-repo',
    readBy: 'ostree-commit output',
    description: 'an existing OSTree repository to commit into (as --ostree-repo)',
    stage: 'plan',
  },
  {
    key: 'ostree-ref',
    readBy: 'ostree-commit and ostree-disk outputs',
    description: 'the ref the commit goes on (as --ostree-ref)',
    stage: 'plan',
  },
  {
    key: 'ostree-parent',
    readBy: 'ostree-commit and ostree-disk outputs',
    description: 'the commit that must be the head of the ref',
    stage: 'plan',
  },
  {
    key: 'ostree-url',
    readBy: 'ostree-disk output',
    description: 'the URL the deployment upgrades from (its remote)',
    stage: 'plan',
  },
  {
    key: 'ostree-upgrade-disk',
    readBy: 'ostree-disk output',
    description:
      'an ostree-disk image to deploy the new commit into (a copy of it, keeping the old deployment as rollback)',
    stage: 'plan',
  },
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

/** Commands that write a definition, and those that plan a build. */
const WRITES = new Set(['translate', 'init']);
const PLANS = new Set(['plan', 'build', 'clean']);

/**
 * IMGC9039 for each known `-O` key the command will not read: a writer's key outside translate
 * and init or for another target format, a backend's or output's key outside plan, build and clean.
 */
export function unreadFormatOptionKeys(
  pairs: readonly string[],
  command: string,
  target?: string,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const pair of pairs) {
    const name = pair.includes('=') ? pair.slice(0, pair.indexOf('=')) : pair;
    const key = FORMAT_OPTION_KEYS.find((k) => k.key === name);
    if (!key) continue;
    let why: string | undefined;
    if (key.stage === 'write' && !WRITES.has(command)) why = `imgc ${command} writes no definition`;
    else if (key.stage === 'write' && target && key.format !== target) why = `this command writes ${target}`;
    else if (key.stage === 'plan' && !PLANS.has(command)) why = `imgc ${command} plans no build`;
    if (why) diagnostics.push(diag(cliCodes.formatOptionNotRead, { key: name, readBy: key.readBy, why }));
  }
  return diagnostics;
}
