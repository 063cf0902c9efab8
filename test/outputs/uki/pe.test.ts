import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleUki, findStub, sign } from '../../../src/outputs/uki/index.js';
import { PeFormatError, placeSections, readPe } from '../../../src/outputs/uki/pe.js';

const stub = '/usr/lib/systemd/boot/efi/linuxx64.efi.stub';
const haveStub = existsSync(stub);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** objdump -h lines: name, size, vma */
function sectionsOf(file: string): Map<string, { size: number; vma: number }> {
  const out = execFileSync('objdump', ['-h', file]).toString();
  const map = new Map<string, { size: number; vma: number }>();
  for (const m of out.matchAll(/^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)/gm))
    map.set(m[1]!, { size: Number.parseInt(m[2]!, 16), vma: Number.parseInt(m[3]!, 16) });
  return map;
}

describe('PE section placement', () => {
  it('rejects files that are not PE32+', () => {
    expect(() =>
      readPe(Buffer.from('not a pe file at all, padded to more than sixty-four bytes....')),
    ).toThrow(PeFormatError);
  });

  it('places sections after the last one, aligned, without overlap (synthetic table)', () => {
    const info = {
      imageBase: 0x10000000,
      sectionAlignment: 0x1000,
      fileAlignment: 0x200,
      machine: 0x8664,
      sections: [
        { name: '.text', virtualAddress: 0x1000, virtualSize: 0x2345 },
        { name: '.data', virtualAddress: 0x4000, virtualSize: 0x10 },
      ],
    };
    const placed = placeSections(info, [
      { name: '.osrel', size: 0x1001 },
      { name: '.linux', size: 5 },
    ]);
    expect(placed).toEqual([
      { name: '.osrel', vma: 0x10005000 },
      { name: '.linux', vma: 0x10007000 },
    ]);
  });

  it.runIf(haveStub)('reads the systemd stub as objdump does', () => {
    const info = readPe(readFileSync(stub));
    const dumped = sectionsOf(stub);
    expect(info.sections.map((s) => s.name)).toEqual([...dumped.keys()]);
    for (const s of info.sections) expect(info.imageBase + s.virtualAddress).toBe(dumped.get(s.name)!.vma);
    expect(info.sectionAlignment).toBeGreaterThan(0);
  });

  it.runIf(haveStub)(
    'assembles a UKI whose sections objdump sees at the computed addresses, and runs the signing hook',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'imgc-uki-'));
      dirs.push(dir);
      const tree = join(dir, 'tree');
      mkdirSync(join(tree, 'boot'), { recursive: true });
      mkdirSync(join(tree, 'usr/lib'), { recursive: true });
      writeFileSync(join(tree, 'boot/vmlinuz-6.1.0-test'), Buffer.alloc(70_000, 1));
      writeFileSync(join(tree, 'boot/initrd.img-6.1.0-test'), Buffer.alloc(33_333, 2));
      writeFileSync(join(tree, 'usr/lib/os-release'), 'ID=debian\nVERSION_ID="12"\n');
      const work = join(dir, 'work');
      mkdirSync(work);
      const output = join(dir, 'out.efi');
      const signLog = join(dir, 'signed');
      const result = await assembleUki({
        tree,
        output,
        workDir: work,
        cmdline: ['root=LABEL=root', 'rw', 'console=ttyS0'],
        signCommand: `printf '%s' "$1" > ${signLog}`,
      });
      expect(findStub(tree)).toBe(stub);
      const dumped = sectionsOf(output);
      expect(result.sections.map((s) => s.name)).toEqual([
        '.osrel',
        '.cmdline',
        '.uname',
        '.initrd',
        '.linux',
      ]);
      let end = 0;
      for (const s of result.sections) {
        expect(dumped.get(s.name)).toEqual({ size: s.size, vma: s.vma });
        expect(s.vma).toBeGreaterThanOrEqual(end);
        end = s.vma + s.size;
      }
      expect(dumped.get('.cmdline')!.size).toBe('root=LABEL=root rw console=ttyS0'.length);
      expect(readFileSync(signLog, 'utf8')).toBe(output);
      expect(result.signed).toBe(true);
      await expect(sign('exit 3', output, { output: 'uki' })).rejects.toMatchObject({
        diagnostic: { code: 'IMGC7606' },
      });
    },
  );
});
