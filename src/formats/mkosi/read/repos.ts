/**
 * Repository files in an mkosi sandbox tree (mkosi.sandbox/, SandboxTrees=) → IR repositories:
 * dnf/yum and zypper `.repo` files, apt deb822 `.sources` and one-line `.list` files.
 * `fileName` keeps the file's path inside the sandbox tree so the writer can put it back.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { InputRejected, readInputTextSync } from '../../../input/bounded.js';
import type { Repository } from '../../../ir/schema.js';
import { applyPlainRepoKey } from '../../shared/dnf-repo-keys.js';
import { aptBoolean, dnfBoolean } from '../../shared/repo-booleans.js';
import { mkosiCodes } from '../codes.js';
import { joinedValue, parseRepoIni, valueWords } from './repo-ini.js';

export const REPO_DIRS = ['etc/yum.repos.d', 'etc/zypp/repos.d', 'etc/apt/sources.list.d'];

export function lowerRepositories(tree: string, diagnostics: Diagnostic[]): LocatedRepository[] {
  const out: LocatedRepository[] = [];
  if (!isDir(tree)) return out;
  for (const dir of REPO_DIRS) {
    const full = join(tree, dir);
    if (!isDir(full)) continue;
    for (const name of readdirSync(full).sort()) {
      const file = join(full, name);
      const fileName = `${dir}/${name}`;
      let text: string;
      try {
        text = readInputTextSync(file);
      } catch (e) {
        if (e instanceof InputRejected) diagnostics.push(e.diagnostic({ file }));
        continue;
      }
      if (name.endsWith('.repo')) appendAll(out, parseRepoFile(text, fileName, file, diagnostics));
      else if (name.endsWith('.sources')) appendAll(out, parseDeb822(text, fileName).map(unlocated));
      else if (name.endsWith('.list')) appendAll(out, parseSourcesList(text, fileName).map(unlocated));
    }
  }
  return out;
}

const unlocated = (repo: Repository): LocatedRepository => ({ repo, urls: [] });
const words = (v: string) => v.split(/[\s,]+/).filter(Boolean);

export interface RepoPosition {
  line: number;
  column: number;
}

/** A repository with where it was written: its section header and each of its URLs. */
export interface LocatedRepository {
  repo: Repository;
  at?: RepoPosition;
  urls: RepoPosition[];
}

export function parseRepoFile(
  text: string,
  fileName: string,
  file: string,
  diagnostics: Diagnostic[],
): LocatedRepository[] {
  const repos = new Map<string, LocatedRepository>();
  const parsed = parseRepoIni(text);
  for (const p of parsed.problems) {
    diagnostics.push(
      diag(
        mkosiCodes.repoLineUnread,
        {
          path: fileName,
          text: p.text,
          why: p.kind === 'outside-section' ? 'it comes before any [section]' : 'it is not key=value',
        },
        { file, line: p.line, column: p.column },
      ),
    );
  }
  for (const e of parsed.entries) {
    let located = repos.get(e.section);
    if (!located) {
      const type = 'rpm-md';
      located = { repo: { id: e.section, type, urls: [], fileName }, at: e.sectionAt, urls: [] };
      repos.set(e.section, located);
    }
    const r = located.repo;
    const value = joinedValue(e);
    const k = e.key.toLowerCase();
    if (applyPlainRepoKey(r, k, value, dnfBoolean)) continue;
    switch (k) {
      case 'name':
        r.name = value;
        break;
      case 'baseurl':
        for (const w of valueWords(e)) {
          r.urls.push(w.text);
          located.urls.push({ line: w.line, column: w.column });
        }
        break;
      case 'priority':
      case 'cost': {
        // dnf takes whole numbers only; anything else must not reach the IR as NaN
        const n = /^\s*-?\d+\s*$/.test(value) ? Number(value) : undefined;
        if (n !== undefined) r[k] = n;
        else
          diagnostics.push(
            diag(
              mkosiCodes.repoFile,
              {
                path: fileName,
                detail: `${e.key}=${value.slice(0, 40)} is not a whole number; not lowered`,
              },
              { file, line: e.line, column: e.column },
            ),
          );
        break;
      }
      default:
        diagnostics.push(
          diag(
            mkosiCodes.repoFile,
            { path: fileName, detail: `${e.key}= of [${e.section}] has no IR field; not lowered` },
            { file, line: e.line, column: e.column },
          ),
        );
    }
  }
  return [...repos.values()];
}

export function parseDeb822(text: string, fileName: string): Repository[] {
  const out: Repository[] = [];
  const base = fileName
    .split('/')
    .pop()!
    .replace(/\.sources$/, '');
  const stanzas = text.replace(/^\uFEFF/, '').split(/\r?\n[ \t]*\r?\n/);
  for (const stanza of stanzas) {
    const fields: Record<string, string> = {};
    let last = '';
    for (const line of stanza.split(/\r?\n/)) {
      if (line.startsWith('#')) continue;
      if (/^[ \t]/.test(line) && last) {
        fields[last] += `\n${line.trim()}`;
        continue;
      }
      const i = line.indexOf(':');
      if (i < 0) continue;
      last = line.slice(0, i).trim().toLowerCase();
      fields[last] = line.slice(i + 1).trim();
    }
    if (!fields.uris) continue;
    const r: Repository = {
      id: `${base}-${out.length + 1}`,
      type: 'apt-deb822',
      urls: words(fields.uris),
      fileName,
    };
    if (fields.suites) r.suites = words(fields.suites);
    if (fields.components) r.components = words(fields.components);
    if (fields['signed-by']) r.gpgKeys = [fields['signed-by']];
    if (fields.enabled) r.enabled = aptBoolean(fields.enabled);
    out.push(r);
  }
  return out;
}

export function parseSourcesList(text: string, fileName: string): Repository[] {
  const out: Repository[] = [];
  const base = fileName
    .split('/')
    .pop()!
    .replace(/\.list$/, '');
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const r: Repository = {
      id: `${base}-${out.length + 1}`,
      type: 'apt',
      urls: [m[2]!],
      suites: [m[3]!],
      fileName,
    };
    if (m[4]) r.components = words(m[4]);
    const signed = /signed-by=(\S+)/.exec(m[1] ?? '');
    if (signed) r.gpgKeys = [signed[1]!];
    out.push(r);
  }
  return out;
}

function isDir(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** true when every file of the tree is a repository file that `lowerRepositories` reads */
export function holdsOnlyRepositories(tree: string): boolean {
  if (!isDir(tree)) return false;
  let any = false;
  const walk = (dir: string, rel: string): boolean => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!walk(join(dir, e.name), r)) return false;
        continue;
      }
      const folder = r.slice(0, r.lastIndexOf('/'));
      if (!REPO_DIRS.includes(folder) || !/\.(repo|sources|list)$/.test(e.name)) return false;
      any = true;
    }
    return true;
  };
  return walk(tree, '') && any;
}
