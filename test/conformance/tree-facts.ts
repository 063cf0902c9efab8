/**
 * What the build-equivalence test compares between image trees: the dpkg package set, the
 * accounts a definition adds, the hostname, the enabled units and the files the definition
 * writes. Each fact is a key and a printable value, so two trees differ key by key.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';

export type Aspect = 'package' | 'user' | 'group' | 'hostname' | 'unit' | 'file';

/** A package both trees have, at different versions, is a difference of its own kind. */
export type DifferenceAspect = Aspect | 'package-version';

export type Facts = Map<string, string>;

const key = (aspect: Aspect, name: string) => `${aspect} ${name}`;

const text = (tree: string, path: string) => {
  const full = join(tree, path);
  return existsSync(full) ? readFileSync(full, 'utf8') : '';
};

/** name → version of every package dpkg has installed */
function packages(tree: string, out: Facts) {
  for (const stanza of text(tree, 'var/lib/dpkg/status').split(/\n\n+/)) {
    const field = (f: string) => new RegExp(`^${f}: (.*)$`, 'm').exec(stanza)?.[1];
    if (!/ installed$/.test(field('Status') ?? '')) continue;
    out.set(key('package', field('Package')!), field('Version')!);
  }
}

/** Regular (id 1000–59999) users and groups in full, and which groups those users are in. */
function accounts(tree: string, out: Facts) {
  const regular = (id: string) => Number(id) >= 1000 && Number(id) < 60000;
  const users = new Set<string>();
  for (const line of text(tree, 'etc/passwd').split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || !regular(f[2]!)) continue;
    users.add(f[0]!);
    out.set(key('user', f[0]!), f.slice(2).join(':'));
  }
  for (const line of text(tree, 'etc/shadow').split('\n')) {
    const f = line.split(':');
    if (users.has(f[0]!)) out.set(key('user', `${f[0]} password`), f[1]!);
  }
  for (const line of text(tree, 'etc/group').split('\n')) {
    const f = line.split(':');
    if (f.length < 4) continue;
    const members = f[3]!.split(',').filter((m) => users.has(m));
    if (regular(f[2]!)) out.set(key('group', f[0]!), `${f[2]}:${f[3]}`);
    else if (members.length) out.set(key('group', `${f[0]} members`), members.sort().join(','));
  }
}

/** Every symlink in a .wants/.requires folder under /etc/systemd: what `systemctl enable` made. */
function units(tree: string, out: Facts) {
  const walk = (rel: string) => {
    const full = join(tree, rel);
    if (!existsSync(full)) return;
    for (const e of readdirSync(full, { withFileTypes: true })) {
      const path = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (e.isSymbolicLink() && /\.(wants|requires)$/.test(rel))
        out.set(key('unit', path), readlinkSync(join(tree, path)));
    }
  };
  walk('etc/systemd');
}

/** mode and content (or link target) of each path, `absent` when the tree has none */
function files(tree: string, paths: string[], out: Facts) {
  for (const path of paths) {
    const full = join(tree, path);
    const st = lstatSync(full, { throwIfNoEntry: false });
    let value = 'absent';
    // ../usr/share/zoneinfo/UTC and /usr/share/zoneinfo/UTC name the same file
    if (st?.isSymbolicLink()) value = `-> ${posix.resolve(posix.dirname(`/${path}`), readlinkSync(full))}`;
    else if (st?.isFile())
      value = `${(st.mode & 0o7777).toString(8).padStart(4, '0')} ${JSON.stringify(readFileSync(full, 'utf8'))}`;
    else if (st?.isDirectory()) value = `dir ${(st.mode & 0o7777).toString(8)}`;
    out.set(key('file', path), value);
  }
}

export function treeFacts(tree: string, writtenFiles: string[]): Facts {
  if (!existsSync(join(tree, 'var/lib/dpkg/status'))) throw new Error(`${tree} is not a Debian tree`);
  const out: Facts = new Map();
  packages(tree, out);
  accounts(tree, out);
  out.set(key('hostname', 'etc/hostname'), text(tree, 'etc/hostname').trim());
  units(tree, out);
  files(tree, writtenFiles, out);
  return out;
}

export interface Difference {
  aspect: DifferenceAspect;
  name: string;
  imgc: string | undefined;
  other: string | undefined;
}

export function differences(imgc: Facts, other: Facts): Difference[] {
  const keys = [...new Set([...imgc.keys(), ...other.keys()])].sort();
  return keys
    .filter((k) => imgc.get(k) !== other.get(k))
    .map((k) => {
      const space = k.indexOf(' ');
      const aspect = k.slice(0, space) as Aspect;
      const both = imgc.has(k) && other.has(k);
      return {
        aspect: aspect === 'package' && both ? 'package-version' : aspect,
        name: k.slice(space + 1),
        imgc: imgc.get(k),
        other: other.get(k),
      };
    });
}

/** One row of the documented differences: which tool, which aspect, a name pattern (`*` = any run), why. */
export interface Expected {
  tool: string;
  aspect: string;
  pattern: string;
  why: string;
}

/** The rows of the table under the `## Expected differences` heading of the equivalence doc. */
export function expectedDifferences(markdown: string): Expected[] {
  const start = markdown.indexOf('## Expected differences');
  if (start < 0) throw new Error('no "## Expected differences" section');
  const rows: Expected[] = [];
  for (const line of markdown.slice(start).split('\n').slice(1)) {
    if (line.startsWith('## ')) break;
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 6 || cells[1] === 'tool' || /^-+$/.test(cells[1]!)) continue;
    rows.push({ tool: cells[1]!, aspect: cells[2]!, pattern: cells[3]!.replace(/`/g, ''), why: cells[4]! });
  }
  return rows;
}

export function matches(row: Expected, tool: string, d: Difference): boolean {
  if (row.tool !== tool || row.aspect !== d.aspect) return false;
  const re = new RegExp(
    `^${row.pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(d.name);
}
