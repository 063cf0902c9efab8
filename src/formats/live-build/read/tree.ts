/**
 * What a live-build tree holds, read without following symlinks (a tree's links may point
 * at the build host, e.g. /usr/share/live/build/hooks/…): the settings, package lists,
 * archives, includes.chroot files and links, chroot hooks, and the parts imgc only counts.
 */
import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { isAbsolute, join, normalize, relative } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import { LineIndex } from '../../../diagnostics/line-index.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { readInputText } from '../../../input/bounded.js';
import type { SourcePosition } from '../../../ir/positions.js';
import { liveBuildCodes } from '../codes.js';
import { CHROOT_LIST, KEPT_PARTS } from '../vocabulary.js';
import { autoConfigSettings, type Setting, savedSettings } from './settings.js';

export type ListEntry = { kind: 'package' | 'conditional' | 'include'; text: string; at: SourcePosition };

export interface Tree {
  root: string;
  at: SourcePosition;
  settings: Setting[];
  settingsFrom: 'auto' | 'saved' | 'none';
  /** auto/config's lines before the lb config call */
  preamble?: string;
  shebang?: string;
  packageLists: { file: string; entries: ListEntry[] }[];
  archives: { id: string; url: string; suite: string; components: string[]; at: SourcePosition }[];
  includes: (
    | { kind: 'file'; path: string; source: string; from: string; executable: boolean }
    | { kind: 'symlink'; path: string; target: string; from: string }
  )[];
  hooks: (
    | { kind: 'script'; name: string; body: string; at: SourcePosition }
    | { kind: 'outside'; name: string; target: string; at: SourcePosition }
  )[];
  keptParts: { name: string; count: number; at: SourcePosition }[];
  diagnostics: Diagnostic[];
  files: string[];
}

const MAX_WALK = 50_000;

