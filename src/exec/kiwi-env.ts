/**
 * KIWI's script environment in the tree: /.kconfig (imgc's helper functions) and /.profile
 * (the kiwi_* variables) exist while the script runs and are removed afterwards, as KIWI
 * removes them; a file of that name the tree had before is put back.
 */
import { lstat, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kconfigText, profileText } from '../ir/kiwi-script-env/index.js';

const KCONFIG = '.kconfig';
const PROFILE = '.profile';

type Kept = { link: string } | { data: Buffer } | undefined;

/** What the tree had at the path, read without following a symlink out of the tree. */
async function existing(path: string): Promise<Kept> {
  try {
    const st = await lstat(path);
    if (st.isSymbolicLink()) return { link: await readlink(path) };
    return st.isFile() ? { data: await readFile(path) } : undefined;
  } catch {
    return undefined;
  }
}

async function restore(path: string, kept: Kept): Promise<void> {
  if (kept && 'link' in kept) await symlink(kept.link, path);
  else if (kept) await writeFile(path, kept.data);
}

export async function withKiwiEnv<T>(
  tree: string,
  variables: Record<string, string>,
  run: () => Promise<T>,
): Promise<T> {
  const files = [
    { path: join(tree, KCONFIG), text: kconfigText() },
    { path: join(tree, PROFILE), text: profileText(variables) },
  ];
  const before = await Promise.all(files.map((f) => existing(f.path)));
  try {
    for (const f of files) {
      await rm(f.path, { force: true });
      await writeFile(f.path, f.text, { mode: 0o644 });
    }
    return await run();
  } finally {
    for (const [i, f] of files.entries()) {
      await rm(f.path, { force: true });
      await restore(f.path, before[i]);
    }
  }
}
