/** authorized_keys for an account, written inside the tree whatever its home says. */
import { chmod, chown, readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { existingInTree, mkdirInTree, writeFileInTree } from '../../exec/tree-path.js';

/** uid, gid and home of a user, read from the tree's /etc/passwd. */
export async function passwdEntry(tree: string, user: string) {
  const passwd = await readFile(await existingInTree(tree, '/etc/passwd'), 'utf8');
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f[0] === user) return { uid: Number(f[2]), gid: Number(f[3]), home: f[5] || `/home/${user}` };
  }
  return undefined;
}

export async function writeAuthorizedKeys(tree: string, user: string, keys: string[]): Promise<void> {
  if (!keys.length) return;
  const ids = await passwdEntry(tree, user);
  if (!ids) throw new Error(`user ${user} is not in /etc/passwd`);
  const sshDir = posix.join('/', ids.home, '.ssh');
  const dir = await mkdirInTree(tree, sshDir);
  const file = await writeFileInTree(tree, `${sshDir}/authorized_keys`, `${keys.join('\n')}\n`, 0o600);
  await chmod(dir, 0o700);
  await chown(dir, ids.uid, ids.gid);
  await chown(file, ids.uid, ids.gid);
}
