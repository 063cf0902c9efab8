import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeBuildNoise, SSH_KEYGEN_DROPIN } from '../../src/exec/build-noise.js';

let tree: string;
const put = (rel: string, text = 'x') => {
  mkdirSync(dirname(join(tree, rel)), { recursive: true });
  writeFileSync(join(tree, rel), text);
};
beforeEach(() => {
  tree = mkdtempSync(join(tmpdir(), 'imgc-noise-'));
});
afterEach(() => rmSync(tree, { recursive: true, force: true }));

describe('removeBuildNoise', () => {
  it('removes what records the build, keeps what the image needs', async () => {
    for (const rel of [
      'var/lib/systemd/random-seed',
      'var/cache/ldconfig/aux-cache',
      'var/cache/debconf/config.dat-old',
      'var/lib/dpkg/status-old',
      'etc/shadow-',
      'var/cache/apt/pkgcache.bin',
      'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease',
      'usr/lib/python3/dist-packages/x/__pycache__/a.cpython-311.pyc',
      'etc/ssh/ssh_host_ed25519_key',
      'etc/ssh/ssh_host_ed25519_key.pub',
      'var/lib/dbus/machine-id',
    ])
      put(rel);
    mkdirSync(join(tree, 'var/lib/apt/lists/partial'), { recursive: true });
    put('var/lib/apt/lists/lock', '');
    put('var/cache/debconf/config.dat', 'kept');
    put('var/lib/dpkg/status', 'kept');
    put('etc/ssh/sshd_config', 'kept');
    put('usr/lib/python3/dist-packages/x/a.py', 'kept');
    put('etc/resolv.conf', 'nameserver 10.0.0.1\n');
    const removed = await removeBuildNoise(tree, 'nameserver 10.0.0.1\n');
    for (const gone of [
      'var/lib/systemd/random-seed',
      'var/cache/ldconfig/aux-cache',
      'var/cache/debconf/config.dat-old',
      'var/lib/dpkg/status-old',
      'etc/shadow-',
      'var/cache/apt/pkgcache.bin',
      'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease',
      'usr/lib/python3/dist-packages/x/__pycache__',
      'etc/ssh/ssh_host_ed25519_key',
      'var/lib/dbus/machine-id',
    ])
      expect(existsSync(join(tree, gone)), gone).toBe(false);
    for (const kept of [
      'var/cache/debconf/config.dat',
      'var/lib/dpkg/status',
      'etc/ssh/sshd_config',
      'usr/lib/python3/dist-packages/x/a.py',
      'var/lib/apt/lists/lock',
      'var/lib/apt/lists/partial',
    ])
      expect(existsSync(join(tree, kept)), kept).toBe(true);
    expect(readFileSync(join(tree, 'etc/resolv.conf'), 'utf8')).toBe('');
    expect(readFileSync(join(tree, SSH_KEYGEN_DROPIN.path), 'utf8')).toContain('ssh-keygen -A');
    expect(removed).toContain("etc/resolv.conf (the host's copy, emptied)");
  });

  it('keeps a resolv.conf the definition wrote and a machine-id link', async () => {
    put('etc/resolv.conf', 'nameserver 192.0.2.1\n');
    mkdirSync(join(tree, 'var/lib/dbus'), { recursive: true });
    symlinkSync('/etc/machine-id', join(tree, 'var/lib/dbus/machine-id'));
    expect(await removeBuildNoise(tree, 'nameserver 10.0.0.1\n')).toEqual([]);
    expect(readFileSync(join(tree, 'etc/resolv.conf'), 'utf8')).toBe('nameserver 192.0.2.1\n');
  });
});
