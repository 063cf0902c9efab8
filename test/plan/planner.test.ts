import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseDeb822Sources } from '../../src/backends/debian/sources.js';
import { BackendRegistry, localHost } from '../../src/backends/registry.js';
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { type PlanRequest, planBuild } from '../../src/plan/planner.js';
import { BuildPlan, ofType, type PlanStep, type StepType, stepOptionSchemas } from '../../src/plan/steps.js';
import { fakeHost, fakeMirror, fakeSecurity } from './fake-host.js';

const backends = new BackendRegistry();

function baseIr(): ImageIR {
  const ir = emptyIr();
  ir.distribution = { id: 'debian', release: 'bookworm', architecture: 'x86_64' };
  ir.packages.install.push({ name: 'systemd' });
  ir.system.hostname = 'planned';
  return ir;
}

function request(ir: ImageIR, extra: Partial<PlanRequest> = {}): PlanRequest {
  return {
    ir,
    backends,
    host: fakeHost(),
    sourceDir: '/nonexistent',
    sourceDateEpoch: 1_700_000_000,
    ...extra,
  };
}

const types = (steps: PlanStep[]) => steps.map((s) => s.type);
const step = <T extends StepType>(steps: PlanStep[], type: T) => steps.find(ofType(type))!;

describe('planBuild', () => {
  it('has no default distribution: none (or no release) is an error asking for --distro, and --distro wins', async () => {
    const none = emptyIr();
    const missing = await planBuild(request(none));
    expect(missing.plan).toBeUndefined();
    expect(missing.diagnostics.map((d) => [d.code, d.severity])).toEqual([['IMGC1021', 'error']]);
    expect(missing.diagnostics[0]!.hint).toMatch(/--distro/);
    const noRelease = baseIr();
    delete noRelease.distribution.release;
    expect((await planBuild(request(noRelease))).diagnostics.map((d) => d.code)).toEqual(['IMGC1022']);
    const flagged = await planBuild(request(none, { options: { distro: 'debian:bookworm' } }));
    expect(flagged.plan?.distribution).toMatchObject({ id: 'debian', release: 'bookworm' });
    const other = baseIr();
    other.distribution = { id: 'fedora', release: '41' };
    const overridden = await planBuild(request(other, { options: { distro: 'debian:bookworm' } }));
    expect(overridden.plan?.distribution.id).toBe('debian');
    expect(overridden.diagnostics.find((d) => d.code === 'IMGC1020')?.message).toBe(
      '--distro debian bookworm wins over fedora 41 from the definition',
    );
  });

  it('orders the steps and chains their ids', async () => {
    const { plan, diagnostics } = await planBuild(request(baseIr()));
    expect(diagnostics).toEqual([]);
    expect(types(plan!.steps)).toEqual(['bootstrap', 'configure-system', 'finalize', 'output-directory']);
    for (const [i, s] of plan!.steps.entries()) {
      expect(s.id).toMatch(/^[0-9a-f]{16}$/);
      expect(s.inputs).toEqual(i === 0 ? [] : [plan!.steps[i - 1]!.id]);
    }
    expect(plan!.distribution).toMatchObject({
      id: 'debian',
      suite: 'bookworm',
      architecture: 'amd64',
      versionId: '12',
    });
  });

  it('gives the same ids for the same input and different ids downstream of a change', async () => {
    const a = (await planBuild(request(baseIr()))).plan!;
    const b = (await planBuild(request(baseIr()))).plan!;
    expect(b.steps.map((s) => s.id)).toEqual(a.steps.map((s) => s.id));
    const changed = baseIr();
    changed.system.hostname = 'other';
    const c = (await planBuild(request(changed))).plan!;
    expect(c.steps[0]!.id).toBe(a.steps[0]!.id);
    expect(c.steps[1]!.id).not.toBe(a.steps[1]!.id);
    expect(c.steps[2]!.id).not.toBe(a.steps[2]!.id);
  });

  it('hashes overlay contents, so a changed overlay file leaves the package steps and their cache alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgc-plan-'));
    mkdirSync(join(dir, 'overlay/etc'), { recursive: true });
    writeFileSync(join(dir, 'overlay/etc/motd'), 'one\n');
    const ir = baseIr();
    ir.overlays.push({ source: 'overlay' });
    ir.accounts.users.push({ name: 'alice', groups: [], sshKeys: [] });
    const first = (await planBuild(request(ir, { sourceDir: dir }))).plan!;
    writeFileSync(join(dir, 'overlay/etc/motd'), 'two\n');
    const second = (await planBuild(request(ir, { sourceDir: dir }))).plan!;
    expect(types(first.steps)).toEqual([
      'bootstrap',
      'configure-system',
      'configure-accounts',
      'write-files',
      'finalize',
      'output-directory',
    ]);
    const same = first.steps.filter((s, i) => s.id === second.steps[i]!.id).map((s) => s.type);
    expect(same).toEqual(['bootstrap', 'configure-system', 'configure-accounts']);
    expect(first.steps.filter((s) => s.cache).map((s) => s.type)).toEqual([
      'bootstrap',
      'configure-accounts',
    ]);
  });

  it('validates every step against the schema of its type', async () => {
    const ir = baseIr();
    ir.outputs.push(
      { type: 'directory' },
      { type: 'tar', compression: 'zstd' },
      { type: 'disk', format: 'qcow2' },
    );
    ir.accounts.users.push({
      name: 'bob',
      groups: ['sudo'],
      sshKeys: ['ssh-ed25519 AAAA bob'],
      password: { hash: '$6$x$y' },
    });
    ir.system.services.enable.push('ssh.service');
    ir.files.push({ path: '/etc/motd', content: 'hi\n' });
    ir.scripts.push({ phase: 'post-install', chroot: true, body: 'true' });
    const { plan } = await planBuild(request(ir));
    const ajv = new Ajv({ strict: false, allowUnionTypes: true });
    expect(ajv.validate(BuildPlan, plan), JSON.stringify(ajv.errors)).toBe(true);
    for (const s of plan!.steps) {
      const schema = stepOptionSchemas[s.type];
      expect(ajv.validate(schema, s.options), `${s.type}: ${JSON.stringify(ajv.errors)}`).toBe(true);
    }
    expect(types(plan!.steps).slice(-3)).toEqual(['output-directory', 'output-tar', 'assemble-disk']);
    expect(step(plan!.steps, 'output-tar').options).toMatchObject({
      name: 'image.tar.zst',
      sourceDateEpoch: 1_700_000_000,
    });
    expect(step(plan!.steps, 'assemble-disk').options).toMatchObject({
      name: 'image.qcow2',
      format: 'qcow2',
    });
  });

  it('adds kernel, initrd generator and bootloader for bootable outputs only', async () => {
    const plain = (await planBuild(request(baseIr()))).plan!;
    expect(step(plain.steps, 'bootstrap').options.packages).toEqual(['systemd']);
    const boot = (await planBuild(request(baseIr(), { outputs: ['disk'] }))).plan!;
    expect(step(boot.steps, 'bootstrap').options.packages).toEqual(
      expect.arrayContaining(['systemd', 'linux-image-amd64', 'initramfs-tools', 'systemd-boot']),
    );
    const dracutIr = baseIr();
    dracutIr.system.initrd = { generator: 'dracut' };
    const dracut = (await planBuild(request(dracutIr, { outputs: ['disk'] }))).plan!;
    const pkgs = step(dracut.steps, 'bootstrap').options.packages as string[];
    expect(pkgs).toContain('dracut');
    expect(pkgs).not.toContain('initramfs-tools');
  });

  it('lets outputs that read the tree run side by side; the directory, which may move it, waits for them', async () => {
    const { plan } = await planBuild(
      request(baseIr(), {
        outputs: ['disk', 'iso', 'pxe', 'uki', 'directory'],
        options: { 'pxe-url': 'http://x/' },
      }),
    );
    const finalize = step(plan!.steps, 'finalize');
    const readers = plan!.steps.filter((s) =>
      ['assemble-disk', 'assemble-iso', 'assemble-pxe', 'assemble-uki'].includes(s.type),
    );
    expect(types(readers)).toEqual(['assemble-disk', 'assemble-iso', 'assemble-pxe', 'assemble-uki']);
    for (const r of readers) expect([r.inputs, r.after]).toEqual([[finalize.id], undefined]);
    const directory = step(plan!.steps, 'output-directory');
    expect(directory.inputs).toEqual([finalize.id]);
    expect(directory.after).toEqual(readers.map((r) => r.id));
    // `after` is hashed with the rest: the same directory step without it has another id
    const alone = (await planBuild(request(baseIr(), { outputs: ['directory'] }))).plan!;
    expect(step(alone.steps, 'output-directory').after).toBeUndefined();
    expect(step(alone.steps, 'output-directory').id).not.toBe(directory.id);
  });

  it('adds the packages the system fields need', async () => {
    const ir = baseIr();
    ir.system.locale = 'de_DE.UTF-8';
    ir.system.timezone = 'Europe/Berlin';
    const { plan } = await planBuild(request(ir));
    expect(step(plan!.steps, 'bootstrap').options.packages).toEqual(
      expect.arrayContaining(['locales', 'tzdata']),
    );
  });

  it('defaults to the archive in the host apt sources, with -updates and -security', async () => {
    const { plan } = await planBuild(request(baseIr()));
    const sources = String(step(plan!.steps, 'bootstrap').options.sources);
    const parsed = parseDeb822Sources(sources);
    expect(parsed).toEqual([
      expect.objectContaining({
        uris: [fakeMirror],
        suites: ['bookworm', 'bookworm-updates'],
        components: ['main'],
      }),
      expect.objectContaining({ uris: [fakeSecurity], suites: ['bookworm-security'] }),
    ]);
    expect(step(plan!.steps, 'bootstrap').options.keyrings).toEqual([
      '/usr/share/keyrings/debian-archive-keyring.gpg',
    ]);
  });

  it('reads the real host apt sources at runtime', async () => {
    const host = localHost();
    const hostFile = host.readText('/etc/apt/sources.list.d/debian.sources');
    if (!hostFile) {
      console.warn('SKIPPED: this host has no /etc/apt/sources.list.d/debian.sources');
      return;
    }
    const archive = parseDeb822Sources(hostFile).find((s) => s.suites.some((x) => !x.endsWith('-security')))!;
    const { plan } = await planBuild(request(baseIr(), { host }));
    const used = parseDeb822Sources(String(step(plan!.steps, 'bootstrap').options.sources));
    expect(used[0]!.uris).toEqual(archive.uris);
  });

  it('maps release numbers and plans Ubuntu through the same backend', async () => {
    const ir = baseIr();
    ir.distribution = { id: 'debian', release: '12' };
    expect((await planBuild(request(ir))).plan!.distribution.suite).toBe('bookworm');

    const ubuntu = baseIr();
    ubuntu.distribution = { id: 'ubuntu', release: '24.04' };
    const missing = await planBuild(request(ubuntu));
    expect(missing.plan).toBeUndefined();
    expect(missing.diagnostics.map((d) => d.code)).toEqual(['IMGC7005']);
    const withMirror = await planBuild(
      request(ubuntu, { options: { mirror: 'file:///srv/imgc-test-mirror/ubuntu' } }),
    );
    expect(withMirror.diagnostics).toEqual([]);
    const boot = step(withMirror.plan!.steps, 'bootstrap').options;
    expect(boot).toMatchObject({ distribution: 'ubuntu', suite: 'noble' });
    expect(String(boot.sources)).toContain('Suites: noble noble-updates');
  });

  it('points errors at the source line through the position table', async () => {
    const ir = baseIr();
    ir.distribution.release = 'hamm-and-eggs';
    const positions = { '/distribution/release': { file: 'image.toml', line: 4, column: 10 } };
    const { plan, diagnostics } = await planBuild(request(ir, { positions }));
    expect(plan).toBeUndefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'IMGC7002',
        file: 'image.toml',
        line: 4,
        column: 10,
        pointer: '/distribution/release',
      }),
    ]);
  });

  it('reports missing overlays, foreign architectures and outputs it cannot build', async () => {
    const ir = baseIr();
    ir.overlays.push({ source: 'no-such-folder' });
    const missing = await planBuild(
      request(ir, { positions: { '/overlays/0': { file: 'd.toml', line: 9, column: 1 } } }),
    );
    expect(missing.diagnostics).toEqual([
      expect.objectContaining({ code: 'IMGC7016', file: 'd.toml', line: 9 }),
    ]);

    const arm = baseIr();
    arm.distribution.architecture = 'aarch64';
    expect((await planBuild(request(arm))).diagnostics.map((d) => d.code)).toEqual(['IMGC7003']);

    const installer = baseIr();
    installer.outputs.push({ type: 'installer' });
    expect((await planBuild(request(installer))).diagnostics.map((d) => d.code)).toContain('IMGC7004');
  });

  it('splits bootstrap and install when something must run between them', async () => {
    const ir = baseIr();
    ir.packages.bootstrap.push({ name: 'ca-certificates' });
    ir.scripts.push({ phase: 'pre-packages', chroot: true, body: 'echo hi' });
    const { plan } = await planBuild(request(ir));
    expect(types(plan!.steps).slice(0, 3)).toEqual(['bootstrap', 'run-script', 'install-packages']);
    expect(step(plan!.steps, 'bootstrap').options.packages).toEqual(['ca-certificates']);
    expect(step(plan!.steps, 'install-packages').options.packages).toEqual(['ca-certificates', 'systemd']);
  });

  it('warns about fields apt cannot apply instead of dropping them silently', async () => {
    const ir = baseIr();
    ir.packages.groups.push({ name: 'Development Tools' });
    ir.system.selinux = 'enforcing';
    const { plan, diagnostics } = await planBuild(request(ir));
    expect(plan).toBeDefined();
    expect(diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['IMGC7006', '/packages/groups/0'],
      ['IMGC7006', '/system/selinux'],
    ]);
  });
});

describe('published plan schemas', () => {
  it('match what the TypeBox sources emit', async () => {
    const { planSchemaFiles } = await import('../../src/plan/schemas.js');
    for (const [file, schema] of Object.entries(planSchemaFiles)) {
      const committed = JSON.parse(readFileSync(join(import.meta.dirname, '../../schemas', file), 'utf8'));
      expect(committed, `${file} is stale: run npm run schemas`).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });
});
