/** `imgc diff`: exit codes (0 equal, 1 different, 2 unreadable input) and the --json shape. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/shared.js';

const run = (args: string[]) => runCli(args);

const scratch = mkdtempSync(join(tmpdir(), 'imgc-diff-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const sample = join(repoRoot, 'samples/containerfile');

function variant(name: string, containerfile: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Containerfile'), containerfile);
  return dir;
}

describe('imgc diff', () => {
  it('exits 0 and says so when the definitions mean the same', async () => {
    const { code, stdout } = await run(['diff', sample, sample]);
    expect(code).toBe(0);
    expect(stdout).toContain('no differences');
  });

  it('exits 1 and lists packages and services added and removed, with source lines', async () => {
    const a = variant(
      'a',
      'FROM quay.io/fedora/fedora-bootc:43\nRUN dnf -y install vim httpd && systemctl enable httpd\n',
    );
    const b = variant(
      'b',
      'FROM quay.io/fedora/fedora-bootc:43\nRUN dnf -y install vim nginx && systemctl enable nginx\n',
    );
    const text = await run(['diff', a, b]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('- install httpd');
    expect(text.stdout).toContain('+ install nginx');
    expect(text.stdout).toMatch(/Containerfile:2:\d+/);
    const json = await run(['diff', a, b, '--json']);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout);
    expect(out.equal).toBe(false);
    expect(out.a.format).toBe('containerfile');
    expect(
      out.changes.map((c: { area: string; kind: string; key: string }) => `${c.area} ${c.kind} ${c.key}`),
    ).toEqual([
      'packages removed install httpd',
      'packages added install nginx',
      'services removed enable httpd',
      'services added enable nginx',
    ]);
  });

  it('exits 2 when an input cannot be read', async () => {
    const { code, stderr } = await run(['diff', sample, join(scratch, 'missing')]);
    expect(code).toBe(2);
    expect(stderr).toContain('IMGC1001');
  });

  it('compares definitions in different formats', async () => {
    const { code, stdout } = await run([
      'diff',
      sample,
      join(repoRoot, 'samples/blueprint/debian-minimal.toml'),
      '--json',
    ]);
    const out = JSON.parse(stdout);
    expect(out.b.format).toBe('blueprint');
    expect(code).toBe(out.equal ? 0 : 1);
    for (const c of out.changes) expect(['added', 'removed', 'changed']).toContain(c.kind);
  });
});
