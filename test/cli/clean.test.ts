/**
 * `imgc clean` on a mkosi definition: removes exactly the outputs a build would write (and
 * leftovers of killed builds), keeps everything else, then runs mkosi.clean on the host with
 * $OUTPUTDIR and $SRCDIR; a failing clean script exits 3 and points at its file.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

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

function project(clean: string) {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-clean-'));
  dirs.push(dir);
  const def = join(dir, 'def');
  mkdirSync(def);
  writeFileSync(
    join(def, 'mkosi.conf'),
    '[Distribution]\nDistribution=debian\nRelease=bookworm\nArchitecture=x86-64\nMirror=http://deb.debian.org/debian\n\n[Output]\nFormat=tar\nOutput=box\n',
  );
  writeFileSync(join(def, 'mkosi.clean'), clean);
  chmodSync(join(def, 'mkosi.clean'), 0o755);
  const out = join(dir, 'out');
  mkdirSync(join(out, 'box'), { recursive: true });
  writeFileSync(join(out, 'box.tar'), 'an old archive');
  writeFileSync(join(out, 'box', 'stray'), 'not an output of this definition (format tar)');
  writeFileSync(join(out, 'notes.txt'), 'mine');
  // a temporary output of a build that was killed (pid 2^31-1 is never alive)
  mkdirSync(join(out, '.imgc-tmp-2147483647-box.tar'));
  return { def, out };
}

describe('imgc clean', () => {
  it('removes the outputs the plan names and nothing else, then runs the clean scripts', async () => {
    const { def, out } = project(
      '#!/bin/sh\necho "cleaned $OUTPUTDIR from $SRCDIR in phase $IMGC_PHASE" >"$OUTPUTDIR/clean.log"\n',
    );
    const io = capture();
    const code = await main(['node', 'imgc', 'clean', def, '-o', out, '--json'], io);
    expect(code, io.out + io.err).toBe(0);
    const report = JSON.parse(io.out) as { removed: string[]; diagnostics: { code: string }[] };
    expect(report.removed).toEqual([join(out, 'box.tar'), join(out, '.imgc-tmp-2147483647-box.tar')]);
    expect(report.diagnostics.map((d) => d.code)).toEqual(['IMGC7306', 'IMGC7018']);
    expect(existsSync(join(out, 'box.tar'))).toBe(false);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(out, 'box', 'stray'))).toBe(true);
    expect(readFileSync(join(out, 'clean.log'), 'utf8')).toBe(`cleaned ${out} from ${def} in phase clean\n`);
  });

  it('exits 3 when a clean script fails, pointing at the script', async () => {
    const { def, out } = project('#!/bin/sh\necho cannot; exit 3\n');
    const io = capture();
    const code = await main(['node', 'imgc', 'clean', def, '-o', out], io);
    expect(code).toBe(3);
    expect(io.err).toContain('running script mkosi.clean (clean, on the host)');
    expect(io.err).toContain('  cannot\n');
    expect(io.err).toContain(
      `${join(def, 'mkosi.clean')}:1:1: error IMGC7019 script mkosi.clean exited with status 3`,
    );
    expect(existsSync(join(out, 'box.tar'))).toBe(false);
  });
});
