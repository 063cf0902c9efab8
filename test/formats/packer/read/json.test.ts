import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';

const registry = new FormatRegistry();

const TEMPLATE = `{
  "variables": { "disk": "20480", "mirror": "http://deb.debian.org/debian" },
  "builders": [
    {
      "type": "qemu",
      "name": "debian-12",
      "iso_url": "https://cdimage.debian.org/debian-cd/12.5.0/amd64/iso-cd/debian-12.5.0-amd64-netinst.iso",
      "iso_checksum": "abc123",
      "iso_checksum_type": "sha256",
      "disk_size": "{{user \`disk\`}}",
      "ssh_username": "root"
    }
  ],
  "provisioners": [
    { "type": "shell", "inline": ["apt-get install -y vim"] },
    { "type": "shell", "scripts": ["scripts/base.sh"], "execute_command": "sudo {{.Path}}" },
    { "type": "file", "source": "motd", "destination": "/etc/motd" }
  ]
}
`;

async function load() {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-packer-json-'));
  const file = join(dir, 'debian.json');
  writeFileSync(file, TEMPLATE);
  return { file, loaded: await loadDefinition(registry, file, { from: 'packer' }) };
}

describe('legacy JSON templates', () => {
  it('reads the builder, packages, scripts and files with positions', async () => {
    const { file, loaded } = await load();
    const ir = loaded.ir!;
    expect(ir.distribution).toMatchObject({ id: 'debian' });
    expect(ir.packages.install.map((p) => p.name)).toEqual(['vim']);
    expect(ir.scripts).toEqual([{ phase: 'post-install', chroot: true, source: 'scripts/base.sh' }]);
    expect(ir.files).toEqual([{ path: '/etc/motd', source: 'motd' }]);
    expect(loaded.positions['/packages/install/0']).toMatchObject({ file, line: 15 });
    const kept = loaded.diagnostics.find((d) => d.code === 'IMGC3505');
    expect(kept).toMatchObject({ line: 16 });
    expect(kept!.message).toContain('execute_command');
  });

  it('writes HCL2: user variables become var references and the checksum type joins the checksum', async () => {
    const { loaded } = await load();
    const written = await registry.get('packer')!.writer!.write(loaded.ir!, {});
    const text = String(written.files[0]!.content);
    expect(text).toContain('disk_size = "${var.disk}"');
    expect(text).toContain('iso_checksum = "sha256:abc123"');
    expect(text).not.toContain('iso_checksum_type');
    expect(text).toContain('source "qemu" "debian-12"');
    expect(written.diagnostics.map((d) => d.code)).toContain('IMGC6002');
  });
});

describe('provisioners limited to some builders', () => {
  const twoBuilders = (provisioners: string) => `{
  "builders": [
    { "type": "qemu", "name": "debian-12", "iso_url": "https://cdimage.debian.org/debian-12.iso", "iso_checksum": "none" },
    { "type": "docker", "name": "container", "image": "debian:bookworm", "commit": true }
  ],
  "provisioners": [${provisioners}]
}
`;
  const loadText = async (text: string, name: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'imgc-packer-only-'));
    writeFileSync(join(dir, name), text);
    return loadDefinition(registry, join(dir, name), { from: 'packer' });
  };

  it('reads only the scripts that run on the builder read as the image, and keeps the others with their lists', async () => {
    const loaded = await loadText(
      twoBuilders(`
    { "type": "shell", "inline": ["echo vm"], "only": ["debian-12"] },
    { "type": "shell", "inline": ["echo container"], "only": ["container"] },
    { "type": "shell", "inline": ["echo not-vm"], "except": ["debian-12"] },
    { "type": "shell", "inline": ["echo all"] }`),
      'two.json',
    );
    expect(loaded.ir!.scripts.map((s) => s.body)).toEqual(['echo vm', 'echo all']);
    const skipped = loaded.diagnostics.filter((d) => d.code === 'IMGC3528');
    expect(skipped.map((d) => d.line)).toEqual([8, 9]);
    expect(skipped[0]!.message).toContain('only = [container] leaves out debian-12');
    const kept = (loaded.ir!.extensions.packer as { provisioners?: { settings: Record<string, unknown> }[] })
      .provisioners;
    expect(kept?.map((p) => p.settings.only ?? p.settings.except)).toEqual([['container'], ['debian-12']]);
  });

  it('names HCL builders as type.name, with or without the source. prefix', async () => {
    const hcl = `source "qemu" "vm" {
  iso_url      = "https://cdimage.debian.org/debian-12.iso"
  iso_checksum = "none"
}
source "docker" "ct" {
  image = "debian:bookworm"
}
build {
  sources = ["source.qemu.vm", "source.docker.ct"]
  provisioner "shell" {
    inline = ["echo vm"]
    only   = ["qemu.vm"]
  }
  provisioner "shell" {
    inline = ["echo ct"]
    only   = ["source.docker.ct"]
  }
}
`;
    const loaded = await loadText(hcl, 'two.pkr.hcl');
    expect(loaded.ir!.scripts.map((s) => s.body)).toEqual(['echo vm']);
    expect(loaded.diagnostics.find((d) => d.code === 'IMGC3528')).toMatchObject({ line: 14 });
  });
});
