import { describe, expect, it } from 'vitest';
import { progressRenderer } from '../../src/cli/build.js';
import type { Io } from '../../src/cli/output.js';
import { type BuildEventInput, stamp } from '../../src/exec/progress.js';

function capture(isTTY: boolean) {
  const io = { err: '', isTTY } as Io & { err: string };
  io.stdout = () => {};
  io.stderr = (t) => {
    io.err += t;
  };
  return io;
}

const events: BuildEventInput[] = [
  { event: 'build-start', backend: 'debian', steps: 3, outputs: ['tar'], cacheDir: '/c', workDir: '/w' },
  { event: 'step-cached', id: 'a', type: 'bootstrap', title: 'bootstrap debian', index: 1, total: 3 },
  { event: 'step-start', id: 'b', type: 'configure-system', title: 'configure system', index: 2, total: 3 },
  { event: 'step-progress', id: 'b', packages: { done: 30, total: 60 } },
  { event: 'log', id: 'b', line: 'Generating locales (this might take a while)...' },
  { event: 'step-end', id: 'b', type: 'configure-system', title: 'configure system', elapsedMs: 1500 },
  { event: 'output', type: 'output-tar', path: '/o/image.tar', sizeBytes: 10 * 1024 ** 2 },
  { event: 'build-end', ok: true, elapsedMs: 4200 },
];

describe('build progress rendering', () => {
  it('prints timestamped lines without a TTY, tool output only with --verbose', () => {
    const io = capture(false);
    const render = progressRenderer(io, 'plain');
    for (const e of events) render(stamp(e));
    const lines = io.err.trim().split('\n');
    expect(lines.every((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z /.test(l))).toBe(true);
    expect(io.err).toContain('[1/3] bootstrap debian: cached');
    expect(io.err).toContain('[2/3] configure system: started');
    expect(io.err).toContain('[2/3] configure system: done in 1.5 s');
    expect(io.err).toContain('output /o/image.tar (10.0 MiB)');
    expect(io.err).toContain('build finished in 4.2 s');
    expect(io.err).not.toContain('Generating locales');
    const verbose = capture(false);
    const renderVerbose = progressRenderer(verbose, 'plain', true);
    for (const e of events) renderVerbose(stamp(e));
    expect(verbose.err).toContain('Generating locales');
  });

  it('updates one status line per step on a TTY, with package counts', () => {
    const io = capture(true);
    const render = progressRenderer(io, 'tty');
    for (const e of events) render(stamp(e));
    expect(io.err).toContain('\r\x1b[2K[2/3] configure system … 30/60 packages');
    expect(io.err).toContain('[2/3] configure system: done in 1.5 s\n');
    expect(io.err).not.toMatch(/^\d{4}-/m);
  });

  it('on a TTY, with outputs side by side, prints the others’ notes as lines and follows the one still running', () => {
    const io = capture(true);
    const render = progressRenderer(io, 'tty');
    const start = (id: string, title: string, index: number) =>
      render(stamp({ event: 'step-start', id, type: 'assemble-x', title, index, total: 6 }));
    start('d', 'disk image.raw', 5);
    start('i', 'live ISO image.iso', 6);
    render(stamp({ event: 'step-progress', id: 'd', note: 'partition 2 (root, ext4) done in 9.0 s' }));
    render(stamp({ event: 'step-progress', id: 'i', note: 'squashfs of the tree' }));
    render(
      stamp({ event: 'step-end', id: 'i', type: 'assemble-x', title: 'live ISO image.iso', elapsedMs: 4000 }),
    );
    const afterEnd = io.err.length;
    render(stamp({ event: 'step-progress', id: 'd', note: 'disk image written' }));
    // the disk's note while the ISO held the status line: a line of its own, named
    expect(io.err).toContain('[5/6] disk image.raw: partition 2 (root, ext4) done in 9.0 s\n');
    // the ISO's own note updated the status line
    expect(io.err).toMatch(/\[6\/6\] live ISO image\.iso … · squashfs of the tree/);
    expect(io.err).toContain('[6/6] live ISO image.iso: done in 4.0 s\n');
    // after the ISO ended the status line is the disk's again, and its notes update it
    expect(io.err.slice(afterEnd)).toMatch(/\[5\/6\] disk image\.raw … · disk image written/);
  });

  it('shows the failing step’s last output with the error', () => {
    const io = capture(false);
    const render = progressRenderer(io, 'plain');
    render(
      stamp({ event: 'step-start', id: 'x', type: 'run-script', title: 'script s', index: 1, total: 1 }),
    );
    render(stamp({ event: 'log', id: 'x', line: 'about to fail' }));
    render(
      stamp({
        event: 'diagnostic',
        diagnostic: {
          code: 'IMGC7019',
          severity: 'error',
          message: 'script s exited with status 7',
          file: 'a.toml',
          line: 3,
          column: 1,
        },
      }),
    );
    expect(io.err).toContain('last output of the failing step:\n  about to fail');
    expect(io.err).toContain('a.toml:3:1: error IMGC7019 script s exited with status 7');
  });
});
