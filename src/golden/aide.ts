/**
 * An AIDE configuration for the golden baseline: the attributes the manifest records, the
 * ignore rules drift uses, and the image paths selected. AIDE keeps hashes in its own
 * database, so the workflow (docs/golden-images.md) makes that database from the image tree
 * with `root_prefix` and ships it with this file.
 */
import { DEFAULT_IGNORES } from './ignore.js';
import type { GoldenManifest } from './schema.js';

const escapeRegex = (s: string) => s.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');

export function toAideConf(m: GoldenManifest, ignores: readonly string[] = DEFAULT_IGNORES): string {
  const tops = [...new Set(m.paths.map((p) => p.path.split('/')[1]).filter((t): t is string => Boolean(t)))];
  return [
    `# AIDE configuration from the imgc golden manifest of ${m.os.prettyName ?? m.os.id}`,
    '# make the baseline from the image tree: aide --init --config THIS -B root_prefix=/path/to/tree',
    '@@ifndef DBDIR',
    '@@define DBDIR /var/lib/aide',
    '@@endif',
    'database_in=file:@@{DBDIR}/imgc-golden.db',
    'database_out=file:@@{DBDIR}/imgc-golden.db.new',
    'gzip_dbout=no',
    '# what imgc drift compares: type, permissions, owner, size, content, link target, xattrs',
    'Golden = ftype+p+u+g+s+sha256+l+xattrs',
    ...ignores.map((i) => `!${escapeRegex(i).replace(/\\\*/g, '[^/]*')}(/.*)?$`),
    ...tops.filter((t) => !ignores.includes(`/${t}`)).map((t) => `/${escapeRegex(t)}(/.*)?$ Golden`),
    '',
  ].join('\n');
}
