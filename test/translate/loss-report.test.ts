/**
 * The loss report of a translation (issue 6): every dropped field named by JSON Pointer with
 * the source line it came from, `--strict` turning losses into exit 1, defaults reported as
 * IMGC6003, and `imgc diff` of a KIWI description against its mkosi translation. The KIWI
 * cases need the kiwi (and mkosi, blueprint) formats registered; without them they are
 * skipped with a visible message.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { translateIr } from '../../src/formats/translate.js';
import { writeOutputFiles } from '../../src/formats/write-files.js';
import { diffIr } from '../../src/ir/diff.js';
import { runCli } from '../helpers/run-cli.js';
import { fixturesDirOf, repoRoot } from '../helpers/shared.js';

const registry = new FormatRegistry();
const kiwiCase = join(repoRoot, 'test/translate/fixtures/kiwi-custom-layout');
const scratch = mkdtempSync(join(tmpdir(), 'imgc-loss-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (args: string[]) => runCli(args, { registry });

const missing = (...ids: string[]) => ids.filter((id) => !registry.get(id));
const itWith = (ids: string[], name: string, fn: () => Promise<void>) => {
  const absent = missing(...ids);
  if (absent.length) {
    console.warn(`SKIPPED: "${name}" needs the ${absent.join(', ')} format(s), not registered yet`);
    it.skip(name, fn);
  } else it(name, fn);
};

describe('KIWI → blueprint loss report', () => {
  itWith(['kiwi', 'blueprint'], 'names each dropped field with its KIWI source file and line', async () => {
    const loaded = await loadDefinition(registry, kiwiCase, { from: 'kiwi' });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const result = await translateIr({
      ir: loaded.ir!,
      positions: loaded.positions,
      sourceDir: kiwiCase,
      target: registry.get('blueprint')!,
    });
    const losses = result.diagnostics.filter((d) => d.code === 'IMGC6001' || d.code === 'IMGC6002');
    expect(losses.length).toBeGreaterThan(0);
    const unlocated = losses.filter(
      (d) =>
        !d.pointer?.startsWith('/extensions/') &&
        !(d.file && d.line && d.line > 0 && /config\.(xml|sh)$/.test(d.file)),
    );
    expect(
      unlocated.map((d) => `${d.pointer}: ${d.message}`),
      'every loss outside format-private extension data names its KIWI file and line',
    ).toEqual([]);
    for (const d of losses) expect(d.pointer, d.message).toMatch(/^\//);
    const pointers = losses.map((d) => d.pointer!);
    expect(
      pointers.some((p) => p.startsWith('/scripts/0')),
      'the config.sh script is reported',
    ).toBe(true);
    expect(
      pointers.some((p) => p.startsWith('/packages/bootstrap')),
      'bootstrap packages are reported',
    ).toBe(true);
    const config = losses.find((d) => d.pointer?.startsWith('/scripts/0'));
    expect(config?.file, 'the config.sh loss points at config.sh or the description').toMatch(
      /config\.(sh|xml)$/,
    );
  });

  itWith(['kiwi', 'blueprint'], '--strict exits 1 on the same translation, 0 without it', async () => {
    const lenient = await run(['translate', kiwiCase, '--to', 'blueprint', '-o', join(scratch, 'lenient')]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/loss report, .*config\.xml → blueprint: \d+ fields lost in \d+ sections/);
    const strict = await run([
      'translate',
      kiwiCase,
      '--to',
      'blueprint',
      '-o',
      join(scratch, 'strict'),
      '--strict',
    ]);
    expect(strict.code).toBe(1);
  });
});

describe('the report as printed', () => {
  itWith(
    ['kiwi', 'mkosi'],
    'groups the translate diagnostics by IR section, with short values and hints',
    async () => {
      const { code, stderr } = await run([
        'translate',
        kiwiCase,
        '--to',
        'mkosi',
        '-o',
        join(scratch, 'text'),
      ]);
      expect(code).toBe(0);
      const report = stderr.slice(stderr.indexOf('loss report, '));
      const lines = report.trimEnd().split('\n');
      expect(lines[0]).toMatch(
        /^loss report, .*config\.xml → mkosi: \d+ fields? lost in \d+ sections?, \d+ approximated, \d+ assumed$/,
      );
      const sections = lines.filter((l) => /^ {2}[a-z]+: \d+ (lost|approximated|assumed)/.test(l));
      expect(sections.length).toBeGreaterThan(1);
      expect(lines.filter((l) => /^ {4}(\d+:\d+: |\S+:\d+:\d+: )?IMGC600\d /.test(l)).length).toBeGreaterThan(
        0,
      );
      expect(report, 'no raw JSON objects').not.toMatch(/\{"/);
      expect(lines.every((l) => l.length < 300)).toBe(true);
      expect(report).toContain('  hints:\n    IMGC6001: ');
      expect(
        stderr.slice(0, stderr.indexOf('loss report, ')),
        'losses appear only in the report',
      ).not.toMatch(/IMGC600[1-4]/);
    },
  );

  itWith(
    ['kiwi', 'mkosi'],
    '--json keeps the same diagnostic objects, each loss with its pointer and hint',
    async () => {
      const { stdout } = await run([
        'translate',
        kiwiCase,
        '--to',
        'mkosi',
        '-o',
        join(scratch, 'json'),
        '--json',
      ]);
      const out = JSON.parse(stdout) as { files: string[]; diagnostics: Record<string, unknown>[] };
      expect(Object.keys(out).sort()).toEqual(['diagnostics', 'files']);
      const allowed = new Set([
        'code',
        'severity',
        'message',
        'file',
        'line',
        'column',
        'endLine',
        'endColumn',
        'hint',
        'pointer',
        'source',
      ]);
      for (const d of out.diagnostics) for (const k of Object.keys(d)) expect(allowed.has(k), k).toBe(true);
      const losses = out.diagnostics.filter((d) => d.code === 'IMGC6001');
      expect(losses.length).toBeGreaterThan(0);
      for (const d of losses) {
        expect(d.pointer).toMatch(/^\//);
        expect(d.hint).toBeTruthy();
      }
    },
  );

  itWith(
    ['kiwi', 'mkosi'],
    'does not report the repository id that names the .repo section as lost',
    async () => {
      const out = join(scratch, 'repo');
      const { stdout } = await run(['translate', kiwiCase, '--to', 'mkosi', '-o', out, '--json']);
      const diagnostics = (JSON.parse(stdout) as { diagnostics: { code: string; pointer?: string }[] })
        .diagnostics;
      const repoLosses = diagnostics.filter((d) =>
        /^\/repositories\/0\/(id|name|type)$/.test(d.pointer ?? ''),
      );
      expect(repoLosses).toEqual([]);
      expect(readFileSync(join(out, 'mkosi.sandbox/etc/yum.repos.d/imgc.repo'), 'utf8')).toMatch(
        /^\[fedora\]$/m,
      );
    },
  );

  itWith(
    ['kiwi', 'mkosi'],
    'names the profiles mkosi output leaves out, what they held, and where they are',
    async () => {
      const source = join(fixturesDirOf('kiwi'), 'profiles/input.kiwi');
      const { stdout } = await run([
        'translate',
        source,
        '--to',
        'mkosi',
        '-o',
        join(scratch, 'prof'),
        '--profile',
        'Disk',
        '--json',
      ]);
      const d = (
        JSON.parse(stdout) as { diagnostics: { code: string; message: string; line?: number }[] }
      ).diagnostics.find((x) => x.code === 'IMGC6004');
      expect(d?.message).toContain('mkosi.profiles/');
      expect(d?.message).toMatch(/active profiles Base, Disk were merged/);
      expect(d?.message).toMatch(/not written: Live \([a-z, ]+\)/);
      expect(d?.line).toBeGreaterThan(0);
    },
  );
});

describe('values the target needs', () => {
  const sample = join(repoRoot, 'samples/containerfile');

  it('a Containerfile needs a base image: --distro supplies it and the report says so', async () => {
    const bp = join(scratch, 'no-distro.toml');
    await writeOutputFiles(scratch, [
      { path: 'no-distro.toml', content: 'name = "x"\n[[packages]]\nname = "vim"\n' },
    ]);
    const { code, stdout } = await run([
      'translate',
      bp,
      '--from',
      'blueprint',
      '--to',
      'containerfile',
      '-o',
      join(scratch, 'cf'),
      '--distro',
      'centos:10',
      '--json',
    ]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { diagnostics: { code: string; pointer?: string; message: string }[] };
    const fromFlag = out.diagnostics.filter((d) => d.code === 'IMGC1020');
    expect(fromFlag.map((d) => d.message)).toEqual(['distribution centos 10 from --distro']);
    const again = await loadDefinition(registry, join(scratch, 'cf'), { from: 'containerfile' });
    expect(again.ir?.distribution).toMatchObject({ id: 'centos', release: '10' });
  });

  it('without flags there is no default: exit 1 with IMGC1021 asking for --distro', async () => {
    const bp = join(scratch, 'no-distro.toml');
    const { code, stdout } = await run([
      'translate',
      bp,
      '--from',
      'blueprint',
      '--to',
      'containerfile',
      '-o',
      join(scratch, 'cf2'),
      '--json',
    ]);
    expect(code).toBe(1);
    const out = JSON.parse(stdout) as {
      files: string[];
      diagnostics: { code: string; severity: string; hint?: string }[];
    };
    const missing = out.diagnostics.find((d) => d.code === 'IMGC1021');
    expect(missing?.severity).toBe('error');
    expect(missing?.hint).toMatch(/--distro id:release/);
    expect(out.files).toEqual([]);
  });

  it('rejects an --output that is no output type with exit 2', async () => {
    const { code, stderr } = await run([
      'translate',
      sample,
      '--to',
      'containerfile',
      '-o',
      join(scratch, 'x'),
      '--output',
      'floppy',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('IMGC6005');
  });

  itWith(['kiwi'], '--output fills the output type of a source without one', async () => {
    const { code, stdout } = await run([
      'translate',
      sample,
      '--to',
      'kiwi',
      '-o',
      join(scratch, 'k'),
      '--output',
      'disk:qcow2',
      '--json',
    ]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { diagnostics: { code: string; pointer?: string; message: string }[] };
    const d = out.diagnostics.find((x) => x.code === 'IMGC6003' && x.pointer === '/outputs/0');
    expect(d?.message).toContain('--output');
  });
});

describe('imgc diff of a KIWI description and its mkosi translation', () => {
  itWith(['kiwi', 'mkosi'], 'shows no difference in the fields both formats can express', async () => {
    const out = join(scratch, 'mkosi');
    const translated = await run(['translate', kiwiCase, '--to', 'mkosi', '-o', out]);
    expect(translated.code).toBe(0);
    const kiwi = await loadDefinition(registry, kiwiCase, { from: 'kiwi' });
    const mkosi = await loadDefinition(registry, out, { from: 'mkosi' });
    const changes = diffIr(kiwi.ir!, mkosi.ir!, {
      restrictTo: [registry.get('kiwi')!.writer!.capabilities, registry.get('mkosi')!.writer!.capabilities],
    });
    expect(changes.map((c) => `${c.area} ${c.kind} ${c.key} ${JSON.stringify(c.fields ?? [])}`)).toEqual([]);
    const cli = await run(['diff', kiwiCase, out, '--from-a', 'kiwi', '--from-b', 'mkosi', '--common']);
    expect(cli.code).toBe(0);
  });
});
