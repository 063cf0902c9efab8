/**
 * Small package repositories built at test time, because the distribution mirrors are not
 * reachable here: an rpm-md repository (rpmbuild + createrepo_c) for dnf and zypper, and a
 * pacman repository (hand-made .pkg.tar.zst files + repo-add). Each is cached under the
 * temp dir, keyed by a hash of everything that goes into it, so reruns reuse it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface FixturePackage {
  name: string;
  version?: string;
  summary?: string;
  requires?: string[];
  /** path in the image → content */
  files: Record<string, string | Buffer>;
  /** path → octal mode, for files that need one (shadow) */
  modes?: Record<string, string>;
}

const tzSource = '/usr/share/zoneinfo/Europe/Berlin';

/** The packages every fixture repository holds: a base with the account files, a dependency chain, a unit. */
export function fixturePackages(osRelease: string): FixturePackage[] {
  return [
    {
      name: 'imgc-base',
      summary: 'account databases and os-release, like setup/filesystem',
      files: {
        '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
        '/etc/group': 'root:x:0:\nwheel:x:10:\n',
        '/etc/shadow': 'root:!*:19000:0:99999:7:::\n',
        '/etc/gshadow': 'root:::\nwheel:::\n',
        '/usr/lib/os-release': osRelease,
      },
      modes: { '/etc/shadow': '0000', '/etc/gshadow': '0000' },
    },
    { name: 'imgc-lib', summary: 'a dependency', files: { '/usr/lib/imgc/lib.txt': 'imgc-lib\n' } },
    {
      name: 'imgc-hello',
      summary: 'needs imgc-lib',
      requires: ['imgc-lib'],
      files: { '/usr/share/imgc-hello/hello.txt': 'hello\n' },
    },
    {
      name: 'imgc-daemon',
      summary: 'ships a systemd unit',
      requires: ['imgc-lib'],
      files: {
        '/usr/lib/systemd/system/imgc-daemon.service':
          '[Unit]\nDescription=imgc fixture daemon\n[Service]\nExecStart=/usr/bin/true\n[Install]\nWantedBy=multi-user.target\n',
      },
    },
    {
      name: 'imgc-extra',
      summary: 'removed again by packages.remove',
      files: { '/usr/share/imgc-extra/x': 'x\n' },
    },
  ];
}

/** Timezone and locale packages under the names each family uses, each holding one real item. */
function systemPackages(names: { zone: string[]; locale: string[] }): FixturePackage[] {
  const zone = existsSync(tzSource) ? readFileSync(tzSource) : Buffer.from('TZif');
  return [
    ...names.zone.map((name) => ({
      name,
      summary: 'one zone',
      files: { '/usr/share/zoneinfo/Europe/Berlin': zone },
    })),
    ...names.locale.map((name) => ({
      name,
      summary: 'one locale',
      files: { '/usr/lib/locale/de_DE.utf8/LC_IDENTIFICATION': 'de_DE\n' },
    })),
  ];
}

function cacheDir(kind: string, inputs: unknown): string {
  const key = createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
  return join(tmpdir(), 'imgc-test-repos', `${kind}-${key}`);
}

