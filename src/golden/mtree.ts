/** The manifest as an mtree v2 specification (full-path form), for `mtree -f` or `bsdtar`. */
import type { GoldenManifest, ManifestPath } from './schema.js';

/** vis(3)-style octal escapes for what mtree cannot hold as it is: whitespace, '#', '\', non-ASCII. */
export function mtreeEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s)) {
    const c = String.fromCharCode(byte);
    out +=
      byte <= 0x20 || byte >= 0x7f || c === '#' || c === '\\' || c === '='
        ? `\\${byte.toString(8).padStart(3, '0')}`
        : c;
  }
  return out;
}

const mtreeType: Record<ManifestPath['type'], string> = {
  file: 'file',
  dir: 'dir',
  symlink: 'link',
  fifo: 'fifo',
  socket: 'socket',
  char: 'char',
  block: 'block',
};

function line(p: ManifestPath): string {
  const name = p.path === '/' ? '.' : `.${mtreeEscape(p.path)}`;
  const keys = [`type=${mtreeType[p.type]}`, `mode=${p.mode}`, `uid=${p.uid}`, `gid=${p.gid}`];
  if (p.size !== undefined) keys.push(`size=${p.size}`);
  if (p.sha256) keys.push(`sha256digest=${p.sha256}`);
  if (p.target !== undefined) keys.push(`link=${mtreeEscape(p.target)}`);
  if (p.device) keys.push(`device=linux,${p.device}`);
  return `${name} ${keys.join(' ')}`;
}

export function toMtree(m: GoldenManifest): string {
  return `#mtree v2.0\n# imgc golden manifest of ${m.os.prettyName ?? m.os.id}\n${m.paths.map(line).join('\n')}\n`;
}
