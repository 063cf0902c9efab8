import { execFileSync } from 'node:child_process';
import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import {
  DEFAULT_MAX_INPUT_MB,
  InputRejected,
  maxInputBytes,
  readInputText,
  readInputTextSync,
} from '../../src/input/bounded.js';
import { scratchDir, scratchFile } from './scratch.js';

function fifo(): string {
  const path = join(scratchDir(), 'pipe');
  execFileSync('mkfifo', [path]);
  return path;
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (e) {
    return e instanceof InputRejected ? e.def.code : `not refused: ${(e as Error).message}`;
  }
  return undefined;
}

describe('bounded input', () => {
  it('reads a regular file', () => {
    expect(readInputTextSync(scratchFile('a.txt', 'hello'))).toBe('hello');
  });

  it('refuses a FIFO at once instead of blocking on it', async () => {
    const path = fifo();
    const started = Date.now();
    expect(codeOf(() => readInputTextSync(path))).toBe('IMGC1050');
    await expect(readInputText(path)).rejects.toThrow('is a FIFO, not a regular file');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses devices and folders', () => {
    expect(codeOf(() => readInputTextSync('/dev/zero'))).toBe('IMGC1050');
    expect(codeOf(() => readInputTextSync(scratchDir()))).toBe('IMGC1050');
  });

  it('refuses a file over the limit without reading it', () => {
    const path = scratchFile('big.toml', '');
    truncateSync(path, 100 * 1024 * 1024);
    expect(codeOf(() => readInputTextSync(path))).toBe('IMGC1051');
    expect(codeOf(() => readInputTextSync(scratchFile('b', 'x'.repeat(11)), 10))).toBe('IMGC1051');
  });

  it('takes the limit from IMGC_MAX_INPUT_MB, else 16 MiB', () => {
    expect(maxInputBytes({})).toBe(DEFAULT_MAX_INPUT_MB * 1024 * 1024);
    expect(maxInputBytes({ IMGC_MAX_INPUT_MB: '64' })).toBe(64 * 1024 * 1024);
    expect(maxInputBytes({ IMGC_MAX_INPUT_MB: 'lots' })).toBe(DEFAULT_MAX_INPUT_MB * 1024 * 1024);
  });
});

describe('loading hostile main files', () => {
  const registry = new FormatRegistry();

  it('a 100 MB TOML is refused with IMGC1051 (it aborted with V8 out of memory)', async () => {
    const path = scratchFile('blueprint.toml', 'name = "x"\n');
    truncateSync(path, 100 * 1024 * 1024);
    const started = Date.now();
    const result = await loadDefinition(registry, path);
    expect(result.diagnostics.map((d) => d.code)).toContain('IMGC1051');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  for (const from of [
    undefined,
    'kickstart',
    'kiwi',
    'mkosi',
    'blueprint',
    'blueprint-json',
    'containerfile',
    'treefile',
    'tdl',
    'virt-builder',
    'dib',
    'ir',
  ]) {
    it(`a FIFO as the definition is refused (${from ?? 'detected'})`, async () => {
      const result = await loadDefinition(registry, fifo(), from ? { from } : {});
      expect(result.diagnostics.map((d) => d.code)).toContain('IMGC1050');
    });
  }

  it('/dev/zero as the definition is refused', async () => {
    const result = await loadDefinition(registry, '/dev/zero', { from: 'kickstart' });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['IMGC1050']);
  });
});
