/**
 * What makes two SBOMs of the same image identical: package URLs, a document id hashed from
 * the manifest, and a creation time from SOURCE_DATE_EPOCH or the image itself.
 */
import { createHash } from 'node:crypto';
import { PackageURL } from 'packageurl-js';
import type { GoldenManifest, ManifestPackage } from '../schema.js';

const purlType = { dpkg: 'deb', rpm: 'rpm', pacman: 'alpm', none: 'generic' } as const;

export function purlOf(m: GoldenManifest, p: ManifestPackage): string {
  const qualifiers: Record<string, string> = { arch: p.architecture };
  if (m.os.versionId) qualifiers.distro = `${m.os.id}-${m.os.versionId}`;
  return new PackageURL(
    purlType[m.packageDatabase],
    m.os.id,
    p.name,
    p.version,
    qualifiers,
    undefined,
  ).toString();
}

/** sha256 of the manifest's content (packages and paths): the same image gives the same id. */
export function imageDigest(m: GoldenManifest): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(m.os));
  for (const p of m.packages) hash.update(`${JSON.stringify(p)}\n`);
  for (const p of m.paths) hash.update(`${JSON.stringify(p)}\n`);
  return hash.digest('hex');
}

/** An RFC 4122 version-5-shaped UUID from the digest (CycloneDX serial numbers are UUID URNs). */
export function uuidOf(digest: string): string {
  const h = digest.slice(0, 32).split('');
  h[12] = '5';
  h[16] = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

export class SourceDateEpochError extends Error {}

/**
 * SOURCE_DATE_EPOCH when set; otherwise `imageTime`, the newest modification time of the
 * files the package database lists (they carry the packages' own times, so the same
 * package set gives the same time). Whole seconds, UTC.
 */
export function creationTime(
  imageTime: Date,
  env: NodeJS.ProcessEnv = process.env,
): { date: Date; from: string } {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) throw new SourceDateEpochError(epoch);
    return { date: new Date(Number(epoch) * 1000), from: 'SOURCE_DATE_EPOCH' };
  }
  return { date: new Date(Math.floor(imageTime.getTime() / 1000) * 1000), from: 'the newest packaged file' };
}

export const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
