/**
 * No command prints a password or hash unless `--show-secrets` asks for it: every reader's
 * spelling of a password goes through inspect, validate, plan, diff and translate (text and
 * --json), and through a code frame pointing at the password's own line. The secrets are
 * shown with --show-secrets and written by translate into the target file, so each check can
 * fail.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import { renderDiagnostics } from '../../src/diagnostics/render.js';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { emptyIr } from '../../src/ir/empty.js';
import { positionOf } from '../../src/ir/positions.js';
import type { ImageIR } from '../../src/ir/schema.js';

async function run(args: string[]) {
  let out = '';
  const io: Io = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      out += t;
    },
    isTTY: false,
  };
  const code = await main(['node', 'imgc', ...args], io);
  return { code, out };
}

interface Spelling {
  /** file name (or folder/file) to write; the definition is the first entry */
  files: Record<string, string>;
  secrets: string[];
  /** the same definition with other secrets, for diff */
  changed: (text: string) => string;
  /** a target format that carries the first secret, to prove translate writes it */
  carriedBy: string;
}

const HASH = (tag: string) => `$6$saltsalt$${tag}HashTail0123456789abcdefghijklmnopqrstuvwxyzABCD`;

const spellings: Record<string, Spelling> = {
  kickstart: {
    files: {
      'a.ks': [
        'lang en_US.UTF-8',
        'rootpw --plaintext KsRootPlain7',
        `user --name=alice --iscrypted --password=${HASH('KsAlice')}`,
        'user --name=bob --plaintext --password=KsBobPlain7',
        'repo --name=extra --baseurl=https://jo:KsRepoUrlPw7@repo.example/debian',
        'sshpw --username=inst --plaintext KsSshPw7',
        'bootloader --location=mbr --password=KsBootPw7',
        'part / --fstype=ext4 --size=2000 --encrypted --passphrase=KsLuksPw7',
        '%packages',
        'vim',
        '%end',
        '',
      ].join('\n'),
    },
    secrets: [
      'KsRootPlain7',
      'KsAliceHashTail',
      'KsBobPlain7',
      'KsRepoUrlPw7',
      'KsSshPw7',
      'KsBootPw7',
      'KsLuksPw7',
    ],
    changed: (t) => t.replace('KsRootPlain7', 'KsRootOther7').replace('KsAlice', 'KsAlicf'),
    carriedBy: 'kickstart',
  },
  'blueprint (TOML)': {
    files: {
      'a.toml': [
        'name = "x"',
        'distro = "debian-12"',
        '[[customizations.user]]',
        'name = "root"',
        'password = "BpRootPlain7"',
        '[[customizations.user]]',
        'name = "alice"',
        `password = "${HASH('BpAlice')}"`,
        '',
      ].join('\n'),
    },
    secrets: ['BpRootPlain7', 'BpAliceHashTail'],
    changed: (t) => t.replace('BpRootPlain7', 'BpRootOther7').replace('BpAlice', 'BpAlicf'),
    carriedBy: 'blueprint',
  },
  'blueprint (JSON)': {
    files: {
      'a.json': JSON.stringify({
        name: 'x',
        distro: 'debian-12',
        customizations: {
          user: [
            { name: 'root', password: 'BjRootPlain7' },
            { name: 'alice', password: HASH('BjAlice') },
          ],
        },
      }),
    },
    secrets: ['BjRootPlain7', 'BjAliceHashTail'],
    changed: (t) => t.replace('BjRootPlain7', 'BjRootOther7').replace('BjAlice', 'BjAlicf'),
    carriedBy: 'blueprint',
  },
  KIWI: {
    files: {
      'config.xml': `<?xml version="1.0" encoding="utf-8"?>
<image schemaversion="8.5" name="x">
  <description type="system"><author>a</author><contact>b</contact><specification>c</specification></description>
  <preferences>
    <version>1.0.0</version>
    <packagemanager>apt</packagemanager>
    <type image="oem" filesystem="ext4" firmware="efi" luks="KwLuksPw7"/>
  </preferences>
  <users>
    <user name="root" password="KwRootPlain7" pwdformat="plain" home="/root"/>
    <user name="alice" password="${HASH('KwAlice')}" home="/home/alice"/>
  </users>
  <repository type="apt-deb" alias="d" distribution="bookworm" components="main" username="jo" password="KwRepoPw7">
    <source path="http://deb.debian.org/debian"/>
  </repository>
  <packages type="image"><package name="vim"/></packages>
  <packages type="bootstrap"><package name="ca-certificates"/></packages>
</image>
`,
    },
    secrets: ['KwRootPlain7', 'KwAliceHashTail', 'KwRepoPw7', 'KwLuksPw7'],
    changed: (t) => t.replace('KwRootPlain7', 'KwRootOther7').replace('KwAlice', 'KwAlicf'),
    carriedBy: 'kiwi',
  },
  mkosi: {
    files: {
      'mkosi.conf': [
        '[Distribution]',
        'Distribution=debian',
        'Release=bookworm',
        '[Content]',
        'RootPassword=MkRootPlain7',
        'Credentials=passwd.plaintext-password.alice=MkCredPw7',
        'Packages=vim',
        '',
      ].join('\n'),
    },
    secrets: ['MkRootPlain7', 'MkCredPw7'],
    changed: (t) => t.replace('MkRootPlain7', 'MkRootOther7'),
    carriedBy: 'mkosi',
  },
  'Containerfile (bib config.toml)': {
    files: {
      Containerfile: 'FROM quay.io/fedora/fedora-bootc:41\nRUN dnf -y install vim\n',
      'config.toml': [
        '[[customizations.user]]',
        'name = "alice"',
        'password = "CfAlicePlain7"',
        '[[customizations.user]]',
        'name = "bob"',
        `password = "${HASH('CfBob')}"`,
        '',
      ].join('\n'),
    },
    secrets: ['CfAlicePlain7', 'CfBobHashTail'],
    changed: (t) => t,
    carriedBy: 'containerfile',
  },
  'IR (YAML)': {
    files: { 'a.imgc.yaml': toYaml(irWithSecrets('Iy')) },
    secrets: ['IyRootPlain7', 'IyAliceHashTail', 'IyRepoPw7'],
    changed: (t) => t.replace('IyRootPlain7', 'IyRootOther7'),
    carriedBy: 'ir',
  },
  'IR (one-line JSON)': {
    files: { 'a.imgc.json': JSON.stringify(irWithSecrets('Ij')) },
    secrets: ['IjRootPlain7', 'IjAliceHashTail', 'IjRepoPw7'],
    changed: (t) => t.replace('IjRootPlain7', 'IjRootOther7'),
    carriedBy: 'ir',
  },
};

