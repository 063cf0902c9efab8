/**
 * Reading repository metadata for `lockPackages`: a file under a repository's base URL
 * (file://, a plain path, or http(s)), gunzipped when it is gzip, and the few tar members a
 * pacman database is made of. The resolvers decide what is installed; this only looks up
 * the digests their repositories publish.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** Bytes of `path` under `base`; throws with the URL in the message when it cannot be read. */
export async function repositoryFile(base: string, path: string): Promise<Buffer> {
  const url = path ? `${base.replace(/\/+$/, '')}/${path}` : base;
  if (url.startsWith('/')) return readFile(url);
  if (url.startsWith('file://')) return readFile(fileURLToPath(url));
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** The bytes, gunzipped when they are gzip; other compressions are refused by name. */
export function decompressed(bytes: Buffer, name: string): Buffer {
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) return gunzipSync(bytes);
  if (/\.(zst|xz|bz2)$/.test(name)) throw new Error(`${name}: only gzip-compressed metadata can be read`);
  return bytes;
}

/** Regular-file members of a ustar/pax archive, by path (pax headers and links are skipped). */
export function tarMembers(archive: Buffer): Map<string, Buffer> {
  const members = new Map<string, Buffer>();
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('latin1')
        .replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const type = field(156, 1);
    const body = offset + 512;
    if (type === '0' || type === '') members.set(name, archive.subarray(body, body + size));
    offset = body + Math.ceil(size / 512) * 512;
  }
  return members;
}

/** `key=value` lines of the first `[section]` … pairs of an ini-like text (.repo files), by section. */
export function iniSections(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!, current);
    } else if (current && /^[\w.-]+\s*=/.test(line)) {
      const at = line.indexOf('=');
      const key = line.slice(0, at).trim();
      if (!current.has(key)) current.set(key, line.slice(at + 1).trim());
    }
  }
  return sections;
}
