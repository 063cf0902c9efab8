/**
 * `imgc build` of an openSUSE Leap definition with the real zypper against a local rpm-md
 * repository built at test time: the rpm database lists the packages and their dependencies,
 * excluded packages stay out (zypp locks), and the system settings of the IR are in the tree.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rpmRepository, signedRpmRepository } from '../../helpers/local-repos.js';
import { buildGate, cliBuild, groupMembers, linkTarget, passwdEntry, read } from '../family-build.js';
import { fixtureIr } from '../fixture-ir.js';

const gate = buildGate(['zypper', 'rpm', 'rpmbuild', 'createrepo_c', 'useradd', 'systemctl']);
if (!gate.ok) console.warn(`SKIPPED: openSUSE build test: ${gate.why}`);
const maybe = gate.ok ? it : it.skip;

function rpmQa(tree: string): string[] {
  return execFileSync(
    'rpm',
    ['--root', tree, '--dbpath', '/usr/lib/sysimage/rpm', '-qa', '--qf', '%{NAME}\\n'],
    {
      encoding: 'utf8',
      env: { ...process.env, RPM_FORCE_DEBIAN: '1' },
    },
  )
    .split('\n')
    .filter(Boolean)
    .sort();
}

describe('suse backend: real zypper build', () => {
  maybe(
    'installs the packages with their dependencies and applies the system fields',
    async () => {
      const repo = rpmRepository('NAME=openSUSE Leap\nID=opensuse-leap\nVERSION_ID=15.6\n');
      const ir = fixtureIr(
        { id: 'opensuse-leap', release: '15.6' },
        { id: 'local', type: 'rpm-md', urls: [join(repo, 'repo')], gpgCheck: false },
      );
      const result = await cliBuild(ir, 'suse');
      expect(result.code, result.stderr).toBe(0);
      const tree = result.tree;

      // zypper resolved imgc-lib (required by hello and daemon) and the system packages (timezone, glibc-locale)
      expect(existsSync(join(tree, 'usr/lib/sysimage/rpm/rpmdb.sqlite'))).toBe(true);
      expect(existsSync(join(tree, 'root/.rpmdb'))).toBe(false);
      expect(rpmQa(tree)).toEqual([
        'glibc-locale',
        'imgc-base',
        'imgc-daemon',
        'imgc-hello',
        'imgc-lib',
        'timezone',
      ]);
      expect(existsSync(join(tree, 'usr/share/imgc-extra/x'))).toBe(false);
      expect(read(tree, 'usr/share/imgc-hello/hello.txt')).toBe('hello\n');

      expect(read(tree, 'etc/hostname')).toBe('box.example.org\n');
      expect(read(tree, 'etc/locale.conf')).toBe('LANG=de_DE.UTF-8\n');
      expect(read(tree, 'etc/vconsole.conf')).toBe('KEYMAP=de-latin1\n');
      expect(linkTarget(tree, 'etc/localtime')).toBe('../usr/share/zoneinfo/Europe/Berlin');
      expect(read(tree, 'etc/kernel/cmdline')).toBe('console=ttyS0\n');
      expect(read(tree, 'etc/motd')).toBe('built by imgc\n');
      expect(read(tree, 'etc/imgc-overlay.txt')).toBe('from the overlay\n');
      expect(read(tree, 'etc/imgc-phase')).toBe('post-install\n');

      expect(passwdEntry(tree, 'alice')?.slice(2, 7)).toEqual([
        '1500',
        '1500',
        '',
        '/home/alice',
        '/bin/bash',
      ]);
      expect(groupMembers(tree, 'wheel')).toEqual(['alice']);
      expect(groupMembers(tree, 'devs')).toEqual(['alice']);
      const shadow = read(tree, 'etc/shadow');
      expect(shadow).toMatch(/^alice:\$6\$[^:]+:/m);
      expect(shadow).toContain('root:$6$fixture$0123456789abcdefghijklmnopqrstuv:');
      expect(read(tree, 'home/alice/.ssh/authorized_keys')).toContain('alice@example.org');
      expect(statSync(join(tree, 'home/alice/.ssh/authorized_keys')).uid).toBe(1500);

      expect(linkTarget(tree, 'etc/systemd/system/multi-user.target.wants/imgc-daemon.service')).toBe(
        '/usr/lib/systemd/system/imgc-daemon.service',
      );
      expect(read(tree, 'etc/zypp/repos.d/imgc.repo')).toContain(`baseurl=file://${join(repo, 'repo')}`);
      // zypper's caches stay outside the tree
      expect(existsSync(join(tree, 'var/cache/zypp/raw'))).toBe(false);
    },
    120_000,
  );

  maybe(
    "reports a missing package with zypper's reason and leaves no output",
    async () => {
      const repo = rpmRepository('NAME=openSUSE Leap\nID=opensuse-leap\nVERSION_ID=15.6\n');
      const ir = fixtureIr(
        { id: 'opensuse-leap', release: '15.6' },
        { id: 'local', type: 'rpm-md', urls: [join(repo, 'repo')], gpgCheck: false },
      );
      ir.packages.install.push({ name: 'no-such-package' });
      const result = await cliBuild(ir, 'suse-missing');
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('IMGC7210');
      expect(result.stderr).toContain('no package or pattern named no-such-package');
      expect(existsSync(result.tree)).toBe(false);
    },
    120_000,
  );

  maybe(
    "checks signatures by default: the IR's key lets a signed repository in, without it the build stops",
    async () => {
      const signed = signedRpmRepository('NAME=openSUSE Leap\nID=opensuse-leap\nVERSION_ID=15.6\n');
      const ir = fixtureIr(
        { id: 'opensuse-leap', release: '15.6' },
        { id: 'signed', type: 'rpm-md', urls: [join(signed, 'repo')], gpgKeys: [join(signed, 'key.asc')] },
      );
      const ok = await cliBuild(ir, 'suse-gpg');
      expect(ok.code, ok.stderr).toBe(0);
      expect(rpmQa(ok.tree)).toContain('gpg-pubkey');

      const keyless = fixtureIr(
        { id: 'opensuse-leap', release: '15.6' },
        { id: 'signed', type: 'rpm-md', urls: [join(signed, 'repo')] },
      );
      const refused = await cliBuild(keyless, 'suse-nokey');
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('IMGC7205');
      expect(refused.stderr).toContain('IMGC7210');
      expect(existsSync(refused.tree)).toBe(false);
    },
    180_000,
  );
});
