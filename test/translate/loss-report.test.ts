/**
 * The loss report of a translation (issue 6): every dropped field named by JSON Pointer with
 * the source line it came from, `--strict` turning losses into exit 1, defaults reported as
 * IMGC6003, and `imgc diff` of a KIWI description against its mkosi translation. The KIWI
 * cases need the kiwi (and mkosi, blueprint) formats registered; without them they are
 * skipped with a visible message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { translateIr } from '../../src/formats/translate.js';
import { writeOutputFiles } from '../../src/formats/write-files.js';
import { diffIr } from '../../src/ir/diff.js';
import { repoRoot } from '../helpers/shared.js';

const registry = new FormatRegistry();
const kiwiCase = join(repoRoot, 'test/translate/fixtures/kiwi-custom-layout');
const scratch = mkdtempSync(join(tmpdir(), 'imgc-loss-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
  };
  const code = await main(['node', 'imgc', ...args], io, registry);
  return { code, stdout, stderr };
}

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
    expect(lenient.stderr).toMatch(/loss report: \d+ field\(s\) not written to blueprint/);
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
