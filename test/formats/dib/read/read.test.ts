import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DibExtension } from '../../../../src/formats/dib/extension.js';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { translateIr } from '../../../../src/formats/translate.js';
import { fixturesDirOf } from '../../../helpers/shared.js';

const registry = new FormatRegistry();
const fixtures = fixturesDirOf('dib');
const elements = join(fixtures, 'elements');
const scratch = mkdtempSync(join(tmpdir(), 'imgc-dib-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const read = (path: string, options: Record<string, string> = {}) =>
  loadDefinition(registry, path, { from: 'dib', options });
const codes = (r: Awaited<ReturnType<typeof read>>) => r.diagnostics.map((d) => d.code);
const errors = (r: Awaited<ReturnType<typeof read>>) => r.diagnostics.filter((d) => d.severity === 'error');

/** A copy of the fixture elements with `changes` (path → content) applied. */
function variant(changes: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, 'v-'));
  cpSync(elements, dir, { recursive: true });
  for (const [path, content] of Object.entries(changes)) writeFileSync(join(dir, path), content);
  return dir;
}

describe('dib reader: an element folder', () => {
  it('expands the element, infers the distribution with a positioned note, decides packages', async () => {
    const r = await read(join(elements, 'web'));
    expect(errors(r)).toEqual([]);
    const ir = r.ir!;
    const ext = ir.extensions.dib as DibExtension;
    expect(ext.elements).toEqual(['web', 'ubuntu-lite', 'install-static', 'disk-layout']);
    expect(ir.distribution).toEqual({ id: 'ubuntu', release: 'noble' });
    const note = r.diagnostics.find((d) => d.code === 'IMGC3808')!;
    expect(note.file).toMatch(/ubuntu-lite\/element-provides$/);
    expect(note.message).toContain('DIB_RELEASE=noble');
    // nginx plain, curl in pre-install.d, web-extra mapped by pkg-map's distro table, web-tls both conditions
    expect(ir.packages.install.map((p) => p.name)).toEqual(['nginx', 'curl', 'nginx-extras', 'web-tls']);
    expect(ir.packages.build.map((p) => p.name)).toEqual(['gcc']);
    expect(ext.packageDetails?.curl?.phase).toBe('pre-install.d');
    expect(ext.packageDetails?.['nginx-extras']?.mappedFrom).toBe('web-extra');
    expect(r.positions['/packages/install/0']).toMatchObject({ line: 1, column: 1 });
    // arch unknown and WEB_TELEMETRY unset: kept, said, not installed
    expect(ext.conditionalPackages?.map((c) => c.name)).toEqual(['grub-efi-arm64', 'grub-pc', 'telemetry']);
    expect(codes(r)).toContain('IMGC3812');
    // pkg-map's default maps old-tool to nothing
    expect(ir.packages.remove).toEqual([]);
    expect(codes(r)).toContain('IMGC3815');
  });

  it('orders phase scripts as disk-image-create runs them and keeps the static tree with install-static', async () => {
    const r = await read(join(elements, 'web'));
    const ir = r.ir!;
    expect(ir.scripts.map((s) => [s.name, s.phase, s.chroot])).toEqual([
      ['50-bootstrap', 'pre-install', false],
      ['10-install-static', 'post-install', true],
      ['50-web', 'post-install', true],
      ['10-enable', 'post-install', true],
    ]);
    expect(ir.scripts[2]!.source).toBe('install.d/50-web');
    expect(ir.scripts[0]!.source).toBe('../ubuntu-lite/root.d/50-bootstrap');
    expect(ir.overlays).toEqual([{ source: 'static', destination: '/', kind: 'extra' }]);
  });

  it('keeps svc-map as extension data with a note at its file; the block-device provider gives the storage', async () => {
    const r = await read(join(elements, 'web'));
    const ext = r.ir!.extensions.dib as DibExtension;
    expect(ext.other).toEqual(['web/svc-map']);
    const notes = r.diagnostics.filter((d) => d.code === 'IMGC3811').map((d) => d.file);
    expect(notes.some((f) => f?.endsWith('web/svc-map'))).toBe(true);
    expect(ext.blockDevice?.[0]?.from).toBe('../disk-layout/block-device-default.yaml');
    expect(r.ir!.storage).toMatchObject({
      partitionTable: 'gpt',
      mode: 'explicit',
      partitions: [{ name: 'root', grow: true }],
    });
    const from = r.diagnostics.find((d) => d.code === 'IMGC3820')!;
    expect(from.file).toMatch(/disk-layout\/block-device-default\.yaml$/);
  });

  it('reads environment.d without running it', async () => {
    const marker = '/tmp/imgc-dib-never-run';
    rmSync(marker, { force: true });
    const r = await read(join(elements, 'web'));
    expect(existsSync(marker)).toBe(false);
    const ext = r.ir!.extensions.dib as DibExtension;
    expect(ext.environment).toMatchObject({ WEB_EXTRAS: 'yes', WEB_TLS: 'maybe', DIB_RELEASE: 'noble' });
    const logic = r.diagnostics.find((d) => d.code === 'IMGC3813')!;
    expect([logic.line, logic.column]).toEqual([4, 1]);
  });

  it('--arch decides arch-conditional packages', async () => {
    const r = await read(join(elements, 'web'), { arch: 'aarch64' });
    const names = r.ir!.packages.install.map((p) => p.name);
    expect(names).toContain('grub-efi-arm64');
    expect(names).not.toContain('grub-pc');
  });

  it('a missing dependency is a positioned warning naming the option', async () => {
    const dir = variant({ 'web/element-deps': 'ubuntu-lite\nnot-here\n' });
    const r = await read(join(dir, 'web'));
    const d = r.diagnostics.find((x) => x.code === 'IMGC3805')!;
    expect(d.severity).toBe('warning');
    expect([d.file, d.line, d.column]).toEqual([join(dir, 'web/element-deps'), 2, 1]);
    expect(d.hint).toContain('elementsPath');
    expect(r.ir).toBeDefined();
  });

  it('an element set without an operating-system element warns and names no distribution', async () => {
    const r = await read(join(elements, 'disk-layout'));
    expect(codes(r)).toContain('IMGC3807');
    expect(r.ir!.distribution.id).toBeUndefined();
  });

  it('a thing provided twice is an error at the second element-provides line', async () => {
    const dir = variant({ 'install-static/element-provides': 'block-device\n' });
    const r = await read(join(dir, 'web'));
    const e = errors(r);
    expect(e.map((d) => d.code)).toEqual(['IMGC3806']);
    expect(e[0]!.file).toMatch(/element-provides$/);
    expect(e[0]!.line).toBe(1);
    expect(r.ir).toBeUndefined();
  });

  it('malformed package-installs is a positioned error', async () => {
    const dir = variant({ 'web/package-installs.yaml': 'nginx:\n  phase: [install.d\n' });
    const r = await read(join(dir, 'web'));
    const e = errors(r)[0]!;
    expect(e.code).toBe('IMGC3800');
    expect(e.file).toBe(join(dir, 'web/package-installs.yaml'));
    expect(e.line).toBeGreaterThanOrEqual(2);
  });

  it('an unknown package-installs key is an error at the package', async () => {
    const dir = variant({ 'web/package-installs.yaml': 'nginx:\n  phaze: install.d\n' });
    const r = await read(join(dir, 'web'));
    expect(errors(r).map((d) => [d.code, d.line])).toEqual([['IMGC3801', 1]]);
  });

  it('a folder that is no element is refused', async () => {
    const r = await read(join(elements, 'web', 'static'));
    expect(codes(r)).toEqual(['IMGC3818']);
  });
});

