/** Fedora/RHEL planning without root: release mapping, repositories, package steps and what is reported. */
import { describe, expect, it } from 'vitest';
import { fedoraBackend } from '../../../src/backends/fedora/index.js';
import { BackendRegistry } from '../../../src/backends/registry.js';
import { rpmDbPath } from '../../../src/distros/dnf.js';
import { emptyIr } from '../../../src/ir/empty.js';
import type { ImageIR } from '../../../src/ir/schema.js';
import { planBuild } from '../../../src/plan/planner.js';
import type { StepOptions } from '../../../src/plan/steps.js';

const host = { architecture: 'x86_64', readText: () => undefined, listDir: () => [] };
const key = '-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBGR\n-----END PGP PUBLIC KEY BLOCK-----';

function ir(distribution: ImageIR['distribution']): ImageIR {
  const x = emptyIr();
  x.distribution = distribution;
  return x;
}

async function plan(x: ImageIR, options = {}) {
  return planBuild({ ir: x, backends: new BackendRegistry([fedoraBackend]), host, sourceDir: '/', options });
}

const codes = (r: { diagnostics: { code: string }[] }) => r.diagnostics.map((d) => d.code);

describe('fedora backend: distributions', () => {
  it('maps ids and releases, newest-known default', () => {
    const resolve = (d: ImageIR['distribution']) => fedoraBackend.resolveDistribution(ir(d), {}, host);
    expect(resolve({ id: 'fedora', release: '41' })).toMatchObject({
      distribution: { id: 'fedora', release: '41', suite: '41', architecture: 'x86_64', versionId: '41' },
    });
    expect(resolve({ id: 'centos-stream', release: '10' })).toMatchObject({ distribution: { id: 'centos' } });
    expect(resolve({ id: 'rhel', release: '9.4' })).toMatchObject({
      distribution: { id: 'rhel', suite: '9.4' },
    });
    expect(resolve({ id: 'fedora' })).toMatchObject({ distribution: { release: '43' } });
    expect(codes(resolve({ id: 'fedora', release: 'beefy' }) as { diagnostics: { code: string }[] })).toEqual(
      ['IMGC7002'],
    );
    expect(
      codes(
        resolve({ id: 'rocky', release: '9', architecture: 'aarch64' }) as {
          diagnostics: { code: string }[];
        },
      ),
    ).toEqual(['IMGC7003']);
  });

  it('keeps the rpm database where each release has it', () => {
    expect(rpmDbPath('fedora', '40')).toBe('/usr/lib/sysimage/rpm');
    expect(rpmDbPath('rhel', '9.4')).toBe('/var/lib/rpm');
    expect(rpmDbPath('centos', '10')).toBe('/usr/lib/sysimage/rpm');
  });

  it('defaults to the public repositories with keys, and has none for RHEL', async () => {
    const rocky = await plan(ir({ id: 'rocky', release: '9' }));
    const sources = (rocky.plan!.steps[0]!.options as StepOptions<'bootstrap'>).sources;
    expect(sources).toContain(
      '[baseos]\nname=BaseOS\nbaseurl=https://dl.rockylinux.org/pub/rocky/9/BaseOS/$basearch/os/',
    );
    expect(sources).toContain('gpgkey=https://dl.rockylinux.org/pub/rocky/RPM-GPG-KEY-Rocky-9');
    const mirrored = await plan(ir({ id: 'fedora', release: '42' }), { mirror: 'http://mirror.test/fedora' });
    expect((mirrored.plan!.steps[0]!.options as StepOptions<'bootstrap'>).sources).toContain(
      'baseurl=http://mirror.test/fedora/releases/42/Everything/$basearch/os/',
    );
    const rhel = await plan(ir({ id: 'rhel', release: '9' }));
    expect(rhel.plan).toBeUndefined();
    expect(codes(rhel)).toEqual(['IMGC7201']);
  });
});

