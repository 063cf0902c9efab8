/**
 * A definition travels in its job: the regular files of its folder (the definition and what it
 * names: overlays, scripts, includes), so a worker on another machine builds the same input.
 * Paths are relative to the folder; the worker writes them below a fresh folder of its own,
 * refusing anything that would land outside it.
 */
import { lstat, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fleetCodes } from '../diagnostics/codes/fleet.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { appendAll } from '../input/append.js';

/** Job data lives in Redis: keep a job well below what Redis handles comfortably per key. */
export const BUNDLE_LIMIT_BYTES = 32 * 1024 ** 2;

export interface BundledFile {
  path: string;
  mode: number;
  base64: string;
}

export interface DefinitionBundle {
  /** the definition's path inside the bundle ('.' for a folder definition) */
  entry: string;
  /** where it was submitted from, so diagnostics name the user's own file */
  origin: string;
  files: BundledFile[];
}

export async function bundleDefinition(
  path: string,
  limit = BUNDLE_LIMIT_BYTES,
): Promise<{ bundle?: DefinitionBundle; diagnostics: Diagnostic[] }> {
  const absolute = resolve(path);
  const info = await stat(absolute);
  const root = info.isDirectory() ? absolute : dirname(absolute);
  const files: BundledFile[] = [];
  let bytes = 0;
  for (const file of await regularFiles(root)) {
    const s = await stat(file);
    bytes += s.size;
    if (bytes > limit)
      return { diagnostics: [diag(fleetCodes.definitionTooLarge, { path, bytes, limit }, { file: path })] };
    files.push({
      path: relative(root, file),
      mode: s.mode & 0o7777,
      base64: (await readFile(file)).toString('base64'),
    });
  }
  return {
    bundle: {
      entry: info.isDirectory() ? '.' : basename(absolute),
      origin: absolute,
      files,
    },
    diagnostics: [],
  };
}

async function regularFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) appendAll(out, await regularFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

/** Writes the bundle below `dir`; returns the definition's path there. */
export async function unpackBundle(bundle: DefinitionBundle, dir: string): Promise<string> {
  const root = resolve(dir);
  for (const f of bundle.files) {
    const target = resolve(root, f.path);
    if (!target.startsWith(`${root}${sep}`)) throw new Error(`bundle path ${f.path} leaves the folder`);
    await mkdir(dirname(target), { recursive: true });
    if (await lstat(target).catch(() => undefined)) throw new Error(`bundle path ${f.path} is given twice`);
    await writeFile(target, Buffer.from(f.base64, 'base64'), { mode: f.mode & 0o777 });
  }
  return bundle.entry === '.' ? root : join(root, bundle.entry);
}

/** A diagnostic about a file of the unpacked bundle names the file the user submitted. */
export function originOf(bundle: DefinitionBundle, unpacked: string, d: Diagnostic): Diagnostic {
  if (!d.file) return d;
  const originRoot = bundle.entry === '.' ? bundle.origin : dirname(bundle.origin);
  const rel = relative(unpacked, resolve(unpacked, d.file));
  if (rel.startsWith('..')) return d;
  return { ...d, file: join(originRoot, rel) };
}