function irWithSecrets(tag: string): ImageIR {
  const ir = emptyIr();
  ir.distribution = { id: 'debian', release: 'bookworm' };
  ir.accounts.root = { password: { plain: `${tag}RootPlain7` }, sshKeys: [] };
  ir.accounts.users.push({ name: 'alice', groups: [], sshKeys: [], password: { hash: HASH(`${tag}Alice`) } });
  ir.repositories.push({
    id: 'extra',
    type: 'apt-deb822',
    urls: ['http://deb.debian.org/debian'],
    suites: ['bookworm'],
    components: ['main'],
    username: 'jo',
    password: `${tag}RepoPw7`,
  });
  return ir;
}

function writeDefinition(s: Spelling, dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(s.files)) writeFileSync(join(dir, name), text);
  const first = Object.keys(s.files)[0]!;
  return first === 'Containerfile' || first === 'mkosi.conf' ? dir : join(dir, first);
}

function leaked(text: string, secrets: string[]): string[] {
  return secrets.filter((secret) => text.includes(secret));
}

/** Every string of the IR that holds one of the secrets: what a diagnostic about it would point at. */
function secretPointers(value: unknown, secrets: string[], at = ''): string[] {
  if (typeof value === 'string') return secrets.some((x) => value.includes(x)) ? [at] : [];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => secretPointers(v, secrets, `${at}/${k}`));
  return [];
}