async function entries(dir: string): Promise<string[]> {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every non-directory below `dir` (symlinks not followed), relative to `dir`. */
async function walk(dir: string, limit = MAX_WALK): Promise<string[]> {
  const out: string[] = [];
  const visit = async (rel: string): Promise<void> => {
    for (const e of await entries(join(dir, rel))) {
      if (out.length >= limit) return;
      const r = rel ? `${rel}/${e}` : e;
      if (await isDir(join(dir, r))) await visit(r);
      else out.push(r);
    }
  };
  await visit('');
  return out;
}

/** The folder holding package-lists/, hooks/, … : `<root>/config`, or the root itself. */
export async function configDirOf(root: string): Promise<string | undefined> {
  if (await isDir(join(root, 'config'))) return join(root, 'config');
  const names = await entries(root);
  return names.some((n) =>
    ['package-lists', 'hooks', 'archives', 'includes.chroot', 'includes.chroot_after_packages'].includes(n),
  )
    ? root
    : undefined;
}

function packageList(text: string, file: string): ListEntry[] {
  const index = new LineIndex(text);
  const out: ListEntry[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const at = (col: number): SourcePosition => ({ file, ...index.position(offset + col) });
    const trimmed = line.trim();
    const lead = line.length - line.trimStart().length;
    if (/^#\s*(if|nif|elif|else)\b/.test(trimmed))
      out.push({ kind: 'conditional', text: trimmed, at: at(lead) });
    else if (/^#\s*include\b/.test(trimmed))
      out.push({ kind: 'include', text: trimmed.replace(/^#\s*include\s*/, ''), at: at(lead) });
    else if (trimmed && !trimmed.startsWith('#') && !trimmed.startsWith('!')) {
      const body = line.replace(/\s#.*$/, '');
      for (const m of body.matchAll(/\S+/g)) out.push({ kind: 'package', text: m[0], at: at(m.index) });
    }
    offset += line.length + 1;
  }
  return out;
}

function archiveLines(text: string, file: string, base: string): Tree['archives'] {
  const index = new LineIndex(text);
  const out: Tree['archives'] = [];
  for (const m of text.matchAll(/^[ \t]*deb[ \t]+(\[[^\]]*\][ \t]+)?(\S+)[ \t]+(\S+)([^\n#]*)/gm)) {
    const components = (m[4] ?? '').trim().split(/\s+/).filter(Boolean);
    out.push({
      id: `${base}${out.length ? `-${out.length + 1}` : ''}`,
      url: m[2]!,
      suite: m[3]!,
      components,
      at: { file, ...index.position(m.index) },
    });
  }
  return out;
}

async function readSettings(tree: Tree, configDir: string): Promise<void> {
  const auto = join(tree.root, 'auto', 'config');
  try {
    const text = await readInputText(auto);
    tree.files.push(auto);
    const r = autoConfigSettings(text, auto);
    if (!r.ok) {
      tree.diagnostics.push(
        r.problem === 'quote'
          ? diag(liveBuildCodes.unquoted, { quote: r.detail }, r.at)
          : diag(liveBuildCodes.badOption, { option: r.detail }, r.at),
      );
      return;
    }
    if (r.from === 'auto') {
      tree.settings = r.settings;
      tree.settingsFrom = 'auto';
      if (r.preamble) tree.preamble = r.preamble;
      if (text.startsWith('#!')) tree.shebang = text.slice(0, text.indexOf('\n') >>> 0).trim();
      tree.at = { file: auto, line: 1, column: 1 };
      return;
    }
  } catch {
    // no auto/config: the saved variables below, if any
  }
  for (const part of ['common', 'bootstrap', 'chroot', 'binary', 'source']) {
    const file = join(configDir, part);
    if ((await isDir(file)) || !lstatOrNone(file)?.isFile()) continue;
    const r = savedSettings(await readInputText(file), file);
    if (r.ok && r.settings.length) {
      appendAll(tree.settings, r.settings);
      tree.settingsFrom = 'saved';
      tree.files.push(file);
    }
  }
}

async function readLists(tree: Tree, configDir: string): Promise<void> {
  const dir = join(configDir, 'package-lists');
  for (const name of await walk(dir, 1000)) {
    if (!CHROOT_LIST.test(name)) continue;
    const file = join(dir, name);
    if (!lstatSync(file).isFile()) continue;
    tree.files.push(file);
    tree.packageLists.push({ file, entries: packageList(await readInputText(file), file) });
  }
}

async function readArchives(tree: Tree, configDir: string): Promise<void> {
  const dir = join(configDir, 'archives');
  let other = 0;
  for (const name of await entries(dir)) {
    const file = join(dir, name);
    const m = /^(.+)\.list\.chroot$/.exec(name);
    if (!m || !lstatSync(file).isFile()) {
      other++;
      continue;
    }
    tree.files.push(file);
    appendAll(tree.archives, archiveLines(await readInputText(file), file, m[1]!));
  }
  if (other)
    tree.keptParts.push({
      name: 'archives keys, preferences and binary lists',
      count: other,
      at: { file: dir, line: 1, column: 1 },
    });
}

async function readIncludes(tree: Tree, configDir: string): Promise<void> {
  for (const part of [
    'includes.chroot',
    'includes.chroot_before_packages',
    'includes.chroot_after_packages',
  ]) {
    const dir = join(configDir, part);
    for (const rel of await walk(dir)) {
      const from = join(dir, rel);
      const stats = lstatSync(from);
      const source = relative(tree.root, from);
      if (stats.isSymbolicLink())
        tree.includes.push({ kind: 'symlink', path: `/${rel}`, target: readlinkSync(from), from });
      else if (stats.isFile())
        tree.includes.push({
          kind: 'file',
          path: `/${rel}`,
          source,
          from,
          executable: (stats.mode & 0o111) !== 0,
        });
    }
  }
}

async function readHooks(tree: Tree, configDir: string): Promise<void> {
  const dir = join(configDir, 'hooks');
  let binary = 0;
  for (const rel of await walk(dir, 1000)) {
    const file = join(dir, rel);
    const at = { file, line: 1, column: 1 };
    if (!/\.chroot$/.test(rel)) {
      if (/\.binary$/.test(rel)) binary++;
      continue;
    }
    const stats = lstatSync(file);
    if (stats.isSymbolicLink()) {
      const target = readlinkSync(file);
      const resolved = isAbsolute(target) ? target : normalize(join(file, '..', target));
      if (isAbsolute(target) || relative(tree.root, resolved).startsWith('..')) {
        tree.hooks.push({ kind: 'outside', name: rel, target, at });
        continue;
      }
    }
    tree.files.push(file);
    tree.hooks.push({ kind: 'script', name: rel.split('/').at(-1)!, body: await readInputText(file), at });
  }
  if (binary)
    tree.keptParts.push({
      name: 'binary hooks (run on the live medium, not in the image)',
      count: binary,
      at: { file: dir, line: 1, column: 1 },
    });
}

async function countKept(tree: Tree, configDir: string): Promise<void> {
  for (const part of KEPT_PARTS) {
    const dir = join(configDir, part);
    if (!(await isDir(dir))) continue;
    const count = (await walk(dir, 10_000)).length;
    if (count) tree.keptParts.push({ name: `config/${part}`, count, at: { file: dir, line: 1, column: 1 } });
  }
}

export async function readTree(root: string): Promise<Tree | undefined> {
  const configDir = await configDirOf(root);
  const hasAuto = lstatOrNone(join(root, 'auto', 'config'))?.isFile();
  if (!configDir && !hasAuto) return undefined;
  const tree: Tree = {
    root,
    at: { file: configDir ?? root, line: 1, column: 1 },
    settings: [],
    settingsFrom: 'none',
    packageLists: [],
    archives: [],
    includes: [],
    hooks: [],
    keptParts: [],
    diagnostics: [],
    files: [],
  };
  await readSettings(tree, configDir ?? join(root, 'config'));
  if (configDir) {
    await readLists(tree, configDir);
    await readArchives(tree, configDir);
    await readIncludes(tree, configDir);
    await readHooks(tree, configDir);
    await countKept(tree, configDir);
  }
  return tree;
}

function lstatOrNone(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
