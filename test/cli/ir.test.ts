/**
 * The IR as a format on the command line: what `imgc inspect` prints (YAML, or the --json
 * envelope) reads back everywhere — inspect, validate, translate, diff, plan — and a broken IR
 * is reported at its line and column with a user-facing code, never as an internal error or a
 * missing file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { emptyIr } from '../../src/ir/empty.js';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/shared.js';

const registry = new FormatRegistry();

const run = (args: string[]) => runCli(args, { registry });

const kiwiSample = join(repoRoot, 'samples/kiwi/debian-minimal');
const blueprintSample = join(repoRoot, 'samples/blueprint/debian-minimal.toml');
const scratch = mkdtempSync(join(tmpdir(), 'imgc-cli-ir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function save(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

/** A small IR the debian backend can plan, as pretty JSON. */
function debianIrText(mutate: (ir: Record<string, unknown>) => void = () => {}): string {
  const ir = emptyIr() as unknown as Record<string, unknown> & ReturnType<typeof emptyIr>;
  ir.distribution = { id: 'debian', release: 'bookworm', architecture: 'x86_64' };
  ir.packages.install.push({ name: 'systemd' });
  ir.files.push({ path: '/etc/motd', content: 'hi\n', mode: '0644' });
  mutate(ir);
  return `${JSON.stringify(ir, null, 2)}\n`;
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('imgc formats', () => {
  it('lists ir as read and write', async () => {
    const { stdout } = await run(['formats', '--json']);
    const ir = JSON.parse(stdout).formats.find((f: { id: string }) => f.id === 'ir');
    expect(ir).toMatchObject({ reads: true, writes: true, patterns: ['*.ir.json', '*.ir.yaml', '*.ir.yml'] });
  });
});

describe('imgc inspect on what imgc inspect printed', () => {
  it('reads the --json envelope back, detected as ir without any warning', async () => {
    const first = await run(['inspect', blueprintSample, '--json']);
    const envelope = save('inspect-output.json', first.stdout);
    const second = await run(['inspect', envelope, '--json']);
    expect(second.code).toBe(0);
    const out = JSON.parse(second.stdout);
    expect(out.format).toBe('ir');
    expect(out.diagnostics).toEqual([]);
    expect(out.ir).toEqual(JSON.parse(first.stdout).ir);
  });

  it('reads the default YAML output back (as *.ir.yaml and as a plain .yaml)', async () => {
    const yaml = (await run(['inspect', kiwiSample])).stdout;
    const expected = JSON.parse((await run(['inspect', kiwiSample, '--json'])).stdout).ir;
    for (const name of ['kiwi.ir.yaml', 'kiwi.yaml']) {
      const back = await run(['inspect', save(name, yaml), '--json']);
      expect(back.code, back.stderr).toBe(0);
      const out = JSON.parse(back.stdout);
      expect(out.format).toBe('ir');
      expect(out.diagnostics).toEqual([]);
      expect(out.ir).toEqual(expected);
    }
  });

  it('--effective merges the IR profiles like any other format', async () => {
    const ir = JSON.parse(debianIrText());
    ir.profiles = [{ name: 'dev', overlay: { files: [{ path: '/etc/dev', content: 'x' }] } }];
    const path = save('profiles.ir.json', JSON.stringify(ir));
    const out = JSON.parse(
      (await run(['inspect', path, '--json', '--profile', 'dev', '--effective'])).stdout,
    );
    expect(out.ir.files.map((f: { path: string }) => f.path)).toEqual(['/etc/motd', '/etc/dev']);
    const unknown = await run(['inspect', path, '--json', '--profile', 'prod']);
    expect(unknown.code).toBe(2); // a --profile the definition does not declare is a usage error
    expect(JSON.parse(unknown.stdout).diagnostics[0]).toMatchObject({ code: 'IMGC1007' });
  });
});

describe('imgc validate on a broken IR', () => {
  it('reports a schema error as IMGC1012 at its line:column with a hint, not as an internal error', async () => {
    const text = debianIrText((ir) => {
      (ir.files as { mode: unknown }[])[0]!.mode = 644;
    });
    const path = save('bad-mode.ir.json', text);
    const plain = await run(['validate', path]);
    expect(plain.code).toBe(1);
    const line = lineOf(text, '"mode"');
    expect(plain.stderr).toContain(
      `${path}:${line}:7: error IMGC1012 IR /files/0/mode: expected a string matching`,
    );
    expect(plain.stderr).toContain('got 644 (a number)');
    expect(plain.stderr).toContain('hint: ');
    expect(plain.stderr).not.toContain('IMGC1006');
    expect(plain.stderr).not.toContain('internal');
    const json = JSON.parse((await run(['validate', path, '--json'])).stdout);
    expect(json.format).toBe('ir');
    expect(json.diagnostics).toEqual([
      expect.objectContaining({ code: 'IMGC1012', line, column: 7, pointer: '/files/0/mode', file: path }),
    ]);
  });

  it('reports a JSON syntax error as IMGC1011 at its line:column with what was expected, not as a missing file', async () => {
    const text = debianIrText().replace('"systemd"', '"systemd" "vim"');
    const path = save('syntax.ir.json', text);
    const { code, stdout } = await run(['validate', path, '--json']);
    expect(code).toBe(1);
    const diagnostics = JSON.parse(stdout).diagnostics as Diagnostic[];
    expect(diagnostics.map((d) => d.code)).toEqual(['IMGC1011']);
    expect(diagnostics[0]).toMatchObject({
      line: lineOf(text, '"vim"'),
      column: text.split('\n')[lineOf(text, '"vim"') - 1]!.indexOf('"vim"') + 1,
      message: 'invalid JSON: expected "," or "}", found "vim"',
    });
  });

  it('reports a YAML syntax error as IMGC1011 at its line', async () => {
    const path = save('syntax.ir.yaml', 'irVersion: 1\ndistribution:\n  id: debian\n  id: fedora\n');
    const { code, stdout } = await run(['validate', path, '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).diagnostics).toEqual([
      expect.objectContaining({ code: 'IMGC1011', line: 4, column: 3 }),
    ]);
  });

  it('refuses an unknown irVersion with IMGC1013 and a hint', async () => {
    const path = save(
      'future.ir.json',
      debianIrText((ir) => Object.assign(ir, { irVersion: 7 })),
    );
    const { code, stderr } = await run(['validate', path]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /future\.ir\.json:2:3: error IMGC1013 irVersion 7 is not one this imgc reads \(it reads irVersion 1\)/,
    );
    expect(stderr).toMatch(/hint: .*newer imgc/);
  });
});

describe('imgc translate and diff with ir', () => {
  const out = join(scratch, 'kiwi-as-ir');

  it('writes image.ir.json and copies the sources it refers to, losing nothing', async () => {
    const { code, stdout, stderr } = await run([
      'translate',
      kiwiSample,
      '--to',
      'ir',
      '-o',
      out,
      '--strict',
    ]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('loss report, ir: nothing lost');
    expect(stdout.trim().split('\n')).toEqual([join(out, 'image.ir.json'), join(out, 'root')]);
    expect(existsSync(join(out, 'root'))).toBe(true);
    const text = readFileSync(join(out, 'image.ir.json'), 'utf8');
    expect(text.startsWith('{\n  "irVersion": 1,\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('diff finds no difference between the definition and its IR', async () => {
    const { code, stdout } = await run(['diff', kiwiSample, join(out, 'image.ir.json')]);
    expect(stdout).toMatch(/^no differences/);
    expect(code).toBe(0);
  });

  it('translates the IR to another format with losses located in the IR file', async () => {
    const ir = join(out, 'image.ir.json');
    const { code, stdout } = await run([
      'translate',
      ir,
      '--to',
      'blueprint',
      '-o',
      join(scratch, 'bp'),
      '--json',
    ]);
    expect(code).toBe(0);
    const losses = (JSON.parse(stdout).diagnostics as Diagnostic[]).filter((d) => d.code === 'IMGC6001');
    expect(losses.length).toBeGreaterThan(0);
    const text = readFileSync(ir, 'utf8');
    for (const d of losses.filter((l) => !l.pointer?.startsWith('/extensions'))) {
      expect(d.file).toBe(ir);
      expect(d.line).toBeGreaterThan(1);
      const key = d.pointer!.split('/').pop()!;
      if (!/^\d+$/.test(key)) expect(text.split('\n')[d.line! - 1]).toContain(`"${key}"`);
    }
  });

  it('an IR translated to ir again is byte-identical', async () => {
    const again = join(scratch, 'again');
    expect((await run(['translate', join(out, 'image.ir.json'), '--to', 'ir', '-o', again])).code).toBe(0);
    expect(readFileSync(join(again, 'image.ir.json'), 'utf8')).toBe(
      readFileSync(join(out, 'image.ir.json'), 'utf8'),
    );
  });
});

describe('imgc plan on an IR', () => {
  it('plans a *.ir.json, a --from ir file of any name, and inspect YAML', async () => {
    const text = debianIrText();
    for (const [path, extra] of [
      [save('plan.ir.json', text), []],
      [save('plan-any-name.json', text), ['--from', 'ir']],
      [save('plan.ir.yaml', (await run(['inspect', save('for-yaml.ir.json', text)])).stdout), []],
    ] as const) {
      const { code, stdout, stderr } = await run(['plan', path, ...extra, '--output', 'directory', '--json']);
      expect(code, stderr).toBe(0);
      const { plan, diagnostics } = JSON.parse(stdout);
      expect(diagnostics).toEqual([]);
      expect(plan.distribution).toMatchObject({ id: 'debian', release: 'bookworm' });
    }
  });

  it('plans the IR written by translate (its overlay copied beside it)', async () => {
    const dir = join(scratch, 'kiwi-as-ir-plan');
    expect((await run(['translate', kiwiSample, '--to', 'ir', '-o', dir])).code).toBe(0);
    const { code, stderr } = await run(['plan', join(dir, 'image.ir.json'), '--output', 'directory']);
    expect(code, stderr).toBe(0);
  });

  it('reports a broken IR with positioned user-facing codes (IMGC1011/1012/1013), not IMGC1006 or IMGC1001', async () => {
    const cases: [string, string, string, number][] = [
      [
        'plan-schema.ir.json',
        debianIrText((ir) => {
          (ir.packages as Record<string, unknown>).instal = [];
        }),
        'IMGC1012',
        0,
      ],
      ['plan-syntax.ir.json', debianIrText().replace('"systemd"', "'systemd'"), 'IMGC1011', 0],
      ['plan-version.ir.json', debianIrText((ir) => Object.assign(ir, { irVersion: 0 })), 'IMGC1013', 2],
    ];
    for (const [name, text, code, line] of cases) {
      const path = save(name, text);
      const result = await run(['plan', path, '--json']);
      expect(result.code, name).toBe(1);
      const diagnostics = JSON.parse(result.stdout).diagnostics as Diagnostic[];
      expect(
        diagnostics.map((d) => d.code),
        name,
      ).toEqual([code]);
      expect(diagnostics[0]!.file).toBe(path);
      expect(diagnostics[0]!.line).toBe(line || lineOf(text, code === 'IMGC1012' ? '"instal"' : "'systemd'"));
      expect(diagnostics[0]!.column).toBeGreaterThan(0);
    }
  });
});
