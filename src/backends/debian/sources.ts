/**
 * apt sources: reading the host's (deb822 `*.sources` and one-line `sources.list`) to find
 * the configured mirror, and writing the deb822 text a build uses. The mirror is always
 * taken from the host or the definition, never from a built-in list.
 */

import { appendAll } from '../../input/append.js';
import type { Repository } from '../../ir/schema.js';

export interface AptSource {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
  signedBy?: string;
}

export function parseDeb822Sources(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of text.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last = '';
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      if (/^\s/.test(line) && last) {
        fields.set(last, `${fields.get(last)}\n${line.trim()}`);
        continue;
      }
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      last = line.slice(0, colon).trim().toLowerCase();
      fields.set(last, line.slice(colon + 1).trim());
    }
    if (fields.get('enabled')?.toLowerCase() === 'no') continue;
    const words = (key: string) => (fields.get(key) ?? '').split(/\s+/).filter(Boolean);
    if (!fields.has('uris')) continue;
    const source: AptSource = {
      types: words('types'),
      uris: words('uris'),
      suites: words('suites'),
      components: words('components'),
    };
    const signedBy = fields.get('signed-by');
    if (signedBy && !signedBy.includes('\n')) source.signedBy = signedBy;
    out.push(source);
  }
  return out;
}

export function parseOneLineSources(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const source: AptSource = {
      types: [m[1]!],
      uris: [m[3]!],
      suites: [m[4]!],
      components: m[5]!.split(/\s+/).filter(Boolean),
    };
    const signed = /signed-by=(\S+)/.exec(m[2] ?? '');
    if (signed) source.signedBy = signed[1];
    out.push(source);
  }
  return out;
}

/** Every enabled `deb` source of the host, with the files they came from. */
export function hostSources(read: (path: string) => string | undefined, list: (dir: string) => string[]) {
  const looked = [
    '/etc/apt/sources.list',
    '/etc/apt/sources.list.d/*.sources',
    '/etc/apt/sources.list.d/*.list',
  ];
  const sources: AptSource[] = [];
  const main = read('/etc/apt/sources.list');
  if (main) appendAll(sources, parseOneLineSources(main));
  for (const name of list('/etc/apt/sources.list.d').sort()) {
    const text = read(`/etc/apt/sources.list.d/${name}`);
    if (!text) continue;
    if (name.endsWith('.sources')) appendAll(sources, parseDeb822Sources(text));
    else if (name.endsWith('.list')) appendAll(sources, parseOneLineSources(text));
  }
  return { sources: sources.filter((s) => s.types.includes('deb')), looked: looked.join(', ') };
}

/** Repository (IR) → one deb822 stanza. */
export function deb822Stanza(repo: Repository, fallbackSuite: string): string {
  const lines = [
    'Types: deb',
    `URIs: ${repo.urls.join(' ')}`,
    `Suites: ${(repo.suites?.length ? repo.suites : [fallbackSuite]).join(' ')}`,
    `Components: ${(repo.components?.length ? repo.components : ['main']).join(' ')}`,
  ];
  const keyFile = repo.gpgKeys?.find((k) => k.startsWith('/'));
  if (keyFile) lines.push(`Signed-By: ${keyFile}`);
  if (repo.gpgCheck === false) lines.push('Trusted: yes');
  return lines.join('\n');
}

export function deb822Text(repos: Repository[], fallbackSuite: string): string {
  return `${repos.map((r) => deb822Stanza(r, fallbackSuite)).join('\n\n')}\n`;
}
