/** The golden files a build writes beside its outputs: manifest JSON, mtree, AIDE configuration, SBOMs. */
import { readFileSync } from 'node:fs';
import { lstat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toAideConf } from './aide.js';
import { buildManifest, serializeManifest } from './manifest.js';
import { toMtree } from './mtree.js';
import { creationTime } from './sbom/identity.js';
import { toSpdx } from './sbom/spdx.js';
import type { GoldenManifest } from './schema.js';

export type SbomFormat = 'spdx' | 'cyclonedx';

export const goldenFileNames = (base: string) => ({
  manifest: `${base}.manifest.json`,
  mtree: `${base}.mtree`,
  aide: `${base}.aide.conf`,
  spdx: `${base}.spdx.json`,
  cyclonedx: `${base}.cdx.json`,
});

/** imgc's version from its package.json (src/golden and dist/cli both sit two folders below it). */
export function imgcVersion(): string {
  return (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
}

/**
 * The image's own time: the newest modification time of the files its package database
 * lists. Package managers keep the times the packages carry, so the same package set gives
 * the same time on every build. Without a database: the newest regular file.
 */
export async function imageTime(tree: string, m: GoldenManifest): Promise<Date> {
  const owned = m.paths.filter((p) => p.type === 'file' && p.package);
  const files = owned.length ? owned : m.paths.filter((p) => p.type === 'file');
  let newest = 0;
  for (const f of files) {
    const s = await lstat(join(tree, f.path)).catch(() => undefined);
    if (s && s.mtimeMs > newest) newest = s.mtimeMs;
  }
  return new Date(newest);
}

export async function sbomFiles(tree: string, m: GoldenManifest, formats: readonly SbomFormat[]) {
  if (!formats.length) return { files: [] as { format: SbomFormat; text: string }[], createdFrom: '' };
  const { date, from } = creationTime(await imageTime(tree, m));
  const ctx = { created: date, toolVersion: imgcVersion() };
  const files: { format: SbomFormat; text: string }[] = [];
  for (const format of formats) {
    // the CycloneDX library is loaded only for a build that asks for it: every command paid for it
    const text =
      format === 'spdx'
        ? `${JSON.stringify(toSpdx(m, ctx), null, 2)}\n`
        : (await import('./sbom/cyclonedx.js')).toCycloneDx(m, ctx);
    files.push({ format, text });
  }
  return { files, createdFrom: from };
}

/** `pathFor(name)` gives where each file is written (a temporary name the build renames later). */
export async function writeGoldenFiles(
  tree: string,
  base: string,
  pathFor: (name: string) => string,
  sbom: readonly SbomFormat[] = [],
) {
  const manifest = await buildManifest(tree);
  const names = goldenFileNames(base);
  await writeFile(pathFor(names.manifest), serializeManifest(manifest));
  await writeFile(pathFor(names.mtree), toMtree(manifest));
  await writeFile(pathFor(names.aide), toAideConf(manifest));
  const boms = await sbomFiles(tree, manifest, sbom);
  for (const f of boms.files) await writeFile(pathFor(names[f.format]), f.text);
  return { manifest, names, sbomTimeFrom: boms.createdFrom };
}

/** The base name: the first output's file name without its extension. */
export const goldenBaseName = (outputName: string) => outputName.replace(/\.[^./]+$/, '') || outputName;