const root = mkdtempSync(join(tmpdir(), 'imgc-secrets-'));
const DISTRO = ['--distro', 'debian:bookworm'];

describe.each(Object.entries(spellings))('secrets read from %s', (name, s) => {
  const dir = join(root, name.replace(/\W+/g, '-'));
  const path = writeDefinition(s, join(dir, 'a'));
  const other = writeDefinition(
    { ...s, files: Object.fromEntries(Object.entries(s.files).map(([k, v]) => [k, s.changed(v)])) },
    join(dir, 'b'),
  );

  it('are read into the IR and shown only with --show-secrets', async () => {
    const revealed = await run(['--show-secrets', 'inspect', '--json', path, ...DISTRO]);
    expect(leaked(revealed.out, s.secrets)).toEqual(s.secrets);
    for (const args of [['inspect'], ['inspect', '--json'], ['inspect', '--effective']]) {
      const { out } = await run([...args, path, ...DISTRO]);
      expect(out, args.join(' ')).toContain('<redacted>');
      expect(leaked(out, s.secrets), args.join(' ')).toEqual([]);
    }
  });

  it('are not printed by validate, plan or diff, as text or JSON', async () => {
    const runs = [
      ['validate', path],
      ['validate', '--json', path],
      ['plan', path, ...DISTRO],
      ['plan', '--json', path, ...DISTRO],
      ['diff', path, other],
      ['diff', '--json', path, other],
    ];
    const differs = s.changed(Object.values(s.files)[0]!) !== Object.values(s.files)[0];
    for (const args of runs) {
      const { code, out } = await run(args);
      expect(leaked(out, s.secrets), args.join(' ')).toEqual([]);
      // the plan and the diff did print the secrets' places, redacted
      if (args[0] === 'plan') expect(code, args.join(' ')).toBe(0);
      if (args[1] === '--json' && args[0] !== 'validate')
        expect(out.includes('<redacted>'), args.join(' ')).toBe(args[0] === 'plan' || differs);
    }
  });

  it('are written by translate into the target but not printed in its report', async () => {
    const targets = ['kickstart', 'kiwi', 'mkosi', 'blueprint', 'containerfile', 'ir'];
    for (const to of targets) {
      for (const json of [[], ['--json']]) {
        const outDir = join(dir, `to-${to}${json.length ? '-json' : ''}`);
        const { out } = await run(['translate', path, '--to', to, '-o', outDir, ...DISTRO, ...json]);
        expect(leaked(out, s.secrets), `--to ${to} ${json.join('')}`).toEqual([]);
      }
    }
    const written = readdirSync(join(dir, `to-${s.carriedBy}`), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');
    expect(written).toContain(s.secrets[0]);
  });

  it('do not show in the code frame of a diagnostic on a line that holds one', async () => {
    const frame = (at: { file: string; line: number; column: number }, what: string) => {
      const text = renderDiagnostics([{ code: 'IMGC0000', severity: 'error', message: what, ...at }]);
      expect(text, what).toMatch(/> +\d+ \|/);
      expect(leaked(text, s.secrets), what).toEqual([]);
    };
    // every line of every source file that holds a secret, at the secret's column
    let lines = 0;
    for (const name of Object.keys(s.files)) {
      const file = join(dir, 'a', name);
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((text, i) => {
          const secret = s.secrets.find((x) => text.includes(x));
          if (!secret) return;
          lines++;
          frame({ file, line: i + 1, column: text.indexOf(secret) + 1 }, `${name}:${i + 1}`);
        });
    }
    expect(lines).toBeGreaterThanOrEqual(1);
    // and where the reader says each secret came from
    const loaded = await loadDefinition(new FormatRegistry(), path);
    const positioned = secretPointers(loaded.ir, s.secrets)
      .map((ptr) => ({ ptr, pos: positionOf(loaded.positions, ptr) }))
      .filter((p) => p.pos !== undefined);
    expect(positioned.length).toBeGreaterThan(0);
    for (const { ptr, pos } of positioned) frame(pos!, ptr);
  });
});
