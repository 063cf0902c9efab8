/** A resolved treefile → IR, with a position for every field that came from a line. */
import { dirname, relative, resolve } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { emptyIr } from '../../../ir/empty.js';
import type { PositionTable, SourcePosition } from '../../../ir/positions.js';
import type { ImageIR, Repository } from '../../../ir/schema.js';
import { treefileCodes } from '../codes.js';
import { EXTENSION_ID, type TreefileExtension } from '../extension.js';
import { CARRIED_KEYS, LOWERED_KEYS, SUBSTITUTED_KEYS, splitPackageEntry } from '../vocabulary.js';
import type { RepoSection } from './repo-files.js';
import type { Item, Resolution } from './resolve.js';

export interface Lowered {
  ir: ImageIR;
  positions: PositionTable;
  diagnostics: Diagnostic[];
}

export function lowerTreefile(
  main: string,
  res: Resolution,
  repoSections: Map<string, RepoSection>,
  arch: string | undefined,
): Lowered {
  const ir = emptyIr();
  const positions: PositionTable = {};
  const diagnostics: Diagnostic[] = [];
  const merged = res.merged!;
  const mainDir = dirname(main);
  const place = (ptr: string, at: SourcePosition | undefined) => {
    if (at) positions[ptr] = at;
  };
  const wrong = (key: string, expected: string, at?: SourcePosition) =>
    diagnostics.push(diag(treefileCodes.wrongType, { key, expected }, at ?? { file: main }));
  const strings = (key: string): Item[] =>
    (merged.lists.get(key) ?? []).filter((i) => {
      if (typeof i.value === 'string') return true;
      wrong(key, 'a list of strings', i.at);
      return false;
    });
  const scalar = (key: string) => merged.scalars.get(key);

  const substitute = (text: string, at?: SourcePosition): string =>
    text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
      const v = res.variables.get(name);
      if (v) return String(v.value);
      diagnostics.push(diag(treefileCodes.unknownVariable, { name }, at ?? { file: main }));
      return whole;
    });

  // packages
  for (const item of strings('packages'))
    for (const name of splitPackageEntry(item.value as string)) {
      place(`/packages/install/${ir.packages.install.length}`, item.at);
      ir.packages.install.push({ name });
    }
  for (const item of merged.lists.get('repo-packages') ?? []) {
    const e = item.value as { repo?: unknown; packages?: unknown };
    if (!e || typeof e.repo !== 'string' || !Array.isArray(e.packages)) {
      wrong('repo-packages', 'a list of {repo, packages}', item.at);
      continue;
    }
    diagnostics.push(diag(treefileCodes.repoPinned, { repo: e.repo }, item.at));
    for (const p of e.packages) {
      if (typeof p !== 'string' && typeof p !== 'number') {
        wrong('repo-packages', 'package names', item.at);
        continue;
      }
      for (const name of splitPackageEntry(String(p))) {
        place(`/packages/install/${ir.packages.install.length}`, item.at);
        ir.packages.install.push({ name });
      }
    }
  }
  for (const item of strings('exclude-packages')) {
    place(`/packages/exclude/${ir.packages.exclude.length}`, item.at);
    ir.packages.exclude.push({ name: item.value as string });
  }
  const bool = (key: string, set: (b: boolean, at?: SourcePosition) => void) => {
    const i = scalar(key);
    if (!i) return;
    if (typeof i.value === 'boolean') set(i.value, i.at);
    else wrong(key, 'true or false', i.at);
  };
  bool('recommends', (b, at) => {
    ir.packages.installWeakDeps = b;
    place('/packages/installWeakDeps', at);
  });
  bool('documentation', (b, at) => {
    ir.packages.installDocs = b;
    place('/packages/installDocs', at);
  });
  const langs = strings('install-langs');
  if (langs.length) {
    ir.packages.languages = langs.map((i) => i.value as string);
    place('/packages/languages', langs[0]!.at);
  }

  // repositories
  const unresolvedRepos: string[] = [];
  for (const item of strings('repos')) {
    const name = item.value as string;
    const found = repoSections.get(name);
    if (!found) {
      diagnostics.push(diag(treefileCodes.repoNotFound, { name }, item.at));
      if (!unresolvedRepos.includes(name)) unresolvedRepos.push(name);
      continue;
    }
    const repo: Repository = structuredClone(found.repo);
    if (ir.repositories.some((r) => r.id === repo.id)) continue;
    place(`/repositories/${ir.repositories.length}`, item.at);
    ir.repositories.push(repo);
  }

  // distribution
  const releasever = scalar('releasever');
  if (releasever) {
    if (typeof releasever.value === 'string' || typeof releasever.value === 'number') {
      ir.distribution.release = String(releasever.value);
      place('/distribution/release', releasever.at);
    } else wrong('releasever', 'a string or a number', releasever.at);
  }
  if (arch) ir.distribution.architecture = arch;

  // services
  for (const item of strings('units')) {
    place(`/system/services/enable/${ir.system.services.enable.length}`, item.at);
    ir.system.services.enable.push(item.value as string);
  }

  // scripts: postprocess entries in merged order, then postprocess-script
  for (const item of strings('postprocess')) {
    place(`/scripts/${ir.scripts.length}`, item.at);
    ir.scripts.push({ phase: 'post-install', chroot: true, network: false, body: item.value as string });
  }
  const script = scalar('postprocess-script');
  if (script) {
    if (typeof script.value === 'string') {
      place(`/scripts/${ir.scripts.length}`, script.at);
      const source = relative(mainDir, resolve(dirname(script.file), script.value));
      ir.scripts.push({ phase: 'post-install', chroot: true, network: false, source });
    } else wrong('postprocess-script', 'a file name', script.at);
  }

  // files
  for (const item of merged.lists.get('add-files') ?? []) {
    const pair = item.value;
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((x) => typeof x === 'string')) {
      wrong('add-files', 'a list of [source, destination] pairs', item.at);
      continue;
    }
    place(`/files/${ir.files.length}`, item.at);
    ir.files.push({
      path: pair[1] as string,
      source: relative(mainDir, resolve(dirname(item.file), pair[0] as string)),
    });
  }

  // the ref names the ostree commit this compose makes
  const ref = scalar('ref');
  if (ref) {
    if (typeof ref.value === 'string') {
      place('/outputs/0', ref.at);
      ir.outputs.push({ type: 'ostree-commit', name: substitute(ref.value, ref.at) });
    } else wrong('ref', 'a string', ref.at);
  } else diagnostics.push(diag(treefileCodes.noRef, undefined, { file: main, line: 1, column: 1 }));

  // what the IR has no field for
  const keys: Record<string, unknown> = {};
  const unknown: Record<string, unknown> = {};
  const carry = (key: string, value: unknown, at: SourcePosition | undefined) => {
    if (LOWERED_KEYS.has(key) && key !== 'releasever') return;
    const written = typeof value === 'string' && SUBSTITUTED_KEYS.has(key) ? substitute(value, at) : value;
    if (CARRIED_KEYS.has(key)) {
      keys[key] = written;
      diagnostics.push(diag(treefileCodes.notCarried, { key }, at));
    } else {
      unknown[key] = written;
      diagnostics.push(diag(treefileCodes.unknownKey, { key }, at));
    }
  };
  for (const [key, item] of merged.scalars) if (key !== 'releasever') carry(key, item.value, item.at);
  for (const [key, items] of merged.lists)
    carry(
      key,
      items.map((i) => i.value),
      items[0]?.at,
    );
  const ext: TreefileExtension = {};
  if (Object.keys(keys).length) ext.keys = keys;
  if (Object.keys(unknown).length) ext.unknown = unknown;
  if (unresolvedRepos.length) ext.unresolvedRepos = unresolvedRepos;
  const variables: Record<string, string | number | boolean> = {};
  for (const [k, v] of res.variables) if (k !== 'basearch' && k !== 'releasever') variables[k] = v.value;
  if (Object.keys(variables).length) ext.variables = variables;
  if (Object.keys(res.otherArch).length) ext.otherArch = res.otherArch;
  if (Object.keys(ext).length) ir.extensions[EXTENSION_ID] = ext;
  return { ir, positions, diagnostics };
}
