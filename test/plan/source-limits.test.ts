import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../src/backends/registry.js';
import { emptyIr } from '../../src/ir/empty.js';
import { planBuild } from '../../src/plan/planner.js';
import { scratchDir } from '../input/scratch.js';
import { fakeHost } from './fake-host.js';

async function planWith(edit: (ir: ReturnType<typeof emptyIr>) => void, sourceDir = '/nonexistent') {
  const ir = emptyIr();
  ir.distribution = { id: 'debian', release: 'bookworm', architecture: 'x86_64' };
  ir.packages.install.push({ name: 'systemd' });
  edit(ir);
  return planBuild({ ir, backends: new BackendRegistry(), host: fakeHost(), sourceDir, sourceDateEpoch: 1 });
}

describe('plan reads sources bounded (issue 14)', () => {
  it('files[].source: /dev/zero is IMGC1050 on that file (it read 5-7 GB)', async () => {
    const started = Date.now();
    const { diagnostics } = await planWith((ir) => ir.files.push({ path: '/etc/x', source: '/dev/zero' }));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'IMGC1050', pointer: '/files/0/source' })]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a FIFO as a file source or archive overlay is refused at once', async () => {
    const dir = scratchDir();
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const { diagnostics } = await planWith((ir) => {
      ir.files.push({ path: '/etc/x', source: 'pipe' });
      ir.overlays.push({ source: 'pipe', kind: 'archive' });
    }, dir);
    expect(diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['IMGC1050', '/files/0/source'],
      ['IMGC1050', '/overlays/0/source'],
    ]);
  });

  it('scripts[].source: /dev/zero is refused', async () => {
    const { diagnostics } = await planWith((ir) =>
      ir.scripts.push({ phase: 'post-install', chroot: true, source: '/dev/zero' }),
    );
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'IMGC1050', pointer: '/scripts/0/source' }),
    ]);
  });
});
