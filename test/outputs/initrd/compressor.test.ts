import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireCompressor } from '../../../src/outputs/initrd/index.js';

function tree(tools: string[], usrMerged = true): string {
  const root = mkdtempSync(join(tmpdir(), 'imgc-initrd-tree-'));
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  if (usrMerged) symlinkSync('usr/bin', join(root, 'bin'));
  for (const t of tools) writeFileSync(join(root, 'usr/bin', t), '#!/bin/sh\n', { mode: 0o755 });
  return root;
}

describe('the initrd compressor must be in the image', () => {
  it('passes when the tool is there, also through a usr-merged /bin', async () => {
    await expect(requireCompressor(tree(['gzip']), 'gzip')).resolves.toBeUndefined();
    await expect(requireCompressor(tree(['zstd', 'gzip']), 'zstd')).resolves.toBeUndefined();
  });

  it('fails with IMGC7616 naming the tool, instead of the generator falling back to gzip', async () => {
    const failure = requireCompressor(tree(['gzip']), 'zstd');
    await expect(failure).rejects.toMatchObject({
      diagnostic: expect.objectContaining({ code: 'IMGC7616', message: expect.stringContaining('no zstd') }),
    });
    await expect(requireCompressor(tree(['gzip'], false), 'xz')).rejects.toMatchObject({
      diagnostic: expect.objectContaining({ code: 'IMGC7616' }),
    });
  });

  it('does not follow a symlink out of the tree to find the tool on the host', async () => {
    const root = tree([], false);
    symlinkSync('/usr/bin', join(root, 'bin'));
    await expect(requireCompressor(root, 'gzip')).rejects.toMatchObject({
      diagnostic: expect.objectContaining({ code: 'IMGC7616' }),
    });
  });
});
