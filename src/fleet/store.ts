/**
 * Where the outputs of jobs go. `ArtifactStore` is the seam an S3-compatible store fits
 * (docs/fleet.md, "Artifact store"); `DirectoryStore` is a folder, local or shared:
 *
 *   blobs/sha256/<hex>       the bytes, named by their digest (written once, never changed)
 *   jobs/<job id>.json       the record: each output file's name, size and digest
 *   tmp/<host>-<pid>-<n>     uploads under way
 *
 * A blob appears by rename once complete, and a record by link(2), which fails when one exists:
 * the first attempt of a job to finish wins and a retried or duplicate attempt gets that same
 * record back, so a job never has two versions. Uploads of a dead process are reaped on start.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { processAlive } from '../exec/lock.js';

export interface ArtifactFile {
  /** the name the build gave it (a directory output is stored as `<name>.tar`) */
  name: string;
  sha256: string;
  sizeBytes: number;
}

export interface ArtifactRecord {
  jobId: string;
  files: ArtifactFile[];
  storedAt: string;
}

export interface ArtifactStore {
  /** a description for logs: a folder path or an s3:// URL */
  readonly location: string;
  /** Stores the files (name → local path) for the job; returns the job's one record. */
  put(jobId: string, files: { name: string; path: string }[]): Promise<ArtifactRecord>;
  record(jobId: string): Promise<ArtifactRecord | undefined>;
  /** a local path to read a stored file from (a directory store hands out the blob itself) */
  pathOf(file: ArtifactFile): string;
  /** Removes uploads that a dead process of this host left behind. */
  reapPartial(): Promise<string[]>;
}

export class DirectoryStore implements ArtifactStore {
  private counter = 0;
  constructor(readonly location: string) {}

  private dir(...parts: string[]) {
    return join(this.location, ...parts);
  }

  pathOf(file: ArtifactFile): string {
    return this.dir('blobs', 'sha256', file.sha256);
  }

  async record(jobId: string): Promise<ArtifactRecord | undefined> {
    const text = await readFile(this.dir('jobs', `${safeId(jobId)}.json`), 'utf8').catch(() => undefined);
    return text ? (JSON.parse(text) as ArtifactRecord) : undefined;
  }

  async put(jobId: string, files: { name: string; path: string }[]): Promise<ArtifactRecord> {
    const existing = await this.record(jobId);
    if (existing) return existing;
    await Promise.all(['blobs/sha256', 'jobs', 'tmp'].map((d) => mkdir(this.dir(d), { recursive: true })));
    const stored: ArtifactFile[] = [];
    for (const f of files) stored.push({ name: f.name, ...(await this.putBlob(f.path)) });
    const record: ArtifactRecord = { jobId, files: stored, storedAt: new Date().toISOString() };
    const temp = this.tempPath();
    await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`);
    try {
      await link(temp, this.dir('jobs', `${safeId(jobId)}.json`));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // another attempt of this job finished first: its record is the job's only version
      return (await this.record(jobId))!;
    } finally {
      await rm(temp, { force: true });
    }
    return record;
  }

  private tempPath(): string {
    this.counter += 1;
    return this.dir('tmp', `${hostname()}-${process.pid}-${this.counter}-${randomBytes(4).toString('hex')}`);
  }

  private async putBlob(path: string): Promise<{ sha256: string; sizeBytes: number }> {
    const temp = this.tempPath();
    const hash = createHash('sha256');
    try {
      await pipeline(
        createReadStream(path),
        async function* (source) {
          for await (const chunk of source) {
            hash.update(chunk as Buffer);
            yield chunk;
          }
        },
        createWriteStream(temp, { mode: 0o644 }),
      );
      const sha256 = hash.digest('hex');
      const sizeBytes = (await stat(temp)).size;
      const final = this.pathOf({ name: '', sha256, sizeBytes });
      if (await stat(final).catch(() => undefined)) await rm(temp, { force: true });
      else await rename(temp, final);
      return { sha256, sizeBytes };
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }

  async reapPartial(): Promise<string[]> {
    const removed: string[] = [];
    const prefix = `${hostname()}-`;
    for (const name of await readdir(this.dir('tmp')).catch(() => [] as string[])) {
      if (!name.startsWith(prefix)) continue;
      const pid = Number(name.slice(prefix.length).split('-')[0]);
      if (!pid || processAlive(pid)) continue;
      await rm(this.dir('tmp', name), { recursive: true, force: true });
      removed.push(name);
    }
    return removed;
  }
}

/** Job ids are imgc's own (`img-…`, `rel-…`), but a record name must never be a path. */
function safeId(jobId: string): string {
  return jobId.replace(/[^A-Za-z0-9_.-]/g, '_');
}
