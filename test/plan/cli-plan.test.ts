import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import { emptyIr } from '../../src/ir/empty.js';

function capture(): Io & { out: string; err: string } {
  const io = { out: '', err: '', isTTY: false } as Io & { out: string; err: string };
  io.stdout = (t) => {
    io.out += t;
  };
  io.stderr = (t) => {
    io.err += t;
  };
  return io;
}

function irFile(mutate: (ir: ReturnType<typeof emptyIr>) => void = () => {}): string {
  const ir = emptyIr();
  ir.distribution = { id: 'debian', release: 'bookworm', architecture: 'x86_64' };
  ir.packages.install.push({ name: 'systemd' });
  mutate(ir);
  const path = join(mkdtempSync(join(tmpdir(), 'imgc-cli-plan-')), 'image.ir.json');
  writeFileSync(path, JSON.stringify(ir));
  return path;
}

describe('imgc plan', () => {
  it('prints the plan as JSON without running anything', async () => {
    const io = capture();
    const code = await main(['node', 'imgc', 'plan', irFile(), '--output', 'directory,tar', '--json'], io);
    expect(code).toBe(0);
    const { plan, diagnostics } = JSON.parse(io.out);
    expect(diagnostics).toEqual([]);
    expect(plan.outputs).toEqual(['directory', 'tar']);
    expect(plan.steps.map((s: { type: string }) => s.type)).toEqual([
      'bootstrap',
      'configure-system',
      'finalize',
      'output-directory',
      'output-tar',
    ]);
  });

  it('prints one line per step as text', async () => {
    const io = capture();
    expect(await main(['node', 'imgc', 'plan', irFile(), '--output', 'disk'], io)).toBe(0);
    expect(io.out).toMatch(/^plan: debian bookworm \(bookworm, amd64\) with backend debian → disk$/m);
    expect(io.out).toMatch(/^ {2}1\. [0-9a-f]{16} {2}bootstrap/m);
    expect(io.out).toMatch(/assemble-disk +disk image\.raw/);
  });

  it('says in the text which steps run after others they do not consume', async () => {
    const io = capture();
    expect(await main(['node', 'imgc', 'plan', irFile(), '--output', 'tar,directory'], io)).toBe(0);
    const tar = /^ +\d+\. ([0-9a-f]{16}) {2}output-tar/m.exec(io.out)?.[1];
    expect(tar).toBeDefined();
    expect(io.out).toMatch(
      new RegExp(`output-directory +directory image .*\\n.*← [0-9a-f]{16}\\n +after ${tar}$`, 'm'),
    );
  });

  it('refuses an --output it cannot build with exit 2, and an unknown release with exit 1', async () => {
    const io = capture();
    expect(await main(['node', 'imgc', 'plan', irFile(), '--output', 'installer', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out).diagnostics.map((d: { code: string }) => d.code)).toEqual(['IMGC9031']);
    const io2 = capture();
    const path = irFile((ir) => {
      ir.distribution.release = 'potato-salad';
    });
    expect(await main(['node', 'imgc', 'plan', path], io2)).toBe(1);
    expect(io2.err).toContain('IMGC7002');
  });
});
