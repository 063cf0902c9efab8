/**
 * KIWI as the judge of imgc's /.kconfig: each scenario runs twice in a chroot of the same
 * small root (bash, coreutils, fake systemctl and rpm), once with imgc's /.kconfig and once
 * with the functions.sh of the KIWI installed on this host (Debian's kiwi package, read at
 * test time, never copied into the repository), and the two runs must leave the same tree,
 * the same systemctl/rpm calls, the same exit status and the same output.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
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
import { afterAll, describe, expect, it } from 'vitest';
import { HELPERS, kconfigText } from '../../../src/ir/kiwi-script-env/index.js';
import { HELPER_TOOLS, makeToolRoot, TOOL_PATH } from './tool-root.js';

const KIWI_FUNCTIONS = '/usr/lib/python3/dist-packages/kiwi/config/functions.sh';
const why =
  process.getuid?.() !== 0
    ? 'chroot needs root'
    : !existsSync(KIWI_FUNCTIONS)
      ? `KIWI is not installed (${KIWI_FUNCTIONS}; apt-get install kiwi)`
      : undefined;
if (why) console.warn(`SKIPPED: /.kconfig against KIWI's own: ${why}`);
const maybe = why ? it.skip : it;

const base = '/var/tmp/imgc-tests';
const trees: string[] = [];
afterAll(() => {
  for (const t of trees) rmSync(t, { recursive: true, force: true });
});

type Files = Record<string, string | { link: string } | { exec: string }>;

interface Scenario {
  name: string;
  files: Files;
  run: string;
  /** a documented difference of the output: KIWI's Echo prints one or two spaces before the prefix */
  leadingSpaces?: boolean;
}

const UNITS: Files = {
  'usr/lib/systemd/system/sshd.service': '[Service]\n',
  'usr/lib/systemd/system/multi-user.target': '',
  'usr/lib/systemd/system/graphical.target': '',
  'usr/lib/systemd/system/rescue.target': '',
  'etc/systemd/system/local.service': '[Service]\n',
  'usr/lib/systemd/system/tmp.mount': '[Mount]\n',
  'etc/init.d/legacy': { exec: '#!/bin/sh\n' },
};

const SCENARIOS: Scenario[] = [
  {
    name: 'services on and off',
    files: UNITS,
    run: 'suseInsertService sshd; baseInsertService local; baseRemoveService legacy; baseService sshd off; suseService tmp on; suseRemoveService nosuch; baseService sshd; echo "[$(baseSystemdServiceInstalled sshd)] [$(baseSysVServiceInstalled legacy)] [$(baseSystemdServiceInstalled nosuch)]"',
  },
  { name: 'runlevel 3', files: UNITS, run: 'baseSetRunlevel 3' },
  { name: 'runlevel 5', files: UNITS, run: 'baseSetRunlevel 5' },
  { name: 'runlevel by target name', files: UNITS, run: 'baseSetRunlevel rescue.target' },
  { name: 'runlevel of a missing target', files: UNITS, run: 'baseSetRunlevel nosuch.target' },
  {
    name: 'sysconfig update',
    files: { 'etc/sysconfig/console': 'CONSOLE_FONT=""\n#CONSOLE_FONT=x\nCONSOLE_FONT_MAP="a"\n' },
    run: 'baseUpdateSysConfig /etc/sysconfig/console CONSOLE_FONT lat9w-16.psfu; baseUpdateSysConfig /etc/sysconfig/nosuch A b',
  },
  {
    name: 'product from os-release',
    files: {
      'etc/os-release': 'NAME="openSUSE"\n',
      'etc/products.d/openSUSE.prod': '',
      'etc/products.d/SLES.prod': '',
    },
    run: 'suseSetupProduct',
  },
  {
    name: 'product from SuSE-brand with SUSE_ prefix',
    files: {
      'etc/SuSE-brand': 'SLES\nVERSION = 15\n',
      'etc/products.d/SUSE_SLES.prod': '',
      'etc/products.d/a.prod': '',
    },
    run: 'suseSetupProduct',
  },
  {
    name: 'product: the last .prod',
    files: { 'etc/os-release': 'NAME=Other\n', 'etc/products.d/a.prod': '', 'etc/products.d/b.prod': '' },
    run: 'suseSetupProduct',
  },
  { name: 'product: no products.d', files: { 'etc/os-release': 'NAME=x\n' }, run: 'suseSetupProduct' },
  {
    name: 'build keys',
    files: {
      'usr/lib/rpm/gnupg/keys/gpg-pubkey-1234-5678.asc': 'key',
      'usr/lib/rpm/gnupg/keys/gpg-pubkey-known-1.asc': 'key',
      'usr/local/bin/rpm': {
        exec: '#!/bin/sh\necho "rpm $*" >>/calls.log\ncase "$*" in "-q gpg-pubkey-known-1") exit 0 ;; -q*) exit 1 ;; esac\n',
      },
    },
    run: 'suseImportBuildKey',
  },
  {
    name: 'locales and translations',
    files: {
      'usr/lib/locale/en_US.utf8/LC_CTYPE': '',
      'usr/lib/locale/de_DE.utf8/LC_CTYPE': '',
      'usr/lib/locale/C.utf8/LC_CTYPE': '',
      'usr/share/locale/de/LC_MESSAGES/a.mo': '',
      'usr/share/locale/fr/LC_MESSAGES/a.mo': '',
    },
    run: 'baseStripLocales en_US C; baseStripTranslations /de/',
  },
  { name: 'build day', files: {}, run: 'baseSetupBuildDay' },
  {
    name: 'Echo',
    files: {},
    run: 'Echo hello; Echo -b indented; Echo -n "no newline"; echo; Debug hidden',
    leadingSpaces: true,
  },
  { name: 'Rm', files: { junk: 'x', 'dir/a': 'y' }, run: 'Rm /junk; Rm -rf /dir' },
  { name: 'a function KIWI removed', files: {}, run: 'baseCleanMount; echo not reached' },
];

