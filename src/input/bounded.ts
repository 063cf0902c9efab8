/**
 * The one way imgc reads a file that a definition names: the main file, its includes, scripts,
 * drop-ins, file sources. Only regular files are read (opened with O_NONBLOCK and checked with
 * fstat, so a FIFO cannot block and a device cannot stream forever), and no file may be larger
 * than the input size limit. A refusal is an `InputRejected` that callers turn into a
 * positioned diagnostic; any other error (ENOENT, EACCES) is the file system's own.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { coreCodes } from '../diagnostics/codes/core.js';
import { type CodeDef, diag } from '../diagnostics/define.js';
import type { Diagnostic, Location } from '../diagnostics/types.js';

/** 16 MiB: about 200 times the largest real definition file in the corpus (85 KB). */
export const DEFAULT_MAX_INPUT_MB = 16;
/** Nesting depth of JSON, TOML, YAML and XML documents that readers and printers accept. */
export const MAX_NESTING = 256;
/** All lines a definition's includes may add up to, counting repeats (the largest real one: 510). */
export const MAX_INCLUDED_LINES = 100_000;

/**
 * Lines of one line-based definition file (kickstart): each costs the reader about 1 KB while it
 * reads (words, commands, a diagnostic), and 16 MiB of two-byte lines would be 8 million of them.
 */
export const MAX_DEFINITION_LINES = 100_000;

/** Diagnostics one definition may produce before the rest are only counted (IMGC1054). */
export const MAX_DIAGNOSTICS = 1000;

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

export class InputRejected extends Error {
  constructor(
    readonly def: CodeDef<any>,
    readonly params: Record<string, unknown>,
  ) {
    super(def.message(params));
    this.name = 'InputRejected';
  }

  diagnostic(at: Location = {}): Diagnostic {
    return diag(this.def, this.params, at);
  }
}

/** The limit in bytes: IMGC_MAX_INPUT_MB when it is a positive number, else the default. */
export function maxInputBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.IMGC_MAX_INPUT_MB);
  return Math.floor((Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MAX_INPUT_MB) * 1024 * 1024);
}

export function readInputBytesSync(path: string, limit = maxInputBytes()): Buffer {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    checkStats(path, fstatSync(fd), limit);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw tooLarge(path, total, limit);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

export function readInputTextSync(path: string, limit = maxInputBytes()): string {
  return readInputBytesSync(path, limit).toString('utf8');
}

/**
 * The same read, synchronously: a definition file is small, and each await was a thread-pool
 * round trip (open, fstat, read, close), the worker idle in between (a fifth of the fuzz
 * worker's time at load 20). Kept async for the readers that await it.
 */
export async function readInputBytes(path: string, limit = maxInputBytes()): Promise<Buffer> {
  return readInputBytesSync(path, limit);
}

export async function readInputText(path: string, limit = maxInputBytes()): Promise<string> {
  return (await readInputBytes(path, limit)).toString('utf8');
}

/** Throws InputRejected unless `stats` (of an opened file or an lstat) is a regular file within the limit. */
export function checkStats(path: string, stats: Stats, limit = maxInputBytes()): void {
  if (!stats.isFile()) throw new InputRejected(coreCodes.inputNotRegular, { path, kind: kindOf(stats) });
  if (stats.size > limit) throw tooLarge(path, stats.size, limit);
}

export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'folder';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  if (stats.isSocket()) return 'socket';
  if (stats.isSymbolicLink()) return 'symbolic link';
  return 'regular file';
}

function tooLarge(path: string, size: number, limit: number): InputRejected {
  return new InputRejected(coreCodes.inputTooLarge, {
    path,
    size: size > limit ? `over ${mib(limit)}` : mib(size),
    limit: mib(limit),
  });
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

/** The diagnostic for an error reading `path`: InputRejected as itself, anything else as IMGC1001. */
export function readFailure(e: unknown, path: string, at: Location = { file: path }): Diagnostic {
  if (e instanceof InputRejected) return e.diagnostic(at);
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const reason = code === 'ENOENT' ? 'no such file or folder' : e instanceof Error ? e.message : String(e);
  return diag(coreCodes.fileNotFound, { path, reason }, at);
}
