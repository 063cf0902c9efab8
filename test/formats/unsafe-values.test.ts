/**
 * Values that would reach past the image are refused when a definition is read, in every
 * format, at the position they came from: line breaks that add lines to generated config
 * files, paths that climb with .., names that a package manager would take for options.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../src/backends/registry.js';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { emptyIr } from '../../src/ir/empty.js';
import { planBuild } from '../../src/plan/planner.js';
import { fakeHost } from '../plan/fake-host.js';

const registry = new FormatRegistry();

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'imgc-unsafe-')), name);
  writeFileSync(path, text);
  return path;
}

function hostileIr() {
  const ir = emptyIr();
  ir.distribution = { id: 'fedora', release: '41' };
  ir.repositories.push(
    { id: 'apt', urls: ['http://deb.example/debian\nTrusted: yes'] },
    { id: 'dnf', urls: ['http://rpm.example/'], username: 'u', password: 's3cret\n[evil]\ngpgcheck=0' },
  );
  ir.packages.install.push({ name: 'vim' }, { name: '--allow-unauthenticated' });
  ir.system.services.enable.push('--root=/');
  ir.accounts.users.push({
    name: 'mallory',
    groups: [],
    home: '/../../../../var/tmp/x',
    sshKeys: ['ssh-ed25519 AAAA key\nssh-ed25519 BBBB other'],
  });
  ir.files.push({ path: '/etc/../../var/tmp/f', content: 'x' });
  ir.overlays.push({ source: 'overlay', destination: '/srv/../..' });
  return ir;
}

describe('unsafe values in a definition', () => {
  it('are positioned errors in an IR document, with no secret in the message', async () => {
    const path = file('image.json', JSON.stringify(hostileIr(), null, 2));
    const { diagnostics } = await loadDefinition(registry, path);
    const found = diagnostics.map((d) => `${d.code} ${d.message.split(' ')[0]} ${d.line}`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^IMGC1040 \/repositories\/0\/urls\/0 \d+$/),
        expect.stringMatching(/^IMGC1040 \/repositories\/1\/password \d+$/),
        expect.stringMatching(/^IMGC1040 \/accounts\/users\/0\/sshKeys\/0 \d+$/),
        expect.stringMatching(/^IMGC1041 \/accounts\/users\/0\/home \d+$/),
        expect.stringMatching(/^IMGC1041 \/files\/0\/path \d+$/),
        expect.stringMatching(/^IMGC1041 \/overlays\/0\/destination \d+$/),
        expect.stringMatching(/^IMGC1042 \/packages\/install\/1\/name \d+$/),
        expect.stringMatching(/^IMGC1042 \/system\/services\/enable\/0 \d+$/),
      ]),
    );
    expect(diagnostics.filter((d) => /^IMGC104/.test(d.code))).toHaveLength(8);
    expect(diagnostics.every((d) => (d.line ?? 0) > 1)).toBe(true);
    expect(JSON.stringify(diagnostics)).not.toContain('s3cret');
  });

  it('are refused in a kickstart file at the line that wrote them', async () => {
    const path = file(
      'ks.cfg',
      'lang en_US.UTF-8\nuser --name=mallory --homedir=/../../../../../var/tmp/x\nsshkey --username=mallory "ssh-ed25519 AAAA"\n%packages\nvim\n%end\n',
    );
    const { diagnostics } = await loadDefinition(registry, path);
    const climbing = diagnostics.find((d) => d.code === 'IMGC1041');
    expect(climbing).toMatchObject({ line: 2 });
  });

  it('leave an ordinary definition alone', async () => {
    const ir = emptyIr();
    ir.distribution = { id: 'debian', release: 'bookworm' };
    ir.repositories.push({
      id: 'k',
      urls: ['http://x/'],
      gpgKeys: ['-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nabc\n'],
    });
    ir.accounts.users.push({ name: 'a', groups: [], home: '/home/a..b', sshKeys: ['ssh-ed25519 AAAA a@b'] });
    ir.files.push({ path: '/etc/motd', content: 'two\nlines\n' });
    const { diagnostics } = await loadDefinition(registry, file('ok.json', JSON.stringify(ir)));
    expect(diagnostics.filter((d) => /^IMGC104/.test(d.code))).toEqual([]);
  });
});

describe('Debian sources with gpgCheck off', () => {
  it('report IMGC7203 like dnf, zypper and pacman do', async () => {
    const ir = emptyIr();
    ir.distribution = { id: 'debian', release: 'bookworm', architecture: 'x86_64' };
    ir.repositories.push({
      id: 'unsigned',
      type: 'apt-deb822',
      urls: ['http://deb.example/debian'],
      gpgCheck: false,
    });
    const { diagnostics } = await planBuild({
      ir,
      backends: new BackendRegistry(),
      host: fakeHost(),
      sourceDir: '/nonexistent',
      sourceDateEpoch: 1_700_000_000,
    });
    expect(diagnostics.filter((d) => d.code === 'IMGC7203')).toMatchObject([{ pointer: '/repositories/0' }]);
  });
});
