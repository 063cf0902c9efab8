/**
 * `imgc build` of an Arch definition with the real pacman against a local pacman repository
 * (hand-made .pkg.tar.zst files and repo-add) built at test time: the local database lists the
 * packages and their dependencies, the API filesystems are gone afterwards, and the system
 * settings of the IR are in the tree.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pacmanRepository } from '../../helpers/local-repos.js';
import { buildGate, cliBuild, groupMembers, linkTarget, passwdEntry, read } from '../family-build.js';
import { fixtureIr } from '../fixture-ir.js';

const gate = buildGate(['pacman', 'bsdtar', 'repo-add', 'useradd', 'systemctl']);
if (!gate.ok) console.warn(`SKIPPED: Arch build test: ${gate.why}`);
const maybe = gate.ok ? it : it.skip;

function pacmanQ(tree: string): string[] {
  return execFileSync('pacman', ['--root', tree, '--dbpath', join(tree, 'var/lib/pacman'), '-Qq'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean)
    .sort();
}

describe('arch backend: real pacman build', () => {
  maybe(
    'installs the packages with their dependencies and applies the system fields',
    async () => {
      const repo = pacmanRepository('NAME=Arch Linux\nID=arch\n');
      const ir = fixtureIr(
        { id: 'arch', release: 'rolling' },
        { id: 'imgc', type: 'pacman', urls: [join(repo, 'repo')], gpgCheck: false },
      );
      const result = await cliBuild(ir, 'arch');
      expect(result.code, result.stderr).toBe(0);
      const tree = result.tree;

      // pacman resolved imgc-lib (a depend of hello and daemon) and tzdata for the timezone
      expect(pacmanQ(tree)).toEqual(['imgc-base', 'imgc-daemon', 'imgc-hello', 'imgc-lib', 'tzdata']);
      expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(result.outDir);
      expect(readdirSync(join(tree, 'proc'))).toEqual([]);
      expect(existsSync(join(tree, 'usr/share/imgc-extra/x'))).toBe(false);
      expect(read(tree, 'usr/share/imgc-hello/hello.txt')).toBe('hello\n');

      expect(read(tree, 'etc/hostname')).toBe('box.example.org\n');
      expect(read(tree, 'etc/locale.conf')).toBe('LANG=de_DE.UTF-8\n');
      expect(read(tree, 'etc/locale.gen')).toBe('de_DE.UTF-8 UTF-8\n');
      // the fixture image has no glibc, so locale-gen cannot run: said, not hidden
      expect(result.stderr).toContain('locale-gen is not in the image');
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
      expect(read(tree, 'etc/pacman.d/imgc-repos.conf')).toContain(`Server = file://${join(repo, 'repo')}`);
    },
    120_000,
  );

  maybe(
    "reports a missing package with pacman's reason and leaves no output",
    async () => {
      const repo = pacmanRepository('NAME=Arch Linux\nID=arch\n');
      const ir = fixtureIr(
        { id: 'arch', release: 'rolling' },
        { id: 'imgc', type: 'pacman', urls: [join(repo, 'repo')], gpgCheck: false },
      );
      ir.packages.install.push({ name: 'no-such-package' });
      const result = await cliBuild(ir, 'arch-missing');
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('IMGC7210');
      expect(result.stderr).toContain('no package or group named no-such-package');
      expect(existsSync(result.tree)).toBe(false);
    },
    120_000,
  );
});
