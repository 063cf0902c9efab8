/**
 * `imgc build --verify-reproducible` end to end on the small tree of test/exec/mini-backend.ts
 * (real executor, real outputs, seconds per build): identical builds are reported so and kept;
 * a difference injected into the tree (a file holding the build's time) is reported as that
 * file in the directory and as byte ranges in the tar, with exit code 4 and nothing written.
 * The sample's own check (Debian, every output type) is test/boot/reproducible.test.ts.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBuild } from '../../src/cli/build.js';
import { builtinFormats, FormatRegistry } from '../../src/formats/registry.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { miniBackends, miniIr } from '../exec/mini-backend.js';
import { capturedIo } from '../helpers/run-cli.js';

const asRoot = process.getuid?.() === 0;
if (!asRoot) console.warn('SKIPPED: --verify-reproducible builds need root');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'imgc-verify-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function verify(ir: ImageIR, outputs: string[]) {
  const def = join(dir, 'image.json');
  writeFileSync(def, JSON.stringify(ir));
  const captured = capturedIo();
  const out = join(dir, 'out');
  const code = await runBuild(
    captured.io,
    new FormatRegistry(builtinFormats),
    def,
    {
      from: 'ir',
      output: outputs,
      outputDir: out,
      cacheDir: join(dir, 'cache'),
      verifyReproducible: true,
    },
    miniBackends(),
  );
  return { code, stdout: captured.stdout(), stderr: captured.stderr(), out };
}

describe.runIf(asRoot)('imgc build --verify-reproducible', () => {
  it('reports every output identical and keeps them', async () => {
    const r = await verify(miniIr(), ['directory', 'tar', 'cpio']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual(
      [
        'mini: identical',
        'mini.cpio.zst: identical',
        'mini.tar: identical',
        // the golden manifest and its exports, written beside the outputs
        'mini.aide.conf: identical',
        'mini.manifest.json: identical',
        'mini.mtree: identical',
      ].sort(),
    );
    expect(readdirSync(r.out).sort()).toEqual([
      'mini',
      'mini.aide.conf',
      'mini.cpio.zst',
      'mini.manifest.json',
      'mini.mtree',
      'mini.tar',
    ]);
    expect(r.stderr).toMatch(/IMGC7700 reproducible build: SOURCE_DATE_EPOCH=\d+ .*newest modification time/);
  }, 120_000);

  it('reports an injected difference precisely: the file in the folder, byte ranges in the tar', async () => {
    const ir = miniIr();
    ir.scripts.push({
      phase: 'finalize',
      chroot: false,
      name: 'build-time.sh',
      body: 'date +%s%N >"$IMGC_ROOT/etc/build-time"\n',
    });
    const r = await verify(ir, ['directory', 'tar']);
    expect(r.code, r.stderr).toBe(4);
    const lines = r.stdout.trim().split('\n');
    // the folder: exactly the injected file, nothing else
    expect(lines.slice(lines.indexOf('mini: differs'), lines.indexOf('mini: differs') + 2)).toEqual([
      'mini: differs',
      '  etc/build-time: content differs',
    ]);
    const tar = lines.indexOf('mini.tar: differs');
    expect(tar).toBeGreaterThanOrEqual(0);
    expect(lines[tar + 1]).toMatch(/^ {2}\d+ bytes differ in \d+ ranges?$/);
    expect(lines[tar + 2]).toMatch(/^ {2}bytes 0x[0-9a-f]+–0x[0-9a-f]+ \(\d+ bytes?\)$/);
    expect(r.stderr).toContain('IMGC7703');
    // the manifest and mtree hold the injected file's digest; the AIDE rules name no digests
    expect(r.stderr).toContain('the two builds differ: mini, mini.manifest.json, mini.mtree, mini.tar;');
    // nothing is written as an output; both builds are kept for a closer look
    const kept = readdirSync(r.out);
    expect(kept).toEqual([expect.stringMatching(/^\.imgc-verify-/)]);
    expect(readdirSync(join(r.out, kept[0]!)).sort()).toEqual(['1', '2']);
    expect(r.stderr).toContain(`both builds are kept in ${join(r.out, kept[0]!)}/1`);
  }, 120_000);
});
