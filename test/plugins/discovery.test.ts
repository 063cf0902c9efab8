/** Plugin discovery: every source, duplicates, invalid manifests and refused API versions, and `imgc plugins list`. */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runPluginsList } from '../../src/cli/plugins.js';
import { discoverPlugins } from '../../src/plugins/discovery.js';
import { manifestErrors } from '../../src/plugins/manifest.js';

const fixtures = resolve(import.meta.dirname, 'fixtures');

const backendManifest = (name: string, id = name) => ({
  name,
  apiVersion: 1,
  kind: 'backend',
  backend: { id, distributions: [`${id}linux`], command: ['true'] },
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-plugins-'));
  const write = (path: string, value: unknown) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof value === 'string' ? value : JSON.stringify(value));
  };
  write('plugins/alpha/imgc-plugin.json', backendManifest('alpha'));
  write('plugins/dup/imgc-plugin.json', backendManifest('beta', 'beta2'));
  cpSync(join(fixtures, 'future-api'), join(dir, 'plugins/future-api'), { recursive: true });
  cpSync(join(fixtures, 'broken-json'), join(dir, 'plugins/broken-json'), { recursive: true });
  write('extra/beta/imgc-plugin.json', backendManifest('beta'));
  write('imgc.config.json', {
    plugins: [
      './extra/beta',
      './plugins/alpha',
      './plugins/broken-json',
      './plugins/dup',
      './plugins/future-api',
    ],
  });
  write('package.json', { name: 'my-images', dependencies: { 'imgc-gamma': '^1.0.0', 'left-pad': '1' } });
  write('node_modules/imgc-gamma/package.json', {
    name: 'imgc-gamma',
    version: '1.2.3',
    imgc: {
      apiVersion: 1,
      kind: 'backend',
      backend: { id: 'gamma', distributions: ['gammalinux'], command: ['node', 'x.js'] },
    },
  });
  write('node_modules/left-pad/package.json', { name: 'left-pad', version: '1.0.0' });
  return dir;
}

