/** Copies files onto an existing FAT filesystem with mtools, replacing what is there (loader.conf). */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EntryFile } from '../disk/boot-entries.js';
import { runTool } from '../shared/run.js';

/** `at` is mtools' image@@offset; `stage` an empty work folder. */
export async function writeEspFiles(
  at: string,
  stage: string,
  files: EntryFile[],
  run: { output: string; signal?: AbortSignal },
): Promise<void> {
  for (const f of files) {
    const target = join(stage, f.path);
    await mkdir(dirname(target), { recursive: true });
    if (f.from !== undefined) await symlink(f.from, target);
    else await writeFile(target, f.text ?? '');
  }
  const tops = [...new Set(files.map((f) => f.path.split('/')[0]!))].sort();
  await runTool('mcopy', ['-s', '-o', '-Q', '-i', at, ...tops.map((t) => join(stage, t)), '::/'], run);
}
