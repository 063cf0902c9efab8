/** The golden manifest of a tree: every path with owner, mode, hash and owning package, and the package list. */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { accountNames } from './accounts.js';
import { readPackageDb } from './packages.js';
import { type GoldenManifest, MANIFEST_SCHEMA_ID, MANIFEST_VERSION, type ManifestPath } from './schema.js';
import { type TreeEntry, walkTree } from './walk.js';
import { readXattrs, type XattrTable } from './xattrs.js';

export interface ManifestOptions {
  /** prune these paths and what is under them */
  skip?: (path: string) => boolean;
  /** false when the tree cannot carry xattrs (a copy made without them) */
  xattrs?: boolean;
  /** the top-level names getfattr reads (default: the whole tree) */
  xattrRoots?: Promise<string[]>;
}

export async function osRelease(root: string): Promise<GoldenManifest['os']> {
  let text = '';
  for (const file of ['etc/os-release', 'usr/lib/os-release']) {
    text = await readFile(join(root, file), 'utf8').catch(() => '');
    if (text) break;
  }
  const value = (key: string) =>
    new RegExp(`^${key}=(.*)$`, 'm')
      .exec(text)?.[1]
      ?.trim()
      .replace(/^(["'])(.*)\1$/, '$2');
  const versionId = value('VERSION_ID');
  const prettyName = value('PRETTY_NAME');
  return {
    id: value('ID') ?? 'unknown',
    ...(versionId ? { versionId } : {}),
    ...(prettyName ? { prettyName } : {}),
  };
}

export async function buildManifest(root: string, options: ManifestOptions = {}): Promise<GoldenManifest> {
  const [entries, db, names, xattrs] = await Promise.all([
    walkTree(root, options.skip),
    readPackageDb(root),
    accountNames(root),
    options.xattrs === false
      ? Promise.resolve<XattrTable>(new Map())
      : (options.xattrRoots ?? Promise.resolve(['.'])).then((roots) => readXattrs(root, roots)),
  ]);
  const owners_ = ownersByCanonicalPath(db.owners, entries);
  const paths: ManifestPath[] = entries.map((e) => {
    const owners = owners_.get(e.path);
    const pkg = owners && (e.type === 'file' || owners.length === 1) ? [...owners].sort()[0] : undefined;
    const user = names.users.get(e.uid);
    const group = names.groups.get(e.gid);
    const attrs = xattrs.get(e.path);
    return {
      ...e,
      ...(user ? { user } : {}),
      ...(group ? { group } : {}),
      ...(attrs && Object.keys(attrs).length ? { xattrs: sortedRecord(attrs) } : {}),
      ...(pkg ? { package: pkg } : {}),
    };
  });
  return {
    $schema: MANIFEST_SCHEMA_ID,
    manifestVersion: MANIFEST_VERSION,
    os: await osRelease(root),
    packageDatabase: db.database,
    packages: db.packages,
    paths,
  };
}

/**
 * Package databases list paths as the package ships them (/bin/ls); on a merged-/usr tree the
 * file is /usr/bin/ls behind the /bin symlink. Owners move to the path the tree really has.
 */
function ownersByCanonicalPath(owners: Map<string, string[]>, entries: TreeEntry[]) {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const dirLinks = new Map<string, string>();
  for (const e of entries) {
    if (e.type !== 'symlink' || !e.target) continue;
    const target = e.target.startsWith('/') ? e.target : posix.join(posix.dirname(e.path), e.target);
    if (byPath.get(posix.normalize(target))?.type === 'dir') dirLinks.set(e.path, posix.normalize(target));
  }
  const canonical = (path: string): string => {
    let dir = posix.dirname(path);
    const tail = [posix.basename(path)];
    for (let hops = 0; dir !== '/' && hops < 40; hops++) {
      const link = dirLinks.get(dir);
      if (link) {
        dir = link;
        continue;
      }
      tail.unshift(posix.basename(dir));
      dir = posix.dirname(dir);
    }
    return posix.join(dir, ...tail);
  };
  const result = new Map<string, string[]>();
  for (const [path, pkgs] of owners) {
    const real = byPath.has(path) && byPath.get(path)!.type !== 'symlink' ? path : canonical(path);
    const list = result.get(real) ?? [];
    for (const p of pkgs) if (!list.includes(p)) list.push(p);
    result.set(real, list);
  }
  return result;
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** One path a line keeps the file diffable and greppable while staying valid JSON. */
export function serializeManifest(m: GoldenManifest): string {
  const head = { ...m, packages: [], paths: [] };
  const lines = JSON.stringify(head, null, 2).split('\n');
  const list = (items: unknown[]) =>
    items.length ? `[\n${items.map((i) => `    ${JSON.stringify(i)}`).join(',\n')}\n  ]` : '[]';
  return `${lines
    .join('\n')
    .replace('"packages": []', `"packages": ${list(m.packages)}`)
    .replace('"paths": []', `"paths": ${list(m.paths)}`)}\n`;
}
