/**
 * The CLI contract of issue 16, run against the built CLI (bin/imgc.js over dist/) as a user
 * runs it: exit codes, flag checks, list, init, --quiet/--verbose, the user config file,
 * overwrite refusal, clean, and folders holding several definitions.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../src/backends/registry.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { OUTPUT_TYPES } from '../../src/ir/schema.js';
import { buildableOutputs } from '../../src/plan/planner.js';
import { ensureBuiltCli, runImgc } from '../helpers/built-cli.js';
import { repoRoot } from '../helpers/shared.js';

const samples = join(repoRoot, 'samples');
const blueprint = join(samples, 'blueprint/debian-minimal.toml');
const mkosiTree = join(samples, 'mkosi');
const scratch = mkdtempSync(join(tmpdir(), 'imgc-conventions-'));

beforeAll(() => {
  ensureBuiltCli();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const codesIn = (text: string) => [...text.matchAll(/IMGC\d{4}/g)].map((m) => m[0]);

describe('exit codes: usage errors exit 2', () => {
  it.each([
    ['an unknown command', ['frobnicate']],
    ['an unknown option', ['inspect', blueprint, '--frobnicate']],
    ['a missing path', ['inspect']],
    ['a path that does not exist', ['inspect', join(scratch, 'nope.toml')]],
    ['an unknown --from', ['inspect', blueprint, '--from', 'floppy']],
    ['an unknown --to', ['translate', blueprint, '--to', 'floppy', '-o', join(scratch, 'x')]],
    [
      'an unknown translate --output',
      ['translate', blueprint, '--to', 'kiwi', '-o', join(scratch, 'x'), '--output', 'floppy'],
    ],
    ['an unknown plan --output', ['plan', mkosiTree, '--output', 'floppy']],
    ['an unknown build --output', ['build', mkosiTree, '--output', 'disk,floppy', '-o', join(scratch, 'x')]],
    ['an unknown -O key', ['inspect', blueprint, '-O', 'backnd=fedora']],
    ['build without -o', ['build', mkosiTree]],
  ])('%s', (_what, args) => {
    const r = runImgc(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('prints the usage error as data with --json', () => {
    const r = runImgc(['plan', mkosiTree, '-O', 'backnd=x', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).diagnostics.map((d: { code: string }) => d.code)).toEqual(['IMGC9030']);
    const events = runImgc(['build', mkosiTree, '-O', 'backnd=x', '-o', join(scratch, 'x'), '--json']);
    expect(events.code).toBe(2);
    const lines = events.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // every line is a diagnostic event (a default taken from the environment is an info before it)
    expect(lines.every((l) => l.event === 'diagnostic')).toBe(true);
    const errors = lines.filter((l) => l.diagnostic.severity === 'error');
    expect(errors.map((l) => l.diagnostic.code)).toEqual(['IMGC9030']);
  });

  it('exits 1 for a definition with errors and 0 for a valid one', () => {
    const broken = join(scratch, 'broken.toml');
    writeFileSync(broken, 'name = \n');
    expect(runImgc(['validate', broken]).code).toBe(1);
    expect(runImgc(['validate', blueprint]).code).toBe(0);
  });

  it('README.md lists every exit code the CLI uses, and only those', async () => {
    const { EXIT_CODE_TABLE } = await import('../../src/cli/output.js');
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const table = readme.slice(
      readme.indexOf('### Exit codes'),
      readme.indexOf('### ', readme.indexOf('### Exit codes') + 4),
    );
    const documented = [...table.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(documented).toEqual(EXIT_CODE_TABLE.map((e) => e.code));
  });
});

describe('-O key=value', () => {
  it('names the nearest known key for a typo', () => {
    const r = runImgc(['plan', mkosiTree, '-O', 'backnd=debian']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/IMGC9030 unknown -O key "backnd"; did you mean "backend"\?/);
  });

  it('passes the keys imgc reads', () => {
    const r = runImgc([
      'plan',
      mkosiTree,
      '--output',
      'tar',
      '-O',
      'backend=debian',
      '-O',
      'mirror=http://deb.example/debian',
    ]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('warns about a known key the command does not read', () => {
    const plan = runImgc(['plan', mkosiTree, '--output', 'tar', '-O', 'mkosi-version=14']);
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain(
      'IMGC9039 -O mkosi-version is read by the mkosi writer, and imgc plan writes no definition',
    );
    const out = join(scratch, 'unread');
    const translate = runImgc([
      'translate',
      blueprint,
      '--to',
      'kiwi',
      '-o',
      out,
      '-O',
      'mkosi-version=14',
      '-O',
      'mirror=x',
    ]);
    expect(translate.stderr).toContain(
      'IMGC9039 -O mkosi-version is read by the mkosi writer, and this command writes kiwi',
    );
    expect(translate.stderr).toContain(
      'IMGC9039 -O mirror is read by the debian, fedora, suse, arch backends, and imgc translate plans no build',
    );
    const used = runImgc([
      'translate',
      blueprint,
      '--to',
      'mkosi',
      '-o',
      join(scratch, 'used'),
      '-O',
      'mkosi-version=14',
    ]);
    expect(used.stderr).not.toContain('IMGC9039');
  });

  it('lists the keys, with what reads each, in `imgc list options`', () => {
    const r = runImgc(['list', 'options', '--json']);
    const keys = JSON.parse(r.stdout).options.map((o: { key: string }) => o.key);
    expect(keys).toEqual(
      expect.arrayContaining(['backend', 'mirror', 'mkosi-version', 'pxe-url', 'sign-command']),
    );
  });
});

describe('--output of plan, build and clean', () => {
  it('does not swallow the path that follows it', () => {
    const r = runImgc(['plan', '--output', 'tar', mkosiTree, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).plan.outputs).toEqual(['tar']);
  });

  it('takes several types comma-separated or repeated', () => {
    const comma = JSON.parse(runImgc(['plan', mkosiTree, '--output', 'tar,directory', '--json']).stdout);
    const repeated = JSON.parse(
      runImgc(['plan', '--output', 'tar', '--output', 'directory', mkosiTree, '--json']).stdout,
    );
    expect(comma.plan.outputs).toEqual(['tar', 'directory']);
    expect(repeated.plan.outputs).toEqual(comma.plan.outputs);
  });

  it('suggests the nearest type for a typo', () => {
    expect(runImgc(['plan', mkosiTree, '--output', 'disc']).stderr).toMatch(
      /IMGC9031 .*"disc" \(did you mean "disk"\?\)/,
    );
  });

  it('help lists every output type of the registries', () => {
    const build = runImgc(['build', '--help']).stdout.replace(/\s+/g, ' ');
    for (const type of buildableOutputs) expect(build).toContain(type);
    const translate = runImgc(['translate', '--help']).stdout.replace(/\s+/g, ' ');
    for (const type of OUTPUT_TYPES) expect(translate).toContain(type);
  });
});

describe('imgc list', () => {
  it('lists the distributions of the backends', () => {
    const r = runImgc(['list', 'distros', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout).distributions as { id: string; backend: string; releases: string[] }[];
    const backends = new BackendRegistry().list();
    expect(rows.map((d) => d.id)).toEqual(backends.flatMap((b) => b.distributions));
    expect(rows.find((d) => d.id === 'debian')?.releases).toContain('bookworm');
  });

  it('lists every output type, marking the ones imgc builds', () => {
    const rows = JSON.parse(runImgc(['list', 'outputs', '--json']).stdout).outputs as {
      type: string;
      buildable: boolean;
      description: string;
    }[];
    expect(rows.map((r) => r.type)).toEqual([...OUTPUT_TYPES]);
    expect(rows.filter((r) => r.buildable).map((r) => r.type)).toEqual([...buildableOutputs]);
    for (const r of rows) expect(r.description, r.type).not.toBe('');
  });

  it('lists the formats as `imgc formats` does', () => {
    const ids = JSON.parse(runImgc(['list', 'formats', '--json']).stdout).formats.map(
      (f: { id: string }) => f.id,
    );
    expect(ids).toEqual(new FormatRegistry().list().map((f) => f.id));
  });

  it('exits 2 for something it cannot list', () => {
    const r = runImgc(['list', 'flavours']);
    expect(r.code).toBe(2);
    expect(codesIn(r.stderr)).toContain('IMGC9036');
  });
});

describe('imgc init', () => {
  const writable = new FormatRegistry()
    .list()
    .filter((f) => f.reader && f.writer)
    .map((f) => f.id);

  it.each(writable)('writes a %s definition that imgc validate accepts', (format) => {
    const dir = join(scratch, 'init', format);
    // TDL and virt-builder must name an architecture (IMGC2615, IMGC2712 without one)
    const r = runImgc(['init', '--from-format', format, '--distro', 'debian:12', '--arch', 'x86_64', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBeGreaterThan(0);
    const check = runImgc(['validate', '--from', format, dir]);
    expect(check.code, check.stderr).toBe(0);
  });

  it('says which format it chose when --from-format is left out', () => {
    const r = runImgc(['init', '--distro', 'fedora:41', join(scratch, 'init-default')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/IMGC1081 --from-format mkosi/);
  });

  it('refuses a folder that is not empty, unless --force', () => {
    const dir = join(scratch, 'init-full');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const refused = runImgc(['init', '--from-format', 'blueprint', '--distro', 'debian:12', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/IMGC9033 .*notes\.txt/);
    const forced = runImgc(['init', '--from-format', 'blueprint', '--distro', 'debian:12', '--force', dir]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('asks for --distro instead of assuming one', () => {
    const r = runImgc(['init', join(scratch, 'init-nodistro')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/IMGC9034[\s\S]*--distro/);
  });

  const mkosiVersion = spawnSync('mkosi', ['--version'], { encoding: 'utf8' });
  it.skipIf(mkosiVersion.status !== 0 || !/^mkosi 14\b/m.test(mkosiVersion.stdout))(
    'writes an mkosi 14 tree that Debian’s mkosi 14 accepts (mkosi summary)',
    () => {
      const dir = join(scratch, 'init-mkosi14');
      const r = runImgc([
        'init',
        '--from-format',
        'mkosi',
        '-O',
        'mkosi-version=14',
        '--distro',
        'debian:bookworm',
        dir,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const summary = spawnSync('mkosi', ['summary'], { cwd: dir, encoding: 'utf8' });
      expect(summary.status, summary.stderr).toBe(0);
      expect(summary.stdout + summary.stderr).toMatch(/Distribution: debian/);
    },
  );

  const kiwi = spawnSync('/usr/bin/python3', ['-c', 'import kiwi'], { encoding: 'utf8' });
  it.skipIf(kiwi.status !== 0)(
    'writes a KIWI description that KIWI 9.24 accepts (kiwi-ng image info checks)',
    async () => {
      const dir = join(scratch, 'init-kiwi75');
      const r = runImgc([
        'init',
        '--from-format',
        'kiwi',
        '-O',
        'kiwiSchema=7.5',
        '--distro',
        'debian:12',
        dir,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const { judgeWithKiwi } = await import('../conformance/kiwi-acceptance.js');
      const verdict = (await judgeWithKiwi('image-info', [dir])).get(dir);
      expect(verdict, JSON.stringify(verdict)).toMatchObject({ ok: true });
    },
  );
});

describe('--quiet and --verbose', () => {
  it('--quiet prints errors only; results still go to stdout', () => {
    const quiet = runImgc(['translate', mkosiTree, '--to', 'kiwi', '-o', join(scratch, 'quiet'), '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toMatch(/config\.xml/);
    const normal = runImgc(['translate', mkosiTree, '--to', 'kiwi', '-o', join(scratch, 'normal')]);
    expect(normal.stderr).toMatch(/loss report/);
    const failing = runImgc(['validate', '--quiet', join(scratch, 'nope')]);
    expect(failing.stderr).toMatch(/error IMGC1001/);
  });

  it('--verbose also says what was read', () => {
    const r = runImgc(['validate', '-v', mkosiTree]);
    expect(r.stderr).toContain(`read ${mkosiTree} as mkosi: ${join(mkosiTree, 'mkosi.conf')}`);
    expect(runImgc(['validate', mkosiTree]).stderr).not.toMatch(/^read /m);
  });

  it('every command takes both', async () => {
    const { buildProgram } = await import('../../src/cli/main.js');
    const { programModel, valueSources } = await import('../../src/cli/command-model.js');
    const registry = new FormatRegistry();
    const model = programModel(buildProgram(undefined, registry).program, valueSources(registry));
    expect(model.commands.length).toBeGreaterThan(12);
    for (const c of model.commands) {
      const longs = c.options.map((o) => o.long);
      expect(longs, c.name).toEqual(expect.arrayContaining(['--quiet', '--verbose']));
    }
    expect(runImgc(['plugins', 'list', '--help']).stdout).toMatch(/-q, --quiet[\s\S]*-v, --verbose/);
  });
});

describe('the user config file', () => {
  const home = join(scratch, 'xdg');
  const configFile = join(home, 'imgc/config.toml');
  const withConfig = (text: string) => {
    mkdirSync(join(home, 'imgc'), { recursive: true });
    writeFileSync(configFile, text);
    return { XDG_CONFIG_HOME: home, IMGC_USER_CONFIG: undefined } as unknown as NodeJS.ProcessEnv;
  };
  const noDistro = join(scratch, 'no-distro.toml');
  writeFileSync(noDistro, 'name = "x"\n');

  it('fills a missing distribution and says from where', () => {
    const env = withConfig('distro = "debian:12"\n');
    const r = runImgc(['inspect', noDistro, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ir.distribution).toMatchObject({ id: 'debian', release: '12' });
    expect(out.diagnostics.find((d: { code: string }) => d.code === 'IMGC1081').message).toContain(
      configFile,
    );
  });

  it('loses to the environment, which loses to the flag', () => {
    const env = { ...withConfig('distro = "debian:12"\n'), IMGC_DISTRO: 'fedora:41' };
    const fromEnv = JSON.parse(runImgc(['inspect', noDistro, '--json'], { env }).stdout);
    expect(fromEnv.ir.distribution).toMatchObject({ id: 'fedora', release: '41' });
    const fromFlag = JSON.parse(runImgc(['inspect', noDistro, '--json', '--distro', 'arch'], { env }).stdout);
    expect(fromFlag.ir.distribution.id).toBe('arch');
  });

  it('never replaces the distribution a definition names', () => {
    const env = withConfig('distro = "fedora:41"\n');
    const out = JSON.parse(runImgc(['inspect', blueprint, '--json'], { env }).stdout);
    expect(out.ir.distribution).toMatchObject({ id: 'debian', release: '12' });
  });

  it('gives build and clean their output folder', () => {
    const out = join(scratch, 'from-config-out');
    const env = withConfig(`output-dir = "${out}"\n`);
    const r = runImgc(['clean', mkosiTree], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`IMGC1081 -o/--output-dir ${out}`);
    expect(r.stderr).toContain(`IMGC9038 nothing to remove in ${out}`);
  });

  it('gives build its cache folder, the environment winning over the file and the flag over both', () => {
    const env = withConfig(`cache-dir = "~/from-file"\noutput-dir = "${join(scratch, 'o')}"\n`);
    // a definition without a distribution stops at planning, after the defaults are reported
    const fromFile = runImgc(['build', noDistro], { env });
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toMatch(/IMGC1081 --cache-dir \/\S+\/from-file \(from .*config\.toml\)/);
    const fromEnv = runImgc(['build', noDistro], { env: { ...env, IMGC_CACHE_DIR: '/tmp/from-env' } });
    expect(fromEnv.stderr).toContain('IMGC1081 --cache-dir /tmp/from-env (from IMGC_CACHE_DIR)');
    const fromFlag = runImgc(['build', noDistro, '--cache-dir', '/tmp/flag'], {
      env: { ...env, IMGC_CACHE_DIR: '/tmp/from-env' },
    });
    expect(fromFlag.stderr).not.toMatch(/IMGC1081 --cache-dir/);
  });

  it('refuses unknown keys with their line, and plugins in particular', () => {
    const env = withConfig('distro = "debian:12"\nplugins = ["./evil"]\ncache-dri = "/x"\n');
    const r = runImgc(['validate', blueprint], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config\.toml:2:1: error IMGC1080 .*"plugins".*--plugin/);
    expect(r.stderr).toMatch(/config\.toml:3:1: error IMGC1080 .*"cache-dri"; did you mean "cache-dir"/);
  });

  it('reports a TOML syntax error at its position', () => {
    const env = withConfig('distro = \n');
    const r = runImgc(['validate', blueprint], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config\.toml:1:\d+: error IMGC1080/);
  });
});

describe('translate -o into a folder with files', () => {
  it('refuses to overwrite a changed file without --force, and shows the change', () => {
    const out = join(scratch, 'overwrite');
    expect(runImgc(['translate', blueprint, '--to', 'blueprint-json', '-o', out]).code).toBe(0);
    // the same translation again changes nothing: not an error
    expect(runImgc(['translate', blueprint, '--to', 'blueprint-json', '-o', out]).code).toBe(0);
    const file = join(out, 'blueprint.json');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('"imgc-sample"', '"hand-edited"'));
    const refused = runImgc(['translate', blueprint, '--to', 'blueprint-json', '-o', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^-.*"hand-edited"/m);
    expect(refused.stderr).toMatch(/^\+.*"imgc-sample"/m);
    expect(refused.stderr).toContain(`IMGC9032 ${file} exists and differs`);
    expect(readFileSync(file, 'utf8')).toContain('hand-edited');
    // the diff hides secrets as every print does
    writeFileSync(
      file,
      original.replace('"imgc-sample"', '"hand-edited"').replace('{', '{"password": "hunter2-secret",'),
    );
    const secret = runImgc(['translate', blueprint, '--to', 'blueprint-json', '-o', out]);
    expect(secret.code).toBe(2);
    expect(secret.stderr).not.toContain('hunter2-secret');
    expect(secret.stderr).toContain('<redacted>');
    const forced = runImgc(['translate', blueprint, '--to', 'blueprint-json', '-o', out, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });
});

describe('imgc clean', () => {
  it('says when it removed nothing', () => {
    const r = runImgc(['clean', mkosiTree, '-o', join(scratch, 'empty-out'), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.removed).toEqual([]);
    expect(out.diagnostics.map((d: { code: string }) => d.code)).toContain('IMGC9038');
  });
});

describe('folders holding several definitions', () => {
  it('names both formats found and the one read', () => {
    const dir = join(scratch, 'both');
    mkdirSync(dir, { recursive: true });
    cpSync(join(mkosiTree, 'mkosi.conf'), join(dir, 'mkosi.conf'));
    cpSync(join(samples, 'kiwi/debian-minimal/config.xml'), join(dir, 'config.xml'));
    const r = runImgc(['validate', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/IMGC1082 .*mkosi\.conf.*config\.xml.*read as mkosi/);
    expect(r.stderr).toMatch(/--from kiwi/);
  });

  it('asks to name the file when a folder holds two kickstarts', () => {
    const dir = join(scratch, 'two-ks');
    mkdirSync(dir, { recursive: true });
    cpSync(join(samples, 'kickstart/imgc-sample.ks'), join(dir, 'a.ks'));
    cpSync(join(samples, 'kickstart/imgc-sample.ks'), join(dir, 'b.ks'));
    const r = runImgc(['validate', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/IMGC1083 .*a\.ks, b\.ks/);
    expect(r.stderr).toContain(`name the file itself, e.g. ${join(dir, 'a.ks')}`);
  });
});