/** Builds into a temp folder and renames it into place, so a killed run never leaves half a repo. */
function cached(kind: string, inputs: unknown, build: (dir: string) => void): string {
  const dir = cacheDir(kind, inputs);
  if (existsSync(join(dir, '.complete'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  build(tmp);
  writeFileSync(join(tmp, '.complete'), '');
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

function specText(p: FixturePackage): string {
  const install = Object.entries(p.files)
    .map(([path, content]) => {
      const b64 = Buffer.from(content).toString('base64');
      return `mkdir -p %{buildroot}${dirname(path)}\necho '${b64}' | base64 -d > %{buildroot}${path}`;
    })
    .join('\n');
  const files = Object.keys(p.files)
    .map((path) => (p.modes?.[path] ? `%attr(${p.modes[path]},root,root) ${path}` : path))
    .join('\n');
  return [
    `Name: ${p.name}`,
    `Version: ${p.version ?? '1.0'}`,
    'Release: 1',
    `Summary: ${p.summary ?? p.name}`,
    'License: MIT',
    'BuildArch: noarch',
    'AutoReqProv: no',
    ...(p.requires ?? []).map((r) => `Requires: ${r}`),
    '%description',
    `${p.summary ?? p.name}`,
    '%install',
    install,
    '%files',
    files,
    '',
  ].join('\n');
}

/** An rpm-md repository (createrepo_c) holding the fixture packages; returns its folder. */
export function rpmRepository(osRelease: string, extra: FixturePackage[] = []): string {
  const packages = [
    ...fixturePackages(osRelease),
    ...systemPackages({ zone: ['tzdata', 'timezone'], locale: ['glibc-langpack-de', 'glibc-locale'] }),
    ...extra,
  ];
  return cached('rpm', packages, (dir) => {
    const top = join(dir, 'build');
    for (const p of packages) {
      const spec = join(dir, `${p.name}.spec`);
      writeFileSync(spec, specText(p));
      execFileSync('rpmbuild', ['--quiet', '--define', `_topdir ${top}`, '-bb', spec], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, HOME: dir },
      });
    }
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    for (const f of readdirSync(join(top, 'RPMS/noarch')))
      copyFileSync(join(top, 'RPMS/noarch', f), join(repo, f));
    execFileSync('createrepo_c', ['-q', repo]);
  });
}

/**
 * The rpm-md repository of `rpmRepository`, every package signed with a key made for the test
 * (rpmsign) and repomd.xml signed too (repomd.xml.asc, repomd.xml.key), as distribution
 * repositories are. Returns the folder holding `repo/` and the armored public key `key.asc`.
 */
export function signedRpmRepository(osRelease: string): string {
  const unsigned = rpmRepository(osRelease);
  return cached('rpm-signed', { unsigned }, (dir) => {
    const gnupg = join(dir, 'gnupg');
    mkdirSync(gnupg, { mode: 0o700 });
    const env = { ...process.env, GNUPGHOME: gnupg, HOME: dir };
    const gpg = (args: string[]) =>
      execFileSync('gpg', ['--batch', '--yes', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    gpg([
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      '',
      '--quick-gen-key',
      'imgc test <test@imgc.dev>',
      'rsa2048',
      'sign',
      'never',
    ]);
    writeFileSync(join(dir, 'key.asc'), gpg(['--armor', '--export', 'test@imgc.dev']));
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    const rpms = readdirSync(join(unsigned, 'repo')).filter((f) => f.endsWith('.rpm'));
    for (const f of rpms) copyFileSync(join(unsigned, 'repo', f), join(repo, f));
    execFileSync(
      'rpmsign',
      [
        '--addsign',
        '--define',
        '_gpg_name imgc test',
        '--define',
        '__gpg /usr/bin/gpg',
        '--define',
        `_gpg_path ${gnupg}`,
        ...rpms.map((f) => join(repo, f)),
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    execFileSync('createrepo_c', ['-q', repo]);
    gpg(['--armor', '--detach-sign', join(repo, 'repodata/repomd.xml')]);
    copyFileSync(join(dir, 'key.asc'), join(repo, 'repodata/repomd.xml.key'));
  });
}

function pkginfo(p: FixturePackage, size: number): string {
  return [
    `pkgname = ${p.name}`,
    `pkgbase = ${p.name}`,
    `pkgver = ${p.version ?? '1.0'}-1`,
    `pkgdesc = ${p.summary ?? p.name}`,
    'url = https://imgc.dev',
    'builddate = 1700000000',
    'packager = imgc tests',
    `size = ${size}`,
    'arch = any',
    'license = MIT',
    ...(p.requires ?? []).map((r) => `depend = ${r}`),
    '',
  ].join('\n');
}

/** A pacman repository named `imgc` (imgc.db, made by repo-add) holding the fixture packages. */
export function pacmanRepository(osRelease: string, extra: FixturePackage[] = []): string {
  const packages = [
    ...fixturePackages(osRelease),
    ...systemPackages({ zone: ['tzdata'], locale: [] }),
    ...extra,
  ];
  return cached('pacman', packages, (dir) => {
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    for (const p of packages) {
      const stage = join(dir, 'stage', p.name);
      let size = 0;
      for (const [path, content] of Object.entries(p.files)) {
        mkdirSync(join(stage, dirname(path)), { recursive: true });
        writeFileSync(join(stage, path), content, {
          mode: p.modes?.[path] ? Number.parseInt(p.modes[path], 8) : 0o644,
        });
        size += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
      }
      writeFileSync(join(stage, '.PKGINFO'), pkginfo(p, size));
      const top = [...new Set(Object.keys(p.files).map((f) => f.split('/')[1]!))];
      const file = join(repo, `${p.name}-${p.version ?? '1.0'}-1-any.pkg.tar.zst`);
      execFileSync('bsdtar', ['--zstd', '-cf', file, '--uid', '0', '--gid', '0', '.PKGINFO', ...top], {
        cwd: stage,
      });
    }
    const files = readdirSync(repo)
      .filter((f) => f.endsWith('.pkg.tar.zst'))
      .map((f) => join(repo, f));
    execFileSync('repo-add', ['-q', join(repo, 'imgc.db.tar.gz'), ...files], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  });
}

/** Which host tools are missing for a kind of repository (the suite skips visibly when any is). */
export function missingRepoTools(kind: 'rpm' | 'pacman'): string[] {
  const tools = kind === 'rpm' ? ['rpmbuild', 'createrepo_c'] : ['bsdtar', 'repo-add'];
  const path = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin']);
  return tools.filter((t) => !path.some((d) => existsSync(join(d, t))));
}
