/**
 * mkosi 14 took a path in Output= (maul-os: Output=output/root.squashfs); current mkosi refuses a
 * folder there. The reader splits it into OutputDirectory= and a file name with a note, the
 * writer writes them apart, and a second read gives the same IR.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMkosi } from '../../../../src/formats/mkosi/read/index.js';
import { mkosiWriter } from '../../../../src/formats/mkosi/write/index.js';
import { writeOutputFiles } from '../../../../src/formats/write-files.js';
import { emptyIr } from '../../../../src/ir/empty.js';
import { normalizeIr } from '../../../../src/ir/normalize.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'imgc-mkosi-output-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const settingsOf = (text: string) => text.split('\n').filter((l) => /^Output(Directory)?=/.test(l));

describe('Output= with a folder', () => {
  it('is read as OutputDirectory= plus a file name, noted at the line, and round-trips', async () => {
    const root = tree({
      'mkosi.conf': '[Distribution]\nDistribution=arch\n\n[Output]\nFormat=tar\nOutput=output/root.tar\n',
    });
    const first = await readMkosi(root, {});
    expect(first.ir?.outputs[0]?.name).toBe('root.tar');
    const note = first.diagnostics.find((d) => d.code === 'IMGC4060');
    expect(note?.severity).toBe('info');
    expect([note?.line, note?.column]).toEqual([6, 8]);
    const written = await mkosiWriter.write(first.ir!, { sourceDir: root });
    const conf = String(written.files.find((f) => f.path === 'mkosi.conf')?.content);
    expect(settingsOf(conf).sort()).toEqual(['Output=root.tar', 'OutputDirectory=output']);
    const out = tree({});
    await writeOutputFiles(out, written.files);
    const second = await readMkosi(out, {});
    expect(second.diagnostics.map((d) => d.code)).not.toContain('IMGC4060');
    expect(normalizeIr(second.ir!)).toEqual(normalizeIr(first.ir!));
  });

  it('is left alone when OutputDirectory= is set too', async () => {
    const root = tree({
      'mkosi.conf':
        '[Distribution]\nDistribution=arch\n\n[Output]\nFormat=tar\nOutputDirectory=out\nOutput=a/b\n',
    });
    const r = await readMkosi(root, {});
    expect(r.ir?.outputs[0]?.name).toBe('a/b');
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC4060');
  });

  it('is written apart, and reported, when another format names an output with a folder', async () => {
    const ir = emptyIr();
    ir.distribution = { id: 'arch', architecture: 'x86_64' };
    ir.outputs = [{ type: 'tar', name: 'images/root.tar' }];
    const written = await mkosiWriter.write(ir, {});
    const conf = String(written.files.find((f) => f.path === 'mkosi.conf')?.content);
    expect(settingsOf(conf).sort()).toEqual(['Output=root.tar', 'OutputDirectory=images']);
    const loss = written.diagnostics.find((d) => d.code === 'IMGC6002' && d.pointer === '/outputs/0/name');
    expect(loss?.message).toContain('OutputDirectory=images');
  });
});