describe('plugin discovery', () => {
  it('loads the plugins named by --plugin, the --config file and its npm dependencies, in that order', () => {
    const dir = project();
    const explicit = join(fixtures, 'crasher');
    const { plugins, diagnostics } = discoverPlugins({
      cwd: tmpdir(),
      explicit: [explicit],
      config: join(dir, 'imgc.config.json'),
    });
    expect(diagnostics).toEqual([]);
    expect(plugins.map((p) => [p.name, p.from, p.status])).toEqual([
      ['crasher', 'option', 'ok'],
      ['beta', 'config', 'ok'],
      ['alpha', 'config', 'ok'],
      ['broken-json', 'config', 'invalid'],
      ['beta', 'config', 'duplicate'],
      ['future-api', 'config', 'refused'],
      ['imgc-gamma', 'npm', 'ok'],
    ]);
    const gamma = plugins.find((p) => p.name === 'imgc-gamma')!;
    expect(gamma.manifest?.version).toBe('1.2.3');
    expect(gamma.why).toContain('imgc-gamma');
  });

  it('loads nothing from the working directory by itself: plugins/, imgc.config.json and npm dependencies are only listed', () => {
    const dir = project();
    const { plugins, diagnostics, unloaded } = discoverPlugins({ cwd: dir });
    expect(plugins).toEqual([]);
    expect(diagnostics).toEqual([]);
    expect(unloaded.map((u) => u.why)).toEqual([
      'a config file in the working directory',
      'plugins/alpha/imgc-plugin.json',
      'plugins/broken-json/imgc-plugin.json',
      'plugins/dup/imgc-plugin.json',
      'plugins/future-api/imgc-plugin.json',
      'npm dependency imgc-gamma',
    ]);
    expect(unloaded[1]!.howToLoad).toBe(`--plugin ${join(dir, 'plugins/alpha')}`);
  });

  it('takes the config file from IMGC_CONFIG when --config is not given', () => {
    const dir = project();
    process.env.IMGC_CONFIG = join(dir, 'imgc.config.json');
    try {
      expect(discoverPlugins({ cwd: tmpdir() }).plugins.map((p) => p.name)).toContain('alpha');
    } finally {
      delete process.env.IMGC_CONFIG;
    }
  });

  it('refuses an API version it does not speak with IMGC8002, and a broken manifest with IMGC8001', () => {
    const dir = project();
    const { plugins } = discoverPlugins({ cwd: dir, config: 'imgc.config.json' });
    const future = plugins.find((p) => p.name === 'future-api')!;
    expect(future.diagnostics.map((d) => d.code)).toEqual(['IMGC8002']);
    expect(future.diagnostics[0]!.message).toBe(
      'plugin future-api declares API version 99; this imgc speaks 1',
    );
    expect(future.diagnostics[0]!.file).toBe(join(dir, 'plugins/future-api/imgc-plugin.json'));
    const broken = plugins.find((p) => p.name === 'broken-json')!;
    expect(broken.diagnostics.map((d) => d.code)).toEqual(['IMGC8001']);
    const dup = plugins.find((p) => p.status === 'duplicate')!;
    expect(dup.diagnostics.map((d) => d.code)).toEqual(['IMGC8008']);
  });

  it('reports a --plugin path without a manifest', () => {
    const { diagnostics } = discoverPlugins({ cwd: tmpdir(), explicit: ['/nonexistent/plugin'] });
    expect(diagnostics.map((d) => d.code)).toEqual(['IMGC8003']);
  });

  it('checks the manifest shape', () => {
    expect(manifestErrors(backendManifest('ok'))).toEqual([]);
    expect(manifestErrors({ name: 'x', apiVersion: 1, kind: 'backend' })).toEqual([
      'a backend plugin needs a "backend" object',
    ]);
    expect(manifestErrors({ name: 'x', apiVersion: 1, kind: 'engine' }).length).toBeGreaterThan(0);
  });

  it('imgc plugins list --json explains what was found and why', () => {
    const dir = project();
    let out = '';
    const code = runPluginsList(
      {
        stdout: (t) => {
          out += t;
        },
        stderr: () => {},
        isTTY: false,
      },
      { json: true, config: join(dir, 'imgc.config.json') },
      dir,
    );
    // the config names a refused and a broken plugin: listing works, the exit status says so
    expect(code).toBe(1);
    const listed = JSON.parse(out) as {
      plugins: { name: string; status: string; why: string; backend?: string }[];
      notLoaded: { path: string }[];
    };
    expect(listed.plugins.find((p) => p.name === 'alpha')).toMatchObject({
      status: 'ok',
      why: join(dir, 'imgc.config.json'),
      backend: 'alpha',
    });
    expect(listed.plugins.find((p) => p.name === 'future-api')?.status).toBe('refused');
    expect(listed.notLoaded).toEqual([]);
  });

  it('imgc --plugin <path> plugins list goes through the command line', async () => {
    let out = '';
    let err = '';
    const code = await main(['node', 'imgc', '--plugin', join(fixtures, 'future-api'), 'plugins', 'list'], {
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        err += t;
      },
      isTTY: false,
    });
    expect(code).toBe(1);
    expect(out).toContain('refused   future-api');
    expect(out).toContain('found via --plugin');
    expect(err).toContain('IMGC8002');
  });

  it('runs a format plugin in process: --plugin adds its reader to inspect', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgc-hello-'));
    writeFileSync(join(dir, 'image.hello'), 'package: vim\npackage: git\n');
    let out = '';
    const io = {
      stdout: (t: string) => {
        out += t;
      },
      stderr: () => {},
      isTTY: false,
    };
    const code = await main(
      [
        'node',
        'imgc',
        '--plugin',
        join(fixtures, 'format-hello'),
        'inspect',
        join(dir, 'image.hello'),
        // the hello format names no distribution, and imgc assumes none
        '--distro',
        'debian:bookworm',
        '--json',
      ],
      io,
    );
    expect(code).toBe(0);
    const { ir } = JSON.parse(out) as { ir: { packages: { install: { name: string }[] } } };
    expect(ir.packages.install.map((p) => p.name)).toEqual(['vim', 'git']);
  });
});