describe('fedora backend: package steps', () => {
  it('turns groups, modules, excludes, weak deps, docs and languages into dnf settings', async () => {
    const x = ir({ id: 'fedora', release: '41' });
    x.repositories = [
      { id: 'signed', type: 'rpm-md', urls: ['/srv/repo'], gpgKeys: [key, '/etc/pki/k.asc'], priority: 10 },
      { id: 'plain', urls: ['https://example.org/repo'], gpgCheck: false, usage: 'build-only' },
      { id: 'foreign', type: 'pacman', urls: ['https://example.org/arch'] },
    ];
    x.packages.install = [{ name: 'vim-enhanced', version: '9.1', arch: 'x86_64' }, { name: 'git' }];
    x.packages.groups = [{ name: 'core' }, { name: 'workstation-product-environment', kind: 'environment' }];
    x.packages.modules = [
      { name: 'nodejs', stream: '20', state: 'enabled' },
      { name: 'postgresql', stream: '16', profile: 'server', state: 'installed' },
      { name: 'perl', state: 'disabled' },
    ];
    x.packages.exclude = [{ name: 'nano' }];
    x.packages.installWeakDeps = true;
    x.packages.installDocs = false;
    x.packages.languages = ['en', 'de'];
    x.system.selinux = 'enforcing';
    const r = await plan(x);
    const o = r.plan!.steps[0]!.options as StepOptions<'bootstrap'>;
    expect(o.packages).toEqual([
      '@core',
      '@^workstation-product-environment',
      'vim-enhanced-9.1.x86_64',
      'git',
    ]);
    expect(o).toMatchObject({
      variant: 'dnf',
      suite: '41',
      exclude: ['nano'],
      installRecommends: true,
      installDocs: false,
    });
    expect(o.keyrings).toEqual(['/etc/pki/k.asc']);
    expect(o.settings).toMatchObject({
      releasever: '41',
      rpmDbPath: '/usr/lib/sysimage/rpm',
      installLangs: 'en:de',
      moduleEnable: ['nodejs:20'],
      moduleDisable: ['perl'],
      moduleInstall: ['postgresql:16/server'],
      inlineKeyNames: ['signed-1.asc'],
    });
    expect(o.sources).toContain('gpgkey=file://@IMGC_KEYS@/signed-1.asc file:///etc/pki/k.asc');
    expect(o.sources).toContain(
      '[plain]\nname=plain\nbaseurl=https://example.org/repo\nenabled=1\ngpgcheck=0',
    );
    expect(o.sources).not.toContain('[foreign]');
    // the build-only repository is not written into the image
    expect(o.settings!.imageRepos).toContain('[signed]');
    expect(o.settings!.imageRepos).not.toContain('[plain]');
    expect(o.settings!.imageRepos).toContain('gpgkey=file:///etc/pki/rpm-gpg/signed-1.asc');
    expect(r.diagnostics.map((d) => `${d.code} ${d.pointer ?? ''}`)).toEqual([
      'IMGC7006 /repositories/2',
      'IMGC7006 /system/selinux',
      'IMGC7203 /repositories/1',
    ]);
  });

  it('builds from the default repositories when the IR has only image repositories (osbuild blueprints)', async () => {
    const x = ir({ id: 'fedora', release: '41' });
    x.repositories = [
      { id: 'extra', urls: ['https://example.org/extra'], usage: 'image-only', gpgCheck: false },
    ];
    const o = (await plan(x)).plan!.steps[0]!.options as StepOptions<'bootstrap'>;
    expect(o.sources).toContain(
      'metalink=https://mirrors.fedoraproject.org/metalink?repo=fedora-$releasever',
    );
    expect(o.sources).not.toContain('[extra]');
    expect(o.settings!.imageRepos).toContain('[extra]');
    expect(o.settings!.imageRepos).not.toContain('[fedora]');
  });

  it('warns about a signature-checked repository without a key', async () => {
    const x = ir({ id: 'fedora', release: '41' });
    x.repositories = [{ id: 'nokey', urls: ['https://example.org/repo'] }];
    expect(codes(await plan(x))).toEqual(['IMGC7205']);
  });

  it('splits bootstrap and install when a skeleton overlay must land in between, carrying the repositories along', async () => {
    const x = ir({ id: 'fedora', release: '41' });
    x.repositories = [{ id: 'r', urls: ['/srv/r'], gpgCheck: false }];
    x.packages.bootstrap = [{ name: 'filesystem' }];
    x.packages.install = [{ name: 'bash' }];
    x.scripts = [{ phase: 'pre-packages', chroot: false, body: 'true' }];
    const steps = (await plan(x)).plan!.steps;
    expect(steps.map((s) => s.type).slice(0, 3)).toEqual(['bootstrap', 'run-script', 'install-packages']);
    const install = steps[2]!.options as StepOptions<'install-packages'>;
    expect(install.packages).toEqual(['filesystem', 'bash']);
    expect(install.settings!.sources).toContain('[r]');
    expect((steps[0]!.options as StepOptions<'bootstrap'>).packages).toEqual(['filesystem']);
  });

  it('adds the kernel, dracut and the boot loader for bootable outputs, and the system packages', async () => {
    const x = ir({ id: 'fedora', release: '41' });
    x.repositories = [{ id: 'r', urls: ['/srv/r'], gpgCheck: false }];
    x.system.locale = 'de_DE.UTF-8';
    x.system.timezone = 'Europe/Berlin';
    const r = await planBuild({
      ir: x,
      backends: new BackendRegistry([fedoraBackend]),
      host,
      sourceDir: '/',
      outputs: ['disk'],
    });
    expect((r.plan!.steps[0]!.options as StepOptions<'bootstrap'>).packages).toEqual([
      'glibc-langpack-de',
      'tzdata',
      'kernel',
      'dracut',
      'systemd-boot-unsigned',
    ]);
  });
});
