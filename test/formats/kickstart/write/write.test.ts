import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKickstartFile } from '../../../../src/formats/kickstart/read/read.js';
import { writeKickstart } from '../../../../src/formats/kickstart/write/index.js';
import { emptyIr } from '../../../../src/ir/empty.js';
import { normalizeIr } from '../../../../src/ir/normalize.js';
import type { ImageIR } from '../../../../src/ir/schema.js';

const MIB = 1048576;

function sampleIr(): ImageIR {
  const ir = emptyIr();
  ir.repositories.push({ id: 'fedora', urls: ['https://a/x', 'https://b/x'], usage: 'build-only' });
  ir.packages.install.push({ name: 'systemd' }, { name: 'vim', version: '9.1' });
  ir.packages.exclude.push({ name: 'nano' });
  ir.packages.groups.push({ name: 'core' }, { name: 'minimal-environment', kind: 'environment' });
  ir.packages.modules.push(
    { name: 'nodejs', stream: '20', state: 'installed' },
    { name: 'php', state: 'disabled' },
  );
  ir.packages.languages = ['en'];
  ir.packages.installWeakDeps = false;
  ir.system.hostname = 'box';
  ir.system.timezone = 'UTC';
  ir.system.ntpServers = ['ntp1', 'ntp2'];
  ir.system.services.enable.push('sshd');
  ir.system.services.mask.push('debug-shell.service');
  ir.system.kernel.cmdline.push('console=ttyS0', 'quiet');
  ir.accounts.root = { password: { plain: 'pa#ss word' }, sshKeys: [] };
  ir.accounts.users.push({ name: 'imgc', groups: ['wheel'], sshKeys: ['ssh-ed25519 AAAA me@host'] });
  ir.storage = {
    partitionTable: 'gpt',
    partitions: [
      { role: 'esp', mountpoint: '/boot/efi', filesystem: 'vfat', size: { min: 512 * MIB } },
      { role: 'root', mountpoint: '/', filesystem: 'ext4', size: { min: 4 * 1024 * MIB + 1 }, grow: true },
    ],
    volumeGroups: [],
    raid: [],
    mountpoints: [],
  };
  ir.scripts.push({ phase: 'finalize', chroot: true, body: 'echo done' });
  ir.scripts.push({ phase: 'first-boot', chroot: true, body: 'echo boot' });
  return ir;
}

