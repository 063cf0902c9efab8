/**
 * imgc's /.kconfig run for real: each case sources it in a chroot of a small root (dash as
 * /bin/sh, the host's coreutils/awk/sed/grep, a fake systemctl that logs its arguments) under
 * `set -e`, and checks what the helper did to the tree.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HELPER_NAMES, HELPERS, kconfigText } from '../../../src/ir/kiwi-script-env/index.js';
import { makeToolRoot, TOOL_PATH } from './tool-root.js';

const why =
  process.getuid?.() !== 0
    ? 'chroot needs root'
    : spawnSync('sh', ['-c', 'command -v chroot ldd']).status !== 0
      ? 'chroot or ldd missing'
      : undefined;
if (why) console.warn(`SKIPPED: /.kconfig chroot tests: ${why}`);
const maybe = why ? it.skip : it;

const base = '/var/tmp/imgc-tests';
let tree = '';
afterEach(() => {
  if (tree) rmSync(tree, { recursive: true, force: true });
  tree = '';
});

function freshTree(): string {
  mkdirSync(base, { recursive: true });
  tree = mkdtempSync(join(base, 'kconfig-'));
  makeToolRoot(tree);
  writeFileSync(join(tree, '.kconfig'), kconfigText());
  return tree;
}

function put(path: string, text: string, mode = 0o644): void {
  mkdirSync(join(tree, path, '..'), { recursive: true });
  writeFileSync(join(tree, path), text);
  chmodSync(join(tree, path), mode);
}

function run(script: string, env: Record<string, string> = {}) {
  const r = spawnSync('chroot', [tree, '/bin/sh', '-c', `set -e\n. /.kconfig\n${script}\necho done`], {
    encoding: 'utf8',
    env: { PATH: TOOL_PATH, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const calls = () =>
  existsSync(join(tree, 'calls.log')) ? readFileSync(join(tree, 'calls.log'), 'utf8') : '';

describe('/.kconfig', () => {
  it('defines every function name KIWI defines, each once', () => {
    const text = kconfigText();
    for (const name of HELPER_NAMES) {
      const defs = text.split('\n').filter((l) => l.startsWith(`${name}() {`));
      expect(defs, name).toHaveLength(1);
    }
    // KIWI 9.24 and 10 define 60 functions, one of them (`deprecated`) the helper of the removed
    // ones; imgc adds one that KIWI 7 had and old descriptions still call
    expect(Object.keys(HELPERS).length).toBe(60);
  });

  it('is valid for dash and bash', () => {
    for (const shell of ['dash', 'bash']) {
      const r = spawnSync(shell, ['-n'], { input: kconfigText(), encoding: 'utf8' });
      expect(r.stderr, shell).toBe('');
      expect(r.status, shell).toBe(0);
    }
  });

  maybe('enables and disables services that exist, through systemctl, and skips others', () => {
    freshTree();
    put('etc/systemd/system/sshd.service', '[Service]\n');
    put('usr/lib/systemd/system/chronyd.service', '[Service]\n');
    put('etc/init.d/legacy', '#!/bin/sh\n', 0o755);
    const r = run(
      [
        'suseInsertService sshd',
        'baseInsertService chronyd',
        'baseRemoveService legacy',
        'baseService chronyd off',
        'suseService sshd on',
        'suseRemoveService nosuch',
      ].join('\n'),
    );
    expect(r.stdout).toContain('done');
    expect(r.status).toBe(0);
    expect(calls().split('\n')).toEqual([
      'systemctl enable sshd',
      'systemctl enable chronyd',
      'systemctl disable legacy',
      'systemctl disable chronyd',
      'systemctl enable sshd',
      '',
    ]);
    expect(r.stderr).toContain('no systemd unit or SysV service named nosuch');
  });

  maybe('reports installed units and SysV services by path and name', () => {
    freshTree();
    put('usr/lib/systemd/system/tmp.mount', '[Mount]\n');
    put('etc/init.d/legacy', '#!/bin/sh\n', 0o755);
    const r = run(
      'echo "unit=$(baseSystemdServiceInstalled tmp)"\necho "sysv=$(baseSysVServiceInstalled legacy)"\necho "none=$(baseSystemdServiceInstalled nosuch)"',
    );
    expect(r.stdout).toContain('unit=/usr/lib/systemd/system/tmp.mount\n');
    expect(r.stdout).toContain('sysv=legacy\n');
    expect(r.stdout).toContain('none=\n');
  });

  maybe('sets the default target from a runlevel number or a target name', () => {
    freshTree();
    put('usr/lib/systemd/system/multi-user.target', '');
    put('usr/lib/systemd/system/graphical.target', '');
    put('usr/lib/systemd/system/rescue.target', '');
    const link = () => readlinkSync(join(tree, 'etc/systemd/system/default.target'));
    expect(run('baseSetRunlevel 3').status).toBe(0);
    expect(link()).toBe('/usr/lib/systemd/system/multi-user.target');
    run('baseSetRunlevel 5');
    expect(link()).toBe('/usr/lib/systemd/system/graphical.target');
    run('baseSetRunlevel rescue.target');
    expect(link()).toBe('/usr/lib/systemd/system/rescue.target');
    const missing = run('baseSetRunlevel nosuch.target');
    expect(missing.status).toBe(0);
    expect(missing.stdout).toContain("Can't find systemd target: nosuch.target");
    expect(link()).toBe('/usr/lib/systemd/system/rescue.target');
  });

  maybe('updates a sysconfig variable literally and leaves the rest of the file alone', () => {
    freshTree();
    put('etc/sysconfig/console', 'CONSOLE_FONT=""\n# CONSOLE_FONT is the font\nCONSOLE_FONT_X="1"\n');
    const r = run(`baseUpdateSysConfig /etc/sysconfig/console CONSOLE_FONT 'a/b & "c"'`);
    expect(r.status).toBe(0);
    expect(readFileSync(join(tree, 'etc/sysconfig/console'), 'utf8')).toBe(
      'CONSOLE_FONT="a/b & "c""\n# CONSOLE_FONT is the font\nCONSOLE_FONT_X="1"\n',
    );
    const missing = run('baseUpdateSysConfig /etc/sysconfig/nosuch A b');
    expect(missing.status).toBe(0);
    expect(missing.stdout).toContain('config file /etc/sysconfig/nosuch not found');
  });

  maybe('links the base product named by os-release, else the last .prod file', () => {
    freshTree();
    put('etc/os-release', 'NAME="openSUSE"\nID=opensuse-leap\n');
    put('etc/products.d/openSUSE.prod', '<product/>');
    put('etc/products.d/SLES.prod', '<product/>');
    expect(run('suseSetupProduct').status).toBe(0);
    expect(readlinkSync(join(tree, 'etc/products.d/baseproduct'))).toBe('openSUSE.prod');
    put('etc/os-release', 'NAME="Other"\n');
    run('suseSetupProduct');
    expect(readlinkSync(join(tree, 'etc/products.d/baseproduct'))).toBe('openSUSE.prod');
    rmSync(join(tree, 'etc/products.d/openSUSE.prod'));
    run('suseSetupProduct');
    expect(readlinkSync(join(tree, 'etc/products.d/baseproduct'))).toBe('SLES.prod');
  });

  maybe('says so, and goes on, when there is no product to link', () => {
    freshTree();
    const r = run('suseSetupProduct');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('no /etc/products.d');
    expect(existsSync(join(tree, 'etc/products.d'))).toBe(false);
  });

  maybe('writes the build day, from SOURCE_DATE_EPOCH when set', () => {
    freshTree();
    expect(run('baseSetupBuildDay', { SOURCE_DATE_EPOCH: '1700000000' }).status).toBe(0);
    expect(readFileSync(join(tree, 'build_day'), 'utf8')).toBe('build_day=20231114\n');
  });

  maybe('strips locales and translations except the ones kept', () => {
    freshTree();
    for (const l of ['en_US.utf8', 'de_DE.utf8', 'C.utf8']) put(`usr/lib/locale/${l}/LC_CTYPE`, '');
    put('usr/share/locale/de/LC_MESSAGES/a.mo', '');
    put('usr/share/locale/fr/LC_MESSAGES/a.mo', '');
    const r = run('baseStripLocales en_US C\nbaseStripTranslations /de/');
    expect(r.status).toBe(0);
    expect(readdirSync(join(tree, 'usr/lib/locale')).sort()).toEqual(['C.utf8', 'en_US.utf8']);
    expect(existsSync(join(tree, 'usr/share/locale/de/LC_MESSAGES/a.mo'))).toBe(true);
    expect(existsSync(join(tree, 'usr/share/locale/fr/LC_MESSAGES/a.mo'))).toBe(false);
  });

  maybe('prints with Echo always and with Debug only when DEBUG=1; Rm removes', () => {
    freshTree();
    put('junk', 'x');
    const quiet = run('Echo hello\nEcho -b indented\nDebug hidden\nRm /junk');
    expect(quiet.stdout).toBe('-----> hello\n       indented\ndone\n');
    expect(existsSync(join(tree, 'junk'))).toBe(false);
    expect(run('Debug shown', { DEBUG: '1' }).stdout).toBe('+++++> shown\ndone\n');
  });

  maybe('stops the script at a function KIWI removed, with status 1 and the reason', () => {
    freshTree();
    const r = run('baseCleanMount');
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('done');
    expect(r.stderr).toContain('baseCleanMount() was removed from KIWI');
  });

  maybe('warns and goes on at a KIWI internal imgc does not implement', () => {
    freshTree();
    const r = run('suseStripKernel');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('suseStripKernel is a KIWI internal that imgc does not implement');
  });

  maybe('sets up a Vagrant box except for the insecure key, and says so', () => {
    freshTree();
    put('etc/sudoers.d/README', '');
    put('etc/ssh/sshd_config.d/README', '');
    put('usr/lib/systemd/system/sshd.service', '');
    put('etc/passwd', 'root:x:0:0::/root:/bin/sh\nvagrant:x:1000:1000::/home/vagrant:/bin/sh\n');
    put('etc/group', 'root:x:0:\nvagrant:x:1000:\n');
    const r = run('baseVagrantSetup');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("does not insert Vagrant's insecure key");
    expect(readFileSync(join(tree, 'etc/sudoers.d/vagrant'), 'utf8')).toBe(
      'vagrant ALL=(ALL) NOPASSWD: ALL\n',
    );
    expect(lstatSync(join(tree, 'vagrant')).uid).toBe(1000);
    expect(calls()).toBe('systemctl enable sshd\n');
  });
});