describe('dib reader: an image list', () => {
  const image = join(fixtures, 'image.yaml');

  it('reads the first image, with the image environment over environment.d defaults', async () => {
    const r = await read(image, { elementsPath: elements });
    expect(errors(r)).toEqual([]);
    const ir = r.ir!;
    expect(ir.metadata?.name).toBe('web-image');
    expect(ir.distribution).toEqual({ id: 'ubuntu', release: 'jammy', architecture: 'x86_64' });
    expect(r.positions['/distribution/release']).toMatchObject({ line: 8 });
    expect(ir.outputs).toEqual([
      { type: 'disk', format: 'raw', name: 'web-image' },
      { type: 'tar', name: 'web-image' },
    ]);
    const names = ir.packages.install.map((p) => p.name);
    expect(names).toContain('grub-pc');
    expect(names).not.toContain('telemetry');
    expect(names.at(-1)).toBe('vim');
    expect(codes(r)).toContain('IMGC3803');
    expect((ir.extensions.dib as DibExtension).image).toEqual({ checksum: true });
  });

  it('-O dibImage picks another image; an unknown one is an error listing the images', async () => {
    const second = await read(image, { elementsPath: elements, dibImage: 'second' });
    expect(second.ir!.metadata?.name).toBe('second');
    expect(second.ir!.outputs).toEqual([{ type: 'disk', format: 'qcow2' }]);
    expect(codes(second)).toContain('IMGC3817');
    const none = await read(image, { elementsPath: elements, dibImage: 'nope' });
    expect(errors(none)[0]!.message).toContain('web-image, second');
  });

  it('an image without elements, and a list that is not one, are positioned errors', async () => {
    const empty = join(scratch, 'empty.yaml');
    writeFileSync(empty, '- imagename: x\n  elements: []\n');
    expect(errors(await read(empty)).map((d) => [d.code, d.line])).toEqual([['IMGC3802', 1]]);
    const broken = join(scratch, 'broken.yaml');
    writeFileSync(broken, '- imagename: x\n  elements: [a\n');
    const e = errors(await read(broken))[0]!;
    expect(e.code).toBe('IMGC3800');
    expect(e.line).toBeGreaterThanOrEqual(2);
  });

  it('is detected from its keys', async () => {
    const r = await loadDefinition(registry, image, { options: { elementsPath: elements } });
    expect(r.format?.id).toBe('dib');
  });

  it('has no writer: translating to dib is a clear error', async () => {
    const r = await read(image, { elementsPath: elements });
    const t = await translateIr({ ir: r.ir!, positions: r.positions, target: registry.get('dib')! });
    expect(t.diagnostics.map((d) => [d.code, d.message])).toEqual([['IMGC1005', 'imgc cannot write dib']]);
  });
});

describe('dib reader: maps where dib wants a scalar', () => {
  it('are positioned IMGC3801 errors, not "cannot read" (String() throws on the reader\'s prototype-less maps)', async () => {
    const dir = variant({
      'web/package-installs.yaml': 'nginx:\n  phase: {a: b}\n',
      'disk-layout/block-device-default.yaml':
        '- local_loop:\n    name: image0\n    size: {a: b}\n- partitioning:\n    base: image0\n    partitions:\n      - name: root\n        size: [1]\n        flags: [{x: y}]\n',
    });
    const list = join(dir, 'image.yaml');
    writeFileSync(
      list,
      '- imagename: x\n  elements: [web]\n  packages: [vim, {a: b}]\n  environment:\n    DIB_RELEASE: noble\n    T: {a: b}\n',
    );
    const r = await read(list, { elementsPath: dir });
    expect(codes(r)).not.toContain('IMGC1001');
    const shapes = r.diagnostics.filter((d) => d.code === 'IMGC3801');
    expect(shapes.map((d) => [d.file?.split('/').pop(), d.line])).toEqual(
      expect.arrayContaining([
        ['package-installs.yaml', 1],
        ['image.yaml', 3],
        ['image.yaml', 6],
      ]),
    );
  });
});
