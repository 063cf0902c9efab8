/** The `*.repo` files beside a treefile: dnf INI sections, the repositories `repos:` names. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readInputText } from '../../../input/bounded.js';
import type { SourcePosition } from '../../../ir/positions.js';
import type { Repository } from '../../../ir/schema.js';

export interface RepoSection {
  repo: Repository;
  at: SourcePosition;
}

const BOOL = (v: string) => /^(1|yes|true|on)$/i.test(v.trim());

function lower(id: string, fileName: string, keys: Map<string, string>): Repository {
  const repo: Repository = { id, urls: [], fileName };
  const list = (v: string) => v.split(/[\s,]+/).filter(Boolean);
  for (const [k, v] of keys) {
    if (k === 'name') repo.name = v;
    else if (k === 'baseurl') repo.urls = list(v);
    else if (k === 'metalink') repo.metalink = v;
    else if (k === 'mirrorlist') repo.mirrorlist = v;
    else if (k === 'enabled') repo.enabled = BOOL(v);
    else if (k === 'gpgcheck') repo.gpgCheck = BOOL(v);
    else if (k === 'repo_gpgcheck') repo.repoGpgCheck = BOOL(v);
    else if (k === 'gpgkey') repo.gpgKeys = list(v);
    else if (k === 'sslverify') repo.sslVerify = BOOL(v);
    else if (k === 'priority' && /^-?\d+$/.test(v)) repo.priority = Number(v);
    else if (k === 'cost' && /^-?\d+$/.test(v)) repo.cost = Number(v);
    else if (k === 'exclude' || k === 'excludepkgs') repo.excludePackages = list(v);
    else if (k === 'includepkgs') repo.includePackages = list(v);
  }
  return repo;
}

/** Every section of every `*.repo` file in `dir`, by section name (the first file wins). */
export async function readRepoFiles(
  dir: string,
): Promise<{ sections: Map<string, RepoSection>; files: string[] }> {
  const sections = new Map<string, RepoSection>();
  const files: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.repo'))
      .sort();
  } catch {
    return { sections, files };
  }
  for (const name of names) {
    const path = join(dir, name);
    let text: string;
    try {
      text = await readInputText(path);
    } catch {
      continue;
    }
    files.push(path);
    let current: { id: string; at: SourcePosition; keys: Map<string, string> } | undefined;
    let lastKey: string | undefined;
    const flush = () => {
      if (current && !sections.has(current.id))
        sections.set(current.id, { repo: lower(current.id, name, current.keys), at: current.at });
    };
    for (const [i, raw] of text.replace(/\r\n?/g, '\n').split('\n').entries()) {
      const line = raw.replace(/^\uFEFF/, '');
      if (/^\s*[#;]/.test(line) || !line.trim()) continue;
      const section = /^\s*\[([^\]]+)\]/.exec(line);
      if (section) {
        flush();
        current = { id: section[1]!.trim(), at: { file: path, line: i + 1, column: 1 }, keys: new Map() };
        lastKey = undefined;
        continue;
      }
      if (!current) continue;
      if (/^\s/.test(line) && lastKey) {
        current.keys.set(lastKey, `${current.keys.get(lastKey)} ${line.trim()}`);
        continue;
      }
      const kv = /^([^=]+)=(.*)$/.exec(line);
      if (kv) {
        lastKey = kv[1]!.trim().toLowerCase();
        current.keys.set(lastKey, kv[2]!.trim());
      }
    }
    flush();
  }
  return { sections, files };
}
