/** The CLI contract other tools rely on: commands, --json shapes, exit codes. Runs the CLI in process. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FormatModule } from '../../src/formats/contract.js';
import { builtinFormats, FormatRegistry } from '../../src/formats/registry.js';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/shared.js';

const run = (args: string[], registry?: FormatRegistry) => runCli(args, { registry });

const sample = join(repoRoot, 'samples/blueprint/debian-minimal.toml');
const scratch = mkdtempSync(join(tmpdir(), 'imgc-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('imgc formats', () => {
  it('lists ids with what they read and write, as JSON', async () => {
    const { code, stdout } = await run(['formats', '--json']);
    expect(code).toBe(0);
    const formats = JSON.parse(stdout).formats as {
      id: string;
      reads: boolean;
      writes: boolean;
      detection: string;
    }[];
    const ids = formats.map((f) => f.id);
    expect(ids).toContain('blueprint');
    expect(ids).toContain('blueprint-json');
    for (const f of formats) expect(f.detection.length).toBeGreaterThan(0);
  });
});

describe('imgc inspect', () => {
  it('prints {ir, diagnostics} with --json and detects the format', async () => {
    const { code, stdout } = await run(['inspect', sample, '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.format).toBe('blueprint');
    expect(out.ir.irVersion).toBe(1);
    expect(out.ir.distribution).toMatchObject({ id: 'debian', release: '12' });
    expect(out.ir.packages.install.map((p: { name: string }) => p.name)).toContain('systemd');
    expect(out.ir.system.hostname).toBe('imgc-sample');
    expect(Array.isArray(out.diagnostics)).toBe(true);
  });

  it('prints YAML without --json', async () => {
    const { code, stdout } = await run(['inspect', sample]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^irVersion: 1$/m);
  });

  it('exits 1 with a coded error at line 3 for `name = ` without a value', async () => {
    const file = join(scratch, 'broken.toml');
    writeFileSync(file, 'description = "x"\nversion = "1.0.0"\nname = \n');
    const { code, stdout } = await run(['inspect', file, '--json']);
    expect(code).toBe(1);
    const [d] = JSON.parse(stdout).diagnostics;
    expect(d).toMatchObject({ code: 'IMGC2001', severity: 'error', line: 3, file });
    expect(d.column).toBeGreaterThan(0);
  });

  it('exits 2 for a path that does not exist, 1 for one no format recognises', async () => {
    expect((await run(['inspect', join(scratch, 'nope.toml')])).code).toBe(2);
    const odd = join(scratch, 'notes.txt');
    writeFileSync(odd, 'hello');
    const { code, stderr } = await run(['inspect', odd]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/IMGC1002/);
  });

  it('exits 2 for usage errors: unknown command, unknown --from', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['inspect', sample, '--from', 'floppy'])).code).toBe(2);
    expect((await run(['inspect'])).code).toBe(2);
  });
});

describe('imgc validate', () => {
  it('prints only diagnostics', async () => {
    const { code, stdout } = await run(['validate', sample, '--json']);
    expect(code).toBe(0);
    expect(Object.keys(JSON.parse(stdout)).sort()).toEqual(['diagnostics', 'format']);
  });
});

describe('imgc translate', () => {
  it('writes the target files and reports them', async () => {
    const out = join(scratch, 'json-out');
    const { code, stdout } = await run(['translate', sample, '--to', 'blueprint-json', '-o', out, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.files).toEqual([join(out, 'blueprint.json')]);
    expect(JSON.parse(readFileSync(join(out, 'blueprint.json'), 'utf8')).name).toBe('imgc-sample');
  });

  it('reports a loss with the source line, and --strict turns it into exit 1', async () => {
    const src = join(scratch, 'with-script.json');
    writeFileSync(src, JSON.stringify({ name: 'x', customizations: { hostname: 'h' } }, null, 2));
    // an IR field blueprints cannot hold comes from a format that can: fake one with a tiny in-memory format
    const fake: FormatModule = {
      id: 'fake',
      name: 'fake',
      detection: 'never',
      patterns: [],
      reader: {
        detect: () => 0,
        read: async (path) => {
          const { emptyIr } = await import('../../src/ir/empty.js');
          const ir = emptyIr();
          ir.system.hostname = 'h';
          ir.outputs.push({ type: 'confext' });
          return {
            ir,
            positions: { '/outputs/0': { file: path, line: 7, column: 3 } },
            diagnostics: [],
            files: [path],
          };
        },
      },
    };
    const registry = new FormatRegistry([...builtinFormats, fake]);
    const out = join(scratch, 'lossy');
    const loose = await run(
      ['translate', src, '--from', 'fake', '--to', 'blueprint', '-o', out, '--json'],
      registry,
    );
    expect(loose.code).toBe(0);
    const loss = JSON.parse(loose.stdout).diagnostics.find((d: { code: string }) => d.code === 'IMGC6001');
    expect(loss).toMatchObject({ pointer: '/outputs/0', line: 7, column: 3, file: src });
    const strict = await run(
      ['translate', src, '--from', 'fake', '--to', 'blueprint', '-o', out, '--strict'],
      registry,
    );
    expect(strict.code).toBe(1);
  });

  it('exits 2 for an unknown target', async () => {
    const { code, stderr } = await run(['translate', sample, '--to', 'floppy', '-o', join(scratch, 'x')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/IMGC1004/);
  });
});

describe('internal errors', () => {
  it('become a short message and exit 2; the stack only with --debug', async () => {
    const exploding: FormatModule = {
      id: 'boom',
      name: 'boom',
      detection: 'never',
      patterns: [],
      reader: {
        detect: () => 0,
        read: async () => {
          throw new Error('kaboom');
        },
      },
    };
    const registry = new FormatRegistry([exploding]);
    const plain = await run(['inspect', sample, '--from', 'boom'], registry);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/IMGC1009|internal error: kaboom/);
    expect(plain.stderr).not.toMatch(/at .*\.ts:\d+/);
    const debug = await run(['--debug', 'inspect', sample, '--from', 'boom'], registry);
    expect(debug.stderr).toMatch(/kaboom\n\s+at /);
  });
});
