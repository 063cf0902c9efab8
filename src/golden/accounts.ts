/** Owner and group names as the image's own /etc/passwd and /etc/group give them. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

async function idNames(file: string): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  const text = await readFile(file, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (!name || id === undefined || !/^\d+$/.test(id)) continue;
    if (!names.has(Number(id))) names.set(Number(id), name);
  }
  return names;
}

export async function accountNames(root: string) {
  return {
    users: await idNames(join(root, 'etc/passwd')),
    groups: await idNames(join(root, 'etc/group')),
  };
}
