/**
 * The Packer writer on what Debian's packer 1.6.6 refused of imgc's own making (issue 20): legacy
 * JSON idioms HCL2 spells otherwise, variable blocks written whole, and the source's own needs
 * reported. Where packer is installed it judges each written template; the checks on the text
 * say which spelling was chosen.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { writeOutputFiles } from '../../../../src/formats/write-files.js';
import { positionOf } from '../../../../src/ir/positions.js';

const registry = new FormatRegistry();
const withPacker = spawnSync('sh', ['-c', 'command -v packer']).status === 0;

/** Reads `files` as one template folder (the first is the template) and writes it back as HCL2. */
async function roundTrip(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-packer-write-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const loaded = await loadDefinition(registry, join(dir, Object.keys(files)[0]!), { from: 'packer' });
  expect(loaded.ir, loaded.diagnostics.map((d) => d.message).join('; ')).toBeDefined();
  const written = await registry.get('packer')!.writer!.write(loaded.ir!, { sourceDir: dir });
  const out = join(dir, 'out');
  mkdirSync(out);
  await writeOutputFiles(out, written.files);
  const text = written.files.find((f) => f.path === 'image.pkr.hcl')!.content as string;
  return { dir, out, loaded, written, text, codes: written.diagnostics.map((d) => d.code) };
}

/** packer 1.6.6's verdict on the written template, run in `cwd`. */
function validate(template: string, cwd: string, vars: string[] = []): { ok: boolean; output: string } {
  const r = spawnSync('packer', ['validate', ...vars.flatMap((v) => ['-var', v]), template], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    timeout: 60_000,
  });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

const LEGACY = `{
  "variables": { "headless": "", "template": "centos-7", "http_directory": "{{template_dir}}/http" },
  "builders": [
    {
      "type": "qemu",
      "name": "{{ user \`template\` }}",
      "iso_url": "http://example.org/centos.iso",
      "iso_checksum": "sha256:${'0'.repeat(64)}",
      "headless": "{{user \`headless\`}}",
      "http_directory": "{{user \`http_directory\`}}",
      "ssh_username": "root",
      "ssh_password": "{{user \`password\`}}"
    },
    {
      "type": "virtualbox-iso",
      "guest_os_type": "RedHat_64",
      "iso_url": "http://example.org/centos.iso",
      "iso_checksum": "sha256:${'0'.repeat(64)}",
      "ssh_username": "root"
    }
  ],
  "post-processors": [
    { "type": "checksum", "only": ["virtualbox-iso"] },
    {
      "type": "vagrant",
      "compression_level": 9,
      "override": {
        "virtualbox": { "output": "centos-virtualbox.box" },
        "libvirt": { "output": "centos-libvirt.box" }
      }
    }
  ]
}
`;

describe('packer writer on legacy JSON idioms', () => {
  it('writes what HCL2 and packer 1.6.6 take, and says how', async () => {
    const { dir, out, text, codes, loaded, written } = await roundTrip({ 'template.json': LEGACY });
    // "" leaves the setting unset, as Packer's JSON reading did; HCL2 refuses "" for a bool
    expect(text).toContain('headless = var.headless != "" ? var.headless : null');
    // a variable used but never declared is declared with the "" JSON gave it
    expect(text).toMatch(/variable "password" \{\n {2}default = ""\n\}/);
    const declared = written.diagnostics.find((d) => d.code === 'IMGC3522')!;
    expect(positionOf(loaded.positions, declared.pointer!)?.line).toBe(
      LEGACY.split('\n').findIndex((l) => l.includes('"ssh_password"')) + 1,
    );
    // the template folder: no Go template in HCL2, a plain path in a variable default
    expect(text).toMatch(/variable "http_directory" \{\n {2}default = "http"\n\}/);
    // a builder name with a user variable takes its default as the source label
    expect(text).toContain('source "qemu" "centos-7" {');
    expect(text).toContain('"source.qemu.centos-7"');
    // the vagrant override becomes one post-processor per provider, each limited to its sources
    const vagrant = [...text.matchAll(/post-processor "vagrant" \{([^}]*)\}/g)].map((m) => m[1]!);
    expect(vagrant).toHaveLength(2);
    expect(vagrant.find((b) => b.includes('centos-virtualbox.box'))).toMatch(
      /only = \[\s*"virtualbox-iso.virtualbox-iso",\s*\][\s\S]*compression_level = 9/,
    );
    expect(vagrant.find((b) => b.includes('centos-libvirt.box'))).toMatch(/"qemu.centos-7"/);
    expect(text).not.toContain('override');
    // JSON's only names builders; HCL2 names sources TYPE.NAME, and a bare name matches none
    expect(text).toMatch(/post-processor "checksum" \{\s*only = \[\s*"virtualbox-iso.virtualbox-iso",\s*\]/);
    for (const code of ['IMGC3522', 'IMGC3523', 'IMGC3524', 'IMGC3525']) expect(codes).toContain(code);
    if (!withPacker) return;
    mkdirSync(join(dir, 'http'));
    const verdict = validate(join(out, 'image.pkr.hcl'), dir);
    expect(verdict.ok, verdict.output).toBe(true);
    expect(validate(join(out, 'image.pkr.hcl'), dir, ['headless=true']).ok).toBe(true);
  });
});

