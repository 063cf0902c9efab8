/**
 * Sizes with hundreds of digits (fuzz seed 9104, input 22529: a legacy mkosi ESPSize of 900
 * digits became Infinity and the IR failed its schema, IMGC1006). Every reader that turns a
 * written size into IR bytes keeps a size past 2^53 as written, with a diagnostic, instead.
 */
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../src/formats/load.js';
import { FormatRegistry } from '../../../src/formats/registry.js';
import { scratchTree } from '../../input/scratch.js';

const HUGE = '256'.repeat(300);
const registry = new FormatRegistry();

async function read(files: Record<string, string>, entry: string, from: string) {
  const dir = scratchTree(files);
  const r = await loadDefinition(registry, entry ? `${dir}/${entry}` : dir, { from });
  return { codes: r.diagnostics.map((d) => d.code), r };
}

describe('a size past 2^53 is kept as written, never an invalid IR', () => {
  it('mkosi: a legacy [Partitions] ESPSize', async () => {
    const { codes, r } = await read(
      {
        'mkosi.default': `[Distribution]\nDistribution=debian\nRelease=bookworm\n\n[Partitions]\nRootSize=3G\nESPSize=${HUGE}M\n`,
      },
      '',
      'mkosi',
    );
    expect(codes).not.toContain('IMGC1006');
    expect(r.ir?.storage?.partitions.map((p) => p.role)).toEqual(['root']);
    expect(r.diagnostics.some((d) => d.line === 7 && d.message.includes('ESPSize'))).toBe(true);
  });

  it('packer: a qemu disk_size', async () => {
    const hcl = `source "qemu" "x" {\n  iso_url = "https://example.org/d.iso"\n  iso_checksum = "none"\n  disk_size = "${HUGE}G"\n}\n\nbuild {\n  sources = ["source.qemu.x"]\n}\n`;
    const { codes, r } = await read({ 'x.pkr.hcl': hcl }, 'x.pkr.hcl', 'packer');
    expect(codes).not.toContain('IMGC1006');
    expect(r.ir?.storage?.size).toBeUndefined();
  });

  it('virt-builder: an index size', async () => {
    const index = `[big]\nname=Big\nosinfo=debian12\narch=x86_64\nfile=big.xz\nformat=raw\nsize=${HUGE}\n`;
    const { codes, r } = await read({ index: index }, 'index', 'virt-builder');
    expect(codes).not.toContain('IMGC1006');
    expect(r.ir?.storage?.size).toBeUndefined();
    expect(r.diagnostics.some((d) => d.line === 7)).toBe(true);
  });

  it('KIWI: a <size unit="G"> of the disk type', async () => {
    const xml = `<?xml version="1.0"?>
<image schemaversion="7.5" name="big">
  <description type="system"><author>a</author><contact>a@example.org</contact><specification>s</specification></description>
  <preferences>
    <version>1.0.0</version>
    <packagemanager>apt</packagemanager>
    <type image="oem" filesystem="ext4" firmware="efi"><size unit="G">${HUGE}</size></type>
  </preferences>
  <repository type="apt-deb" distribution="bookworm" components="main"><source path="http://deb.debian.org/debian"/></repository>
  <packages type="bootstrap"><package name="systemd"/></packages>
</image>
`;
    const { codes, r } = await read({ 'config.xml': xml }, 'config.xml', 'kiwi');
    expect(codes).not.toContain('IMGC1006');
    expect(r.ir?.storage?.size).toBeUndefined();
    // KIWI keeps what it does not lower as the element, in the kiwi extension data
    expect(JSON.stringify(r.ir?.extensions?.kiwi)).toContain(`"text":"${HUGE}"`);
  });
});
