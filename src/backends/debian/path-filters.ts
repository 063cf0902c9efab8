/**
 * dpkg path filters (`path-exclude=`/`path-include=`) for installDocs=false and a languages
 * list. They go into the image's /etc/dpkg/dpkg.cfg.d/ before anything is installed, so
 * dpkg skips those files for every package it unpacks, then and later in the image.
 *
 * They are not passed as `--dpkgopt`: mmdebstrap would then pipe every Essential package
 * through its Python tar filter, which costs more than the whole rest of the Essential
 * phase. Its plain tar extraction leaves those files in place instead, and
 * `pruneFilteredPaths` removes them afterwards with dpkg's own matching rules.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir, readlink, rmdir, unlink } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { resolveInTree } from '../../exec/tree-path.js';

export interface PathFilterRequest {
  installDocs: boolean;
  languages: string[];
}

/** The filter lines, in dpkg.cfg syntax and dpkg's order (the last matching line decides). */
export function dpkgPathFilters(o: PathFilterRequest): string[] {
  const out: string[] = [];
  if (!o.installDocs) {
    out.push('path-exclude=/usr/share/doc/*', 'path-include=/usr/share/doc/*/copyright');
    for (const dir of ['man', 'info', 'groff', 'lintian', 'linda'])
      out.push(`path-exclude=/usr/share/${dir}/*`);
  }
  if (o.languages.length) {
    out.push('path-exclude=/usr/share/locale/*');
    for (const lang of o.languages.filter((l) => l !== 'none')) {
      out.push(`path-include=/usr/share/locale/${lang.replace(/[^A-Za-z0-9_@.-]/g, '')}*`);
    }
  }
  return out;
}

interface Rule {
  include: boolean;
  pattern: string;
  regex: RegExp;
}

/** fnmatch(3) without flags, as dpkg uses it: `*` and `?` match `/` too. */
export function globRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < pattern.length) re += escapeRegex(pattern[++i]!);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += escapeRegex(c);
  }
  return new RegExp(`^${re}$`, 's');
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function parseRules(filters: string[]): Rule[] {
  return filters.map((line) => {
    const eq = line.indexOf('=');
    const pattern = line.slice(eq + 1);
    return { include: line.startsWith('path-include'), pattern, regex: globRegex(pattern) };
  });
}

function excluded(rules: Rule[], path: string): boolean {
  let out = false;
  for (const r of rules) if (r.regex.test(path)) out = !r.include;
  return out;
}

/**
 * dpkg keeps directories and symlinks on the way to a re-included path (for example
 * /usr/share/doc/<pkg> as a symlink to another package's doc folder, for its copyright):
 * a path is on the way when an include pattern cut to the path's depth matches it. The cut
 * patterns are compiled once per depth, not once per entry.
 */
function includePrefixes(rules: Rule[]): (path: string) => boolean {
  const byDepth = new Map<number, RegExp[]>();
  return (path) => {
    const depth = path.split('/').length;
    let regexes = byDepth.get(depth);
    if (!regexes) {
      regexes = rules
        .filter((r) => r.include)
        .map((r) => globRegex(r.pattern.split('/').slice(0, depth).join('/')));
      byDepth.set(depth, regexes);
    }
    return regexes.some((re) => re.test(path));
  };
}

/** The folders to walk: each exclude pattern's fixed leading part. */
function walkRoots(rules: Rule[]): string[] {
  const roots = rules
    .filter((r) => !r.include)
    .map((r) => {
      const fixed = r.pattern.slice(0, r.pattern.search(/[*?[\\]|$/));
      return fixed.endsWith('/') ? fixed.slice(0, -1) : dirname(fixed);
    })
    .filter((root) => root.startsWith('/') && !root.split('/').includes('..'));
  return [...new Set(roots)].filter(
    (root, _, all) => !all.some((other) => other !== root && root.startsWith(`${other}/`)),
  );
}

/**
 * Removes from `tree` what the filters exclude and dpkg did not write anyway, plus the
 * /etc/alternatives links that pointed at removed files. Returns how many entries went.
 */
export async function pruneFilteredPaths(tree: string, filters: string[]): Promise<number> {
  const rules = parseRules(filters);
  if (!rules.some((r) => !r.include)) return 0;
  const onIncludePath = includePrefixes(rules);
  let removed = 0;

  const walk = async (imagePath: string): Promise<boolean> => {
    let entries: Dirent[];
    try {
      entries = await readdir(join(tree, imagePath), { withFileTypes: true });
    } catch {
      return false;
    }
    let left = entries.length;
    for (const e of entries) {
      const child = posix.join(imagePath, e.name);
      if (e.isDirectory()) {
        const emptied = await walk(child);
        if (emptied && excluded(rules, child) && !onIncludePath(child)) {
          await rmdir(join(tree, child));
          removed++;
          left--;
        }
      } else if (excluded(rules, child) && !(e.isSymbolicLink() && onIncludePath(child))) {
        await unlink(join(tree, child));
        removed++;
        left--;
      }
    }
    return left === 0;
  };
  for (const root of walkRoots(rules)) {
    // The walk never follows a symlink below a root; a root reached through one is left alone.
    if ((await resolveInTree(tree, root)) === join(tree, root)) await walk(root);
  }

  const alternatives = join(tree, 'etc/alternatives');
  const links = await readdir(alternatives, { withFileTypes: true }).catch(() => [] as Dirent[]);
  for (const link of links) {
    if (!link.isSymbolicLink()) continue;
    const target = await readlink(join(alternatives, link.name));
    if (!target.startsWith('/') || !excluded(rules, target)) continue;
    const exists = await lstat(join(tree, target)).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await unlink(join(alternatives, link.name));
      removed++;
    }
  }
  return removed;
}