const TYPED = `variable "headless" {
  type        = bool
  default     = true
  description = "run without a window"
}
variable "secret" {
  type      = string
  sensitive = true
}
variable "size" {
  type    = string
  default = "10G"
  validation {
    condition     = length(var.size) > 1
    error_message = "The size must be given."
  }
}
source "qemu" "debian" {
  iso_url      = "http://example.org/debian.iso"
  iso_checksum = "sha256:${'0'.repeat(64)}"
  ssh_username = "root"
  headless     = var.headless
}
build {
  sources = ["source.qemu.debian"]
}
`;

describe('packer writer on HCL2 variables', () => {
  it('writes a bool variable as a bool, with its type, sensitivity and validation', async () => {
    const { out, text } = await roundTrip({ 'image.pkr.hcl': TYPED });
    expect(text).toMatch(
      /variable "headless" \{\n {2}type = bool\n {2}default = true\n {2}description = "run without a window"\n\}/,
    );
    expect(text).toMatch(/variable "secret" \{\n {2}type = string\n {2}sensitive = true\n\}/);
    expect(text).toContain('condition = length(var.size) > 1');
    if (!withPacker) return;
    const accepted = validate(join(out, 'image.pkr.hcl'), out, ['secret=x', 'headless=false']);
    expect(accepted.ok, accepted.output).toBe(true);
    // the type is packer's: a value that is no bool is refused at the variable
    expect(validate(join(out, 'image.pkr.hcl'), out, ['secret=x', 'headless=maybe']).ok).toBe(false);
  });
});

describe('what the source needs', () => {
  it('reports a folder declaring a source twice at the second declaration, and writes it once', async () => {
    const source = 'source "null" "a" {\n  communicator = "none"\n}\n';
    const { loaded, text } = await roundTrip({
      'build.pkr.hcl': `build {\n  sources = ["source.null.a"]\n}\n${source}`,
      'source.pkr.hcl': `\n${source}`,
    });
    const dup = loaded.diagnostics.find((d) => d.code === 'IMGC3526');
    expect(dup?.file).toMatch(/source\.pkr\.hcl$/);
    expect([dup?.line, dup?.column]).toEqual([2, 1]);
    expect(text.match(/source "null" "a"/g)).toHaveLength(1);
  });

  it('keeps required_plugins and says that Packer 1.6 refuses it', async () => {
    const { codes, text, out } = await roundTrip({
      'image.pkr.hcl': `packer {\n  required_version = ">= 1.7.0"\n  required_plugins {\n    qemu = {\n      version = ">= 1.0.1"\n      source = "github.com/hashicorp/qemu"\n    }\n  }\n}\n${TYPED}`,
    });
    expect(text).toContain('required_plugins {');
    expect(codes).toContain('IMGC3527');
    if (!withPacker) return;
    const verdict = validate(join(out, 'image.pkr.hcl'), out, ['secret=x']);
    expect(verdict.output).toMatch(/required_plugins|Unsupported Packer Core version/);
  });
});

describe('variable names that are Object.prototype keys', () => {
  it('declares an undeclared constructor or toString like any other name', async () => {
    const { text, codes } = await roundTrip({
      'template.json': `{
  "builders": [
    {
      "type": "null",
      "communicator": "{{user \`constructor\`}}",
      "ssh_host": "{{user \`toString\`}}"
    }
  ]
}
`,
    });
    expect(text).toMatch(/variable "constructor" \{\n {2}default = ""\n\}/);
    expect(text).toMatch(/variable "toString" \{\n {2}default = ""\n\}/);
    expect(text).toContain('communicator = var.constructor != "" ? var.constructor : null');
    expect(codes.filter((c) => c === 'IMGC3522')).toHaveLength(2);
  });
});
