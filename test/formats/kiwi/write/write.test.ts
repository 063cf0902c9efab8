import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputFile } from '../../../../src/formats/contract.js';
import { kiwiFormat } from '../../../../src/formats/kiwi/format.js';
import { readKiwi } from '../../../../src/formats/kiwi/read/read.js';
import { writeKiwi } from '../../../../src/formats/kiwi/write/write.js';
import { translateIr } from '../../../../src/formats/translate.js';
import { emptyIr } from '../../../../src/ir/empty.js';
import { normalizeIr } from '../../../../src/ir/normalize.js';
import type { ImageIR } from '../../../../src/ir/schema.js';
import { ensureKiwiTools, KIWI_75_RNG, KIWI_85_RNG, relaxngErrors } from '../../../setup/kiwi-tools.js';

const tmp = mkdtempSync(join(tmpdir(), 'imgc-kiwi-write-'));
beforeAll(() => ensureKiwiTools());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function configOf(files: OutputFile[]): string {
  return String(files.find((f) => f.path === 'config.xml')!.content);
}
function validate(files: OutputFile[], rng: string): string | undefined {
  const path = join(tmp, `config-${n++}.xml`);
  writeFileSync(path, configOf(files));
  return relaxngErrors(rng, path);
}

/** An IR as another format would produce it: no KIWI extension data. */
function foreignIr(): ImageIR {
  const ir = emptyIr();
  ir.metadata = { name: 'imgc-sample', version: '1.0.0', description: 'sample' };
  ir.distribution = { id: 'debian', release: 'bookworm', architecture: 'x86_64' };
  ir.repositories.push({
    id: 'debian',
    type: 'apt',
    urls: ['http://deb.debian.org/debian'],
    suites: ['bookworm'],
    components: ['main'],
  });
  ir.packages.install.push({ name: 'systemd' }, { name: 'linux-image-amd64' });
  ir.system.hostname = 'imgc-sample';
  ir.system.locale = 'en_US.UTF-8';
  ir.system.keymap = 'us';
  ir.system.timezone = 'UTC';
  ir.system.kernel.cmdline.push('console=ttyS0', 'rw');
  ir.accounts.users.push({
    name: 'imgc',
    groups: ['sudo'],
    sshKeys: [],
    password: { hash: '$6$x$y' },
    shell: '/bin/bash',
  });
  ir.outputs.push({ type: 'disk', format: 'qcow2' });
  ir.boot = { firmware: 'uefi', bootloader: 'grub', timeout: 5 };
  ir.storage = {
    partitions: [
      { role: 'esp', filesystem: 'vfat', size: { min: 512 * 1024 ** 2 } },
      { role: 'root', mountpoint: '/', filesystem: 'ext4' },
    ],
    volumeGroups: [],
    raid: [],
    mountpoints: [],
  };
  ir.scripts.push(
    { phase: 'post-install', chroot: true, body: 'echo configured\n' },
    { phase: 'first-boot', chroot: true, body: 'echo boot\n' },
  );
  return ir;
}

