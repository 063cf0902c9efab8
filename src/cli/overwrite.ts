/**
 * `translate -o DIR` into a folder that already holds files: a file that would change is
 * refused without --force (a hand edit there would be lost), with a unified diff of the change.
 * Files that are already identical are fine: translating twice is not an error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { cliCodes } from '../diagnostics/codes/cli.js';
import { diag } from '../diagnostics/define.js';
import { redactSecrets } from '../diagnostics/redact.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { OutputFile } from '../formats/contract.js';

export interface Overwrite {
  path: string;
  /** `diff -u` of the file on disk against what would be written; undefined for binary files */
  diff?: string;
}

/** The files under `dir` that exist and differ from what `files` would write there. */
export async function changedFiles(dir: string, files: readonly OutputFile[]): Promise<Overwrite[]> {
  const changed: Overwrite[] = [];
  for (const file of files) {
    const target = join(dir, normalize(file.path));
    // nothing under a target that does not exist can differ: a copied folder is not read for it
    if (!existsSync(target)) continue;
    for (const [path, wanted] of await wantedContents(target, file)) {
      const existing = readIfThere(path);
      if (existing === undefined || existing.equals(wanted)) continue;
      changed.push({ path, ...unifiedDiff(path, existing, wanted) });
    }
  }
  return changed;
}

/** The bytes of a file, or undefined when it cannot be read (most often: it does not exist yet). */
function readIfThere(path: string): Buffer | undefined {
  // most targets do not exist yet: asking first builds no exception for them
  if (!existsSync(path)) return undefined;
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

export function overwriteDiagnostics(changed: readonly Overwrite[]): Diagnostic[] {
  return changed.map((c) => diag(cliCodes.outputFileDiffers, { path: c.path }, { file: c.path }));
}

/** Each file the OutputFile writes, with its bytes: one for content, every file of a copied folder. */
async function wantedContents(target: string, file: OutputFile): Promise<[string, Buffer][]> {
  if (file.copyFrom === undefined) return [[target, Buffer.from(file.content ?? '')]];
  const info = await stat(file.copyFrom).catch(() => undefined);
  if (!info) return [];
  if (!info.isDirectory()) return [[target, await readFile(file.copyFrom)]];
  const out: [string, Buffer][] = [];
  for (const entry of await readdir(file.copyFrom, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const from = join(entry.parentPath, entry.name);
    out.push([join(target, from.slice(file.copyFrom.length)), await readFile(from)]);
  }
  return out;
}

function unifiedDiff(path: string, existing: Buffer, wanted: Buffer): { diff?: string } {
  if (existing.includes(0) || wanted.includes(0)) return {};
  const result = spawnSync(
    'diff',
    ['-u', '--label', `${path} (on disk)`, '--label', `${path} (translation)`, path, '-'],
    {
      input: wanted,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return result.status === 1 ? { diff: result.stdout } : {};
}

/** A unified diff with the secrets of each line hidden (the +/-/space column kept), as every print is (decision 0075). */
export function redactDiff(diff: string): string {
  return diff
    .split('\n')
    .map((line) =>
      /^[ +-]/.test(line) && !/^(\+\+\+|---) /.test(line) ? line[0] + redactSecrets(line.slice(1)) : line,
    )
    .join('\n');
}
