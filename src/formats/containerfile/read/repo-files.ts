/** Repository files a Containerfile copies in: dnf `.repo` (INI) and apt deb822 `.sources`. */

import { appendAll } from '../../../input/append.js';
import type { Repository } from '../../../ir/schema.js';
import { applyPlainRepoKey } from '../../shared/dnf-repo-keys.js';
import { aptBoolean, dnfBoolean } from '../../shared/repo-booleans.js';

const list = (v: string) => v.split(/[\s,]+/).filter(Boolean);

export function parseDnfRepoFile(text: string, fileName: string): Repository[] {
  const repos: Repository[] = [];
  let cur: Repository | undefined;
  let lastKey = '';
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*[#;]/.test(raw) || raw.trim() === '') continue;
    const section = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (section) {
      cur = { id: section[1]!.trim(), type: 'rpm-md', urls: [], fileName };
      repos.push(cur);
      lastKey = '';
      continue;
    }
    if (!cur) continue;
    if (/^\s/.test(raw) && lastKey) {
      applyRepoKey(cur, lastKey, raw.trim(), true);
      continue;
    }
    const kv = /^([\w.-]+)\s*=\s*(.*)$/.exec(raw.trim());
    if (!kv) continue;
    lastKey = kv[1]!.toLowerCase();
    applyRepoKey(cur, lastKey, kv[2]!.trim(), false);
  }
  return repos;
}

function applyRepoKey(r: Repository, key: string, value: string, continued: boolean): void {
  if (applyPlainRepoKey(r, key, value, dnfBoolean)) return;
  switch (key) {
    case 'name':
      r.name = continued ? `${r.name ?? ''} ${value}` : value;
      break;
    case 'baseurl':
      appendAll(r.urls, list(value));
      break;
    case 'priority':
      if (/^-?\d+$/.test(value)) r.priority = Number(value);
      break;
    case 'cost':
      if (/^-?\d+$/.test(value)) r.cost = Number(value);
      break;
    case 'proxy':
      r.proxy = value;
      break;
    case 'username':
      r.username = value;
      break;
    case 'password':
      r.password = value;
      break;
  }
}

/** deb822 stanzas; the id is the file name stem, with `-N` for later stanzas. */
export function parseDeb822Sources(text: string, fileName: string): Repository[] {
  const stem = fileName.replace(/\.sources$/, '');
  const repos: Repository[] = [];
  for (const [n, stanza] of text.split(/\r?\n\s*\r?\n/).entries()) {
    const fields = new Map<string, string>();
    let last = '';
    for (const raw of stanza.split(/\r?\n/)) {
      if (raw.startsWith('#') || raw.trim() === '') continue;
      if (/^\s/.test(raw) && last) {
        fields.set(last, `${fields.get(last)}\n${raw.trim()}`);
        continue;
      }
      const kv = /^([\w-]+):\s*(.*)$/.exec(raw);
      if (!kv) continue;
      last = kv[1]!.toLowerCase();
      fields.set(last, kv[2]!.trim());
    }
    if (!fields.has('uris')) continue;
    const r: Repository = {
      id: n === 0 ? stem : `${stem}-${n}`,
      type: 'apt-deb822',
      urls: list(fields.get('uris')!),
      fileName,
    };
    if (fields.has('suites')) r.suites = list(fields.get('suites')!);
    if (fields.has('components')) r.components = list(fields.get('components')!);
    if (fields.has('enabled')) r.enabled = aptBoolean(fields.get('enabled')!);
    const signedBy = fields.get('signed-by');
    if (signedBy !== undefined) r.gpgKeys = signedBy.includes('-----BEGIN') ? [signedBy] : list(signedBy);
    repos.push(r);
  }
  return repos;
}
