/**
 * `imgc build` of a Fedora definition with the real dnf against a local rpm-md repository
 * built at test time: the rpm database (at Fedora's path) lists the packages and their
 * dependencies, and the system settings of the IR are in the tree.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rpmRepository, signedRpmRepository } from '../../helpers/local-repos.js';
import { buildGate, cliBuild, groupMembers, linkTarget, passwdEntry, read } from '../family-build.js';
import { fixtureIr } from '../fixture-ir.js';

const gate = buildGate([
  'dnf',
  'rpm',
  'rpmbuild',
  'createrepo_c',
  'useradd',
  'systemctl',
  'mkfs.ext4',
  'debugfs',
]);
if (!gate.ok) console.warn(`SKIPPED: Fedora build test: ${gate.why}`);
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

describe('fedora backend: real dnf build', () => {
  maybe(
    'installs the packages with their dependencies and applies the system fields',
    async () => {
      const repo = rpmRepository('NAME=Fedora Linux\nID=fedora\nVERSION_ID=40\n');
      const ir = fixtureIr(
        { id: 'fedora', release: '40' },
        { id: 'local', type: 'rpm-md', urls: [join(repo, 'repo')], gpgCheck: false },
      );
      const result = await cliBuild(ir, 'fedora');
      expect(result.code, result.stderr).toBe(0);
      const tree = result.tree;

      // dnf resolved imgc-lib (required by hello and daemon) and the system packages (tzdata, langpack)
      expect(existsSync(join(tree, 'usr/lib/sysimage/rpm/rpmdb.sqlite'))).toBe(true);
      expect(existsSync(join(tree, 'root/.rpmdb'))).toBe(false);
      expect(rpmQa(tree)).toEqual([
        'glibc-langpack-de',
        'imgc-base',
        'imgc-daemon',
        'imgc-hello',
        'imgc-lib',
        'tzdata',
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
      expect(read(tree, 'etc/yum.repos.d/imgc.repo')).toContain(`baseurl=file://${join(repo, 'repo')}`);
    },
    120_000,
  );

  maybe(
    'installs and enables a first-boot unit, and runs pre-disk and disk scripts into the disk image only',
    async () => {
      const repo = rpmRepository('NAME=Fedora Linux\nID=fedora\nVERSION_ID=40\n');
      const ir = fixtureIr(
        { id: 'fedora', release: '40' },
        { id: 'local', type: 'rpm-md', urls: [join(repo, 'repo')], gpgCheck: false },
      );
      // a disk without kernel or boot loader: the fixture packages have neither
      ir.system.kernel.package = 'imgc-base';
      ir.system.initrd = { generator: 'none' };
      ir.boot = { bootloader: 'none' };
      ir.outputs = [{ type: 'directory' }, { type: 'disk' }];
      // the fixture tree has no shell, so these run on the host against $IMGC_ROOT
      ir.scripts.push(
        { phase: 'first-boot', chroot: true, name: 'welcome.sh', body: 'echo welcome >/etc/welcome\n' },
        { phase: 'pre-disk', chroot: false, body: 'echo "$IMGC_PHASE" >"$IMGC_ROOT/etc/imgc-pre-disk"\n' },
        {
          phase: 'disk',
          chroot: false,
          body: 'printf "%s\\n" "$IMGC_DISK_NAME" "$IMGC_DISK_PARTITIONS" >"$IMGC_OUTPUT_DIR/disk-script.txt"\n',
        },
      );
      const result = await cliBuild(ir, 'fedora-phases');
      expect(result.code, result.stderr).toBe(0);
      const tree = result.tree;

      const unit = 'imgc-first-boot-01-welcome.service';
      expect(read(tree, `etc/systemd/system/${unit}`)).toContain(
        'ExecStart=/bin/sh /usr/local/lib/imgc/first-boot/01-welcome\n',
      );
      expect(linkTarget(tree, `etc/systemd/system/multi-user.target.wants/${unit}`)).toBe(
        `/etc/systemd/system/${unit}`,
      );
      expect(read(tree, 'usr/local/lib/imgc/first-boot/01-welcome')).toBe('echo welcome >/etc/welcome\n');
      expect(statSync(join(tree, 'usr/local/lib/imgc/first-boot/01-welcome')).mode & 0o777).toBe(0o755);
      // the fixture image has neither systemd nor a shell, and the build says so
      expect(result.stderr).toContain('IMGC7305');
      expect(result.stderr).toContain('the image has no systemd');

      // the directory output was written before the pre-disk script changed the tree
      expect(existsSync(join(tree, 'etc/imgc-pre-disk'))).toBe(false);
      const disk = join(result.outDir, 'imgc-fedora-test.raw');
      const lines = readFileSync(join(result.outDir, 'disk-script.txt'), 'utf8').split('\n');
      expect(lines[0]).toBe('imgc-fedora-test.raw');
      const root = lines.find((l) => / root ext4 /.test(l))!.split(' ');
      const part = `${disk}.root`;
      execFileSync('dd', [
        `if=${disk}`,
        `of=${part}`,
        'bs=1M',
        `skip=${Number(root[3]) / 2 ** 20}`,
        `count=${Number(root[4]) / 2 ** 20}`,
        'status=none',
      ]);
      const cat = (path: string) =>
        execFileSync('debugfs', ['-R', `cat ${path}`, part], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
      expect(cat('/etc/imgc-pre-disk')).toBe('pre-disk\n');
      expect(cat(`/etc/systemd/system/${unit}`)).toContain('StateDirectory=imgc/first-boot/01-welcome');
      rmSync(part, { force: true });
    },
    180_000,
  );

  maybe(
    "reports a missing package with dnf's reason and leaves no output",
    async () => {
      const repo = rpmRepository('NAME=Fedora Linux\nID=fedora\nVERSION_ID=40\n');
      const ir = fixtureIr(
        { id: 'fedora', release: '40' },
        { id: 'local', type: 'rpm-md', urls: [join(repo, 'repo')], gpgCheck: false },
      );
      ir.packages.install.push({ name: 'no-such-package' });
      const result = await cliBuild(ir, 'fedora-missing');
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('IMGC7210');
      expect(result.stderr).toContain('no package or group named no-such-package');
      expect(existsSync(result.tree)).toBe(false);
    },
    120_000,
  );

  maybe(
    "checks signatures by default: the IR's key lets a signed repository in, without it the build stops",
    async () => {
      const signed = signedRpmRepository('NAME=Fedora Linux\nID=fedora\nVERSION_ID=40\n');
      const ir = fixtureIr(
        { id: 'fedora', release: '40' },
        { id: 'signed', type: 'rpm-md', urls: [join(signed, 'repo')], gpgKeys: [join(signed, 'key.asc')] },
      );
      const ok = await cliBuild(ir, 'fedora-gpg');
      expect(ok.code, ok.stderr).toBe(0);
      expect(rpmQa(ok.tree)).toContain('gpg-pubkey');

      const keyless = fixtureIr(
        { id: 'fedora', release: '40' },
        { id: 'signed', type: 'rpm-md', urls: [join(signed, 'repo')] },
      );
      const refused = await cliBuild(keyless, 'fedora-nokey');
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('IMGC7205');
      expect(refused.stderr).toContain('IMGC7210');
      expect(existsSync(refused.tree)).toBe(false);
    },
    180_000,
  );
});