function reread(text: string, ksVersion: string) {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-ks-w-'));
  try {
    writeFileSync(join(dir, 'x.ks'), text);
    return readKickstartFile(join(dir, 'x.ks'), { options: { ksVersion } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const textOf = (ir: ImageIR, ksVersion: string) => {
  const out = writeKickstart(ir, { options: { ksVersion } });
  return { text: out.files[0]!.content as string, diagnostics: out.diagnostics, path: out.files[0]!.path };
};

describe('kickstart writer', () => {
  it('writes a kickstart that reads back without errors, %end on every section', () => {
    const { text, path } = textOf(sampleIr(), 'F43');
    expect(path).toBe('kickstart.ks');
    expect(text.startsWith('#version=F43\n')).toBe(true);
    const sections = text.split('\n').filter((l) => l.startsWith('%') && l !== '%end').length;
    expect(text.split('\n').filter((l) => l === '%end')).toHaveLength(sections);
    const back = reread(text, 'F43');
    expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(back.ir!.accounts.root!.password).toEqual({ plain: 'pa#ss word' });
    expect(back.ir!.system.kernel.cmdline).toEqual(['console=ttyS0', 'quiet']);
    expect(back.ir!.accounts.users[0]!.sshKeys).toEqual(['ssh-ed25519 AAAA me@host']);
    // the module command is deprecated in F43: only the %packages module survives there
    expect(back.ir!.packages.modules).toEqual([sampleIr().packages.modules[0]]);
    const rhel9 = reread(textOf(sampleIr(), 'RHEL9').text, 'RHEL9');
    // module commands are read before %packages, so they come first
    expect(rhel9.ir!.packages.modules).toEqual([...sampleIr().packages.modules].reverse());
  });

  it('reports what it can only approximate', () => {
    const { diagnostics } = textOf(sampleIr(), 'F43');
    const pointers = diagnostics.map((d) => d.pointer);
    expect(pointers).toEqual(
      expect.arrayContaining([
        '/repositories/0/urls',
        '/system/services/mask',
        '/packages/install/1',
        '/storage/partitions/1/size/min',
        '/scripts/0/phase',
        '/scripts/1',
      ]),
    );
  });

  it('chooses version-specific spellings', () => {
    const f43 = textOf(sampleIr(), 'F43').text;
    expect(f43).toContain('timesource --ntp-server=ntp1');
    expect(f43).toContain('%packages --exclude-weakdeps --inst-langs=en');
    expect(f43).toContain('part /boot/efi --fstype=efi --size=512');
    expect(f43).toContain("rootpw --plaintext 'pa#ss word'");
    const rhel8 = textOf(sampleIr(), 'RHEL8').text;
    expect(rhel8).toContain('timezone UTC --ntpservers=ntp1,ntp2');
    expect(rhel8).toContain('%packages --excludeWeakdeps --instLangs=en');
    expect(reread(rhel8, 'RHEL8').diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('leaves out commands and options the target version lacks, with a warning', () => {
    const ir = emptyIr();
    ir.extensions.kickstart = {
      commands: [
        { name: 'bootc', args: ['--source-imgref=registry:quay.io/x/y'] },
        { name: 'rootpw', args: [] },
      ],
      options: { '/accounts/root': ['--allow-ssh'] },
    };
    ir.accounts.root = { password: { locked: true }, sshKeys: [] };
    const rhel9 = textOf(ir, 'RHEL9');
    expect(rhel9.text).not.toContain('bootc');
    expect(rhel9.diagnostics.map((d) => [d.code, d.pointer])).toContainEqual([
      'IMGC6002',
      '/extensions/kickstart/commands',
    ]);
    const rhel10 = textOf(ir, 'RHEL10');
    expect(rhel10.text).toContain('bootc --source-imgref=registry:quay.io/x/y');
    expect(rhel10.text).toContain('rootpw --lock --allow-ssh');
    const rhel7 = textOf(ir, 'RHEL7');
    expect(rhel7.text).not.toContain('--allow-ssh');
  });

  it('rejects an unknown target version', () => {
    expect(
      writeKickstart(emptyIr(), { options: { ksVersion: 'F2' } }).diagnostics.map((d) => d.code),
    ).toEqual(['IMGC5020']);
  });

  it('is stable: IR → kickstart → IR → kickstart gives the same bytes and IR', () => {
    const first = textOf(sampleIr(), 'F43').text;
    const ir1 = reread(first, 'F43').ir!;
    const second = textOf(ir1, 'F43').text;
    expect(second).toBe(first);
    expect(normalizeIr(reread(second, 'F43').ir!)).toEqual(normalizeIr(ir1));
  });
});

describe('kickstart writer: what it cannot say is reported', () => {
  it('reports defaults it leaves implicit, patterns, inline script files and unusual roles', () => {
    const ir = emptyIr();
    ir.repositories.push({ id: 'r', urls: ['https://x'], sslVerify: true, usage: 'image-only' });
    ir.packages.groups.push({ name: 'base', kind: 'pattern' }, { name: 'core', kind: 'group' });
    ir.packages.modules.push({ name: 'perl', state: 'installed' });
    ir.packages.installDocs = true;
    ir.scripts.push({ phase: 'post-install', chroot: true, body: 'echo', source: 'post.sh' });
    ir.storage = {
      mode: 'explicit',
      encryption: { passphrase: 'x' },
      partitions: [
        { role: 'root-verity', size: { min: MIB } },
        { role: 'root', size: { min: MIB } },
      ],
      volumeGroups: [],
      raid: [],
      mountpoints: [],
    };
    const { text, diagnostics } = textOf(ir, 'RHEL9');
    expect(diagnostics.map((d) => d.pointer)).toEqual(
      expect.arrayContaining([
        '/repositories/0/sslVerify',
        '/repositories/0/usage',
        '/packages/groups/0/kind',
        '/packages/groups/1/kind',
        '/packages/modules/0/state',
        '/packages/installDocs',
        '/scripts/0/source',
        '/storage/encryption',
        '/storage/partitions/0/role',
      ]),
    );
    expect(text).toContain('part / --size=1');
    expect(reread(text, 'RHEL9').diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('kickstart writer: btrfs', () => {
  it('writes a btrfs root with subvolumes as part + btrfs volume + subvolumes', () => {
    const ir = emptyIr();
    ir.storage = {
      mode: 'explicit',
      partitions: [
        {
          role: 'root',
          mountpoint: '/',
          filesystem: 'btrfs',
          size: { min: 4096 * MIB },
          subvolumes: [{ name: 'home', mountpoint: '/home' }],
        },
      ],
      volumeGroups: [],
      raid: [],
      mountpoints: [],
    };
    const { text } = textOf(ir, 'F43');
    expect(text).toContain(
      'part btrfs.01 --fstype=btrfs --size=4096\nbtrfs / --label=btrfs0 btrfs.01\nbtrfs /home --subvol --name=home LABEL=btrfs0\n',
    );
    const back = reread(text, 'F43');
    expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(back.ir!.storage!.partitions[0]).toMatchObject({
      role: 'root',
      mountpoint: '/',
      filesystem: 'btrfs',
      subvolumes: [{ name: 'home', mountpoint: '/home' }],
    });
    expect(textOf(ir, 'RHEL10').diagnostics.map((d) => d.pointer)).toContain(
      '/storage/partitions/0/subvolumes',
    );
  });
});

describe('kickstart writer: OSTree payloads (decision 0112)', () => {
  it('reads ostreesetup and ostreecontainer as outputs and writes them back with their other options', () => {
    const text = [
      'ostreesetup --nogpg --url=http://10.0.2.2:8000/repo/ --osname=rhel --remote=edge --ref=rhel/9/x86_64/edge',
      'ostreecontainer --no-signature-verification --stateroot=sr --url=quay.io/x/y:1',
      'rootpw --lock',
    ].join('\n');
    const first = reread(text, 'RHEL9');
    expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(first.ir!.outputs).toEqual([
      {
        type: 'ostree-disk',
        ostree: {
          ref: 'rhel/9/x86_64/edge',
          url: 'http://10.0.2.2:8000/repo/',
          remote: 'edge',
          osName: 'rhel',
        },
      },
      { type: 'bootc-oci', ostree: { url: 'quay.io/x/y:1', osName: 'sr' } },
    ]);
    const written = textOf(first.ir!, 'RHEL9');
    expect(written.diagnostics.filter((d) => d.code === 'IMGC6001')).toEqual([]);
    expect(written.text).toContain(
      'ostreesetup --osname=rhel --remote=edge --url=http://10.0.2.2:8000/repo/ --ref=rhel/9/x86_64/edge --nogpg',
    );
    expect(written.text).toContain(
      'ostreecontainer --stateroot=sr --url=quay.io/x/y:1 --no-signature-verification',
    );
    expect(reread(written.text, 'RHEL9').ir!.outputs).toEqual(first.ir!.outputs);
  });

  it('reports an ostree output it cannot write as a loss', () => {
    const ir = sampleIr();
    ir.outputs = [{ type: 'ostree-disk', ostree: { ref: 'a/b' } }, { type: 'ostree-commit' }];
    const written = textOf(ir, 'RHEL9');
    expect(written.text).not.toContain('ostreesetup');
    const lost = written.diagnostics.filter(
      (d) => d.code === 'IMGC6003' || d.code === 'IMGC6001' || /not written/.test(d.message),
    );
    expect(lost.map((d) => d.pointer)).toEqual(expect.arrayContaining(['/outputs/0', '/outputs/1']));
  });
});