function put(tree: string, files: Files) {
  for (const [path, content] of Object.entries(files)) {
    const full = join(tree, path);
    mkdirSync(join(full, '..'), { recursive: true });
    if (typeof content === 'string') writeFileSync(full, content);
    else if ('exec' in content) writeFileSync(full, content.exec, { mode: 0o755 });
  }
}

/** Every path of the tree with a symlink's target or a small file's content (tools left out). */
function snapshot(tree: string, skip: Set<string>): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(join(tree, rel)).sort()) {
      const r = rel ? `${rel}/${e}` : e;
      if (skip.has(r)) continue;
      const st = lstatSync(join(tree, r));
      if (st.isSymbolicLink()) out.push(`${r} -> ${readlinkSync(join(tree, r))}`);
      else if (st.isDirectory()) {
        out.push(`${r}/`);
        walk(r);
      } else out.push(`${r}: ${st.size < 512 ? readFileSync(join(tree, r), 'utf8') : `${st.size} bytes`}`);
    }
  };
  walk('');
  return out;
}

/**
 * The output compared: without the directory stack that KIWI's pushd/popd print (a line of
 * absolute paths), and without leading spaces where the scenario says so.
 */
function output(stdout: string, s: Scenario): string {
  return stdout
    .split('\n')
    .filter((l) => !/^\/\S*( \/\S*)*$/.test(l))
    .map((l) => (s.leadingSpaces ? l.trimStart() : l))
    .join('\n');
}

function runWith(library: string, s: Scenario) {
  mkdirSync(base, { recursive: true });
  const tree = mkdtempSync(join(base, 'kiwi-oracle-'));
  trees.push(tree);
  makeToolRoot(
    tree,
    [...HELPER_TOOLS, 'bash', 'basename', 'readlink', 'cut', 'tail', 'xargs'],
    ['systemctl'],
  );
  copyFileSync(library, join(tree, '.kconfig'));
  put(tree, s.files);
  // a build's chroot has /dev; KIWI's functions write to /dev/null
  spawnSync('mknod', ['-m', '666', join(tree, 'dev/null'), 'c', '1', '3']);
  const r = spawnSync('chroot', [tree, 'bash', '-c', `set -e\n. /.kconfig\n${s.run}\necho "[end]"`], {
    encoding: 'utf8',
    env: { PATH: TOOL_PATH },
  });
  // both runs start from the same tool root; only the library differs
  return { status: r.status, stdout: r.stdout, tree: snapshot(tree, new Set(['.kconfig'])) };
}

describe("imgc's /.kconfig against KIWI's own functions.sh", () => {
  it('covers every function name of the installed KIWI', () => {
    if (!existsSync(KIWI_FUNCTIONS)) return;
    const names = [...readFileSync(KIWI_FUNCTIONS, 'utf8').matchAll(/^function (\w+)/gm)].map((m) => m[1]!);
    expect(names.filter((n) => n !== 'deprecated' && !(n in HELPERS))).toEqual([]);
  });

  for (const s of SCENARIOS) {
    maybe(`${s.name}: the same tree, calls, status and output`, () => {
      const dir = mkdtempSync(join(base, 'kconfig-'));
      trees.push(dir);
      const imgcLibrary = join(dir, 'kconfig');
      writeFileSync(imgcLibrary, kconfigText());
      const ours = runWith(imgcLibrary, s);
      const kiwi = runWith(KIWI_FUNCTIONS, s);
      // the scenario ran: bash was found, and only a removed function stops it before the end
      expect(kiwi.status === 0 ? kiwi.stdout : '[end]\n').toMatch(/\[end\]\n$/);
      expect([0, 1]).toContain(kiwi.status);
      expect(ours.status).toBe(kiwi.status);
      expect(output(ours.stdout, s)).toBe(output(kiwi.stdout, s));
      expect(ours.tree).toEqual(kiwi.tree);
    });
  }
});
