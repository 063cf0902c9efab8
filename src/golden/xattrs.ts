/**
 * Extended attributes (file capabilities, ACLs, SELinux labels) of a whole tree, read with one
 * `getfattr` run: Node has no xattr API and a native addon would be a build dependency.
 */
import { spawn } from 'node:child_process';
import { appendAll } from '../input/append.js';

export class XattrToolMissing extends Error {}

/** Image path → attribute name → hex value. */
export type XattrTable = Map<string, Record<string, string>>;

export function parseGetfattr(text: string): XattrTable {
  const table: XattrTable = new Map();
  let current: Record<string, string> | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('# file: ')) {
      const rel = unescapeOctal(line.slice(8)).replace(/^\.\/?/, '');
      current = {};
      table.set(`/${rel}`, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0) current[unescapeOctal(line.slice(0, eq))] = line.slice(eq + 1).replace(/^0x/, '');
  }
  return table;
}

/** getfattr writes unusual bytes in names as \ooo. */
function unescapeOctal(s: string): string {
  if (!s.includes('\\')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const m = /^\\([0-7]{3})/.exec(s.slice(i));
    if (m) {
      bytes.push(Number.parseInt(m[1]!, 8));
      i += 3;
    } else appendAll(bytes, Buffer.from(s[i]!));
  }
  return Buffer.from(bytes).toString();
}

export function readXattrs(root: string, paths: string[] = ['.']): Promise<XattrTable> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'getfattr',
      [
        '-R',
        '-P',
        '-d',
        '-m',
        '-',
        '-e',
        'hex',
        '--',
        ...paths.map((p) => `./${p}`.replace(/^\.\/\.$/, '.')),
      ],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      err = (err + b.toString()).slice(-2000);
    });
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new XattrToolMissing('getfattr') : e),
    );
    child.on('close', (code) => {
      // 1: some path could not be read (a dangling name, a socket); the rest is still listed
      if (code !== 0 && code !== 1) reject(new Error(`getfattr exited ${code}: ${err.trim()}`));
      else resolve(parseGetfattr(Buffer.concat(out).toString()));
    });
  });
}
