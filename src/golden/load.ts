/** Reads a golden manifest file: JSON, the schema version this imgc writes, the schema's shape. */
import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { GoldenManifest, MANIFEST_VERSION } from './schema.js';

export class ManifestLoadError extends Error {
  constructor(
    readonly reason: 'unreadable' | 'version' | 'invalid',
    message: string,
    readonly at: { line?: number; column?: number } = {},
    readonly detail: { found?: string; where?: string } = {},
  ) {
    super(message);
  }
}

function lineColumn(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

export async function loadManifest(path: string): Promise<GoldenManifest> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new ManifestLoadError('unreadable', e.code === 'ENOENT' ? 'no such file' : e.message);
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const offset = /position (\d+)/.exec(String(e))?.[1];
    throw new ManifestLoadError(
      'unreadable',
      `not JSON: ${(e as Error).message}`,
      offset ? lineColumn(text, Number(offset)) : {},
    );
  }
  const version = (data as { manifestVersion?: unknown } | null)?.manifestVersion;
  if (version !== MANIFEST_VERSION)
    throw new ManifestLoadError(
      'version',
      'another manifest version',
      {},
      { found: JSON.stringify(version) ?? 'none' },
    );
  const first = Value.Errors(GoldenManifest, data).First();
  if (first) throw new ManifestLoadError('invalid', first.message, {}, { where: first.path || '/' });
  return data as GoldenManifest;
}