describe('writeKiwi', () => {
  it('writes a valid schema 8.5 description from a foreign IR, with assumed defaults and losses reported', async () => {
    const result = await translateIr({ ir: foreignIr(), positions: {}, target: kiwiFormat });
    const xml = configOf(result.files);
    expect(validate(result.files, KIWI_85_RNG)).toBeUndefined();
    expect(xml).toContain('<packagemanager>apt</packagemanager>');
    expect(xml).toContain(
      '<type image="oem" filesystem="ext4" format="qcow2" firmware="efi" kernelcmdline="console=ttyS0 rw">',
    );
    expect(xml).toContain('<bootloader name="grub2" timeout="5"/>');
    expect(xml).toContain(
      '<repository type="apt-deb" alias="debian" distribution="bookworm" components="main">',
    );
    expect(result.files.find((f) => f.path === 'config.sh')).toMatchObject({
      content: 'echo configured\n',
      mode: 0o755,
    });
    const codes = result.diagnostics.map((d) => [d.code, d.pointer]);
    expect(result.files.find((f) => f.path === 'root/etc/hostname')).toMatchObject({
      content: 'imgc-sample\n',
    });
    // KIWI has no distribution element; the reader infers it back from what is written, so
    // only a description that names nothing of it reports the distribution (IMGC6002 at /distribution)
    expect(codes).not.toContainEqual(['IMGC6001', '/distribution/id']);
    expect(codes).toContainEqual(['IMGC6002', '/storage/partitions/0']);
    expect(codes).toContainEqual(['IMGC6002', '/scripts/1']);
    expect(result.diagnostics.some((d) => d.code === 'IMGC6003')).toBe(true);
  });

  it('reads back what it wrote from a foreign IR for every field in its capability table', async () => {
    const ir = foreignIr();
    const dir = mkdtempSync(join(tmp, 'rt-'));
    const { files } = writeKiwi(ir);
    for (const f of files) {
      mkdirSync(join(dir, f.path, '..'), { recursive: true });
      writeFileSync(join(dir, f.path), f.content ?? '');
    }
    const back = (await readKiwi(dir)).ir!;
    expect(back.metadata).toEqual({ ...ir.metadata, author: 'imgc', contact: 'unknown' });
    expect(back.distribution.release).toBe('bookworm');
    // KIWI 9 sets a Debian locale only once it is generated: the writer adds the locales package
    expect(back.packages.install).toEqual([...ir.packages.install, { name: 'locales' }]);
    expect(files.find((f) => f.path === 'post_bootstrap.sh')?.content).toContain(
      'locales/locales_to_be_generated multiselect en_US.UTF-8 UTF-8',
    );
    expect(back.system.locale).toBe('en_US.UTF-8');
    expect(back.system.hostname).toBe('imgc-sample');
    expect(back.system.kernel.cmdline).toEqual(ir.system.kernel.cmdline);
    expect(back.outputs).toEqual(ir.outputs);
    expect(back.boot).toEqual(ir.boot);
    expect(back.storage?.partitions).toEqual([{ role: 'root', mountpoint: '/', filesystem: 'ext4' }]);
    expect(back.accounts.users).toEqual(ir.accounts.users.map((u) => ({ ...u, primaryGroup: u.name })));
    expect(back.repositories[0]).toMatchObject({
      id: 'debian',
      name: 'debian',
      type: 'apt',
      suites: ['bookworm'],
      components: ['main'],
    });
  });

  it('writes schema 7.5 for KIWI 9 with the older spellings', () => {
    const ir = foreignIr();
    ir.boot = { ...ir.boot, bootloader: 'grub' };
    const ext = {
      children: { preferences: [{ name: 'packagemanager', text: 'dnf5' }] },
      attrs: { bootloader: { output_console: 'serial', input_console: 'serial' } },
    };
    ir.extensions.kiwi = ext;
    const result = writeKiwi(ir, { options: { kiwiSchema: '7.5' } });
    const xml = configOf(result.files);
    expect(xml).toContain('schemaversion="7.5"');
    expect(xml).toContain('<packagemanager>dnf</packagemanager>');
    expect(xml).toContain('console="serial serial"');
    expect(xml).not.toContain('output_console');
    expect(result.diagnostics.some((d) => d.code === 'IMGC3020')).toBe(true);
    expect(validate(result.files, KIWI_75_RNG)).toBeUndefined();
  });

  it('refuses schema versions it cannot write', () => {
    const result = writeKiwi(emptyIr(), { options: { kiwiSchema: '6.2' } });
    expect(result.files).toEqual([]);
    expect(result.diagnostics[0]).toMatchObject({ code: 'IMGC3019', severity: 'error' });
  });

  it('keeps constructs the schema rejects in comments, so the XML validates and they come back', async () => {
    const dir = mkdtempSync(join(tmp, 'unsupported-'));
    writeFileSync(
      join(dir, 'config.xml'),
      `<image schemaversion="8.5" name="u">
  <description type="system"><author>a</author><contact>c</contact><specification>s</specification></description>
  <preferences><packagemanager>zypper</packagemanager><type image="oem" sparkle="yes" firmware="vboot"/></preferences>
  <users><user name="root"/></users>
</image>`,
    );
    const first = await readKiwi(dir);
    expect(first.diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(['IMGC3006', 'IMGC3013', 'IMGC3024']),
    );
    const written = writeKiwi(first.ir!);
    expect(validate(written.files, KIWI_85_RNG)).toBeUndefined();
    expect(configOf(written.files)).toContain('<!-- imgc-unsupported {');
    const out = mkdtempSync(join(tmp, 'unsupported-out-'));
    writeFileSync(join(out, 'config.xml'), configOf(written.files));
    const second = await readKiwi(out);
    // KIWI requires a filesystem on an oem type: the writer fills it and says so
    expect(written.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'IMGC6003', pointer: '/storage' }),
    );
    expect(second.ir!.storage?.partitions).toEqual([{ role: 'root', mountpoint: '/', filesystem: 'ext4' }]);
    expect(normalizeIr({ ...second.ir!, storage: undefined })).toEqual(
      normalizeIr({ ...first.ir!, storage: undefined }),
    );
  });

  it('declares an honest capability table: whatever it claims survives a write and a read', async () => {
    const ir = foreignIr();
    ir.storage!.partitions = [
      { role: 'root', mountpoint: '/', filesystem: 'xfs', fsLabel: 'ROOT', mountOptions: ['noatime'] },
    ];
    ir.scripts = [{ name: 'config.sh', phase: 'post-install', chroot: true, body: 'x\n' }];
    ir.containers = [
      { source: 'registry.opensuse.org/opensuse/tumbleweed:latest' },
      { source: 'docker.io/library/busybox' },
    ];
    ir.metadata = { ...ir.metadata, author: 'imgc tests', contact: 'tests@imgc.invalid' };
    // the id is not written as such; the reader infers it back from the Debian repository
    ir.distribution = { id: 'debian', release: 'bookworm' };
    const dir = mkdtempSync(join(tmp, 'caps-'));
    const result = await translateIr({ ir, positions: {}, target: kiwiFormat });
    for (const f of result.files) {
      mkdirSync(join(dir, f.path, '..'), { recursive: true });
      writeFileSync(join(dir, f.path), f.content ?? '');
    }
    const back = (await readKiwi(dir)).ir!;
    const { extensions: _a, ...left } = normalizeIr(back);
    const { extensions: _b, ...right } = normalizeIr({
      ...ir,
      overlays: [{ source: 'root', kind: 'extra' }],
    });
    // no primary group named: KIWI gets the user's own group first, as useradd would create it
    right.accounts.users = right.accounts.users.map((u) => ({ ...u, primaryGroup: u.name }));
    right.repositories = right.repositories.map((r) => ({ ...r, name: 'debian', usage: 'build-only' }));
    // assumed for KIWI's Debian build (IMGC6003): the locales package and its preseeding script
    right.packages.install = [...right.packages.install, { name: 'locales' }];
    const preseed = left.scripts.find((s) => s.name === 'post_bootstrap.sh');
    expect(preseed?.body).toContain('locales/locales_to_be_generated');
    expect(left.scripts.filter((s) => s !== preseed)).toEqual(right.scripts);
    right.scripts = left.scripts;
    expect(left).toEqual(right);
  });
});

describe('output compression', () => {
  const translateOutput = async (output: ImageIR['outputs'][number]) => {
    const ir = emptyIr();
    ir.distribution = { id: 'debian', release: '12' };
    ir.outputs = [output];
    const { diagnostics } = await translateIr({ ir, positions: {}, target: kiwiFormat, options: {} });
    return diagnostics.filter((d) => d.pointer === '/outputs/0/compression').map((d) => d.message);
  };

  it('is what tbz does when it is xz, and said when KIWI cannot honour it', async () => {
    expect(await translateOutput({ type: 'tar', compression: 'xz' })).toEqual([]);
    expect(await translateOutput({ type: 'tar', compression: 'gzip' })).toEqual([
      "kiwi: /outputs/0/compression: KIWI's tbz image is always xz-compressed; gzip is not written",
    ]);
    expect(await translateOutput({ type: 'disk', compression: 'zstd' })).toEqual([
      'kiwi: /outputs/0/compression: KIWI has no compression setting for image="oem"; zstd is not written',
    ]);
  });
});
