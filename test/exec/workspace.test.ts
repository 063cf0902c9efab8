import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitOutput, reapStaleOutputs, tempOutputPath } from '../../src/exec/atomic.js';
import { createWorkspace, mountsBelow, reapStaleWorkspaces } from '../../src/exec/workspace.js';

const deadPid = () => Number(spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim());

describe('workspaces', () => {
  it('removes the leftovers of dead builds and keeps live ones', async () => {
    const base = mkdtempSync(join(tmpdir(), 'imgc-ws-'));
    const live = await createWorkspace(base);
    const pid = deadPid();
    const dead = join(base, `.imgc-work-${pid}-x`);
    mkdirSync(join(dead, 'tree/etc'), { recursive: true });
    writeFileSync(join(dead, 'owner'), `${pid}\n`);
    const removed = await reapStaleWorkspaces([base]);
    expect(removed).toEqual([{ path: dead, pid }]);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live.path)).toBe(true);
    await live.dispose();
    expect(existsSync(live.path)).toBe(false);
  });

  it('finds mounts at and below a path in mountinfo', () => {
    const info = [
      '22 1 8:1 / / rw - ext4 /dev/vda rw',
      '40 22 0:5 / /w/tree/proc rw - proc proc rw',
      '41 22 0:6 / /w/tree/dev rw - devtmpfs udev rw',
      '42 22 0:7 / /w/treehouse rw - tmpfs t rw',
      '43 22 0:8 / /w/my\\040dir rw - tmpfs t rw',
    ].join('\n');
    expect(mountsBelow('/w/tree', info)).toEqual(['/w/tree/proc', '/w/tree/dev']);
    expect(mountsBelow('/w/my dir', info)).toEqual(['/w/my dir']);
  });
});

describe('atomic outputs', () => {
  it('renames a finished output into place, replacing the previous one', async () => {
    const out = mkdtempSync(join(tmpdir(), 'imgc-out-'));
    writeFileSync(join(out, 'image.tar'), 'old');
    const temp = tempOutputPath(out, 'image.tar');
    writeFileSync(temp, 'new');
    expect(await commitOutput(temp, join(out, 'image.tar'))).toBe(true);
    expect(existsSync(temp)).toBe(false);
    expect(readdirSync(out).filter((n) => !n.startsWith('.imgc-old-'))).toEqual(['image.tar']);
  });

  it('reaps temporary outputs of dead builds only', async () => {
    const out = mkdtempSync(join(tmpdir(), 'imgc-out-'));
    const pid = deadPid();
    writeFileSync(join(out, `.imgc-tmp-${pid}-image.tar`), 'partial');
    writeFileSync(join(out, `.imgc-tmp-${process.pid}-other.tar`), 'in progress');
    writeFileSync(join(out, 'image.tar'), 'whole');
    expect(await reapStaleOutputs(out)).toEqual([`.imgc-tmp-${pid}-image.tar`]);
    expect(readdirSync(out).sort()).toEqual([`.imgc-tmp-${process.pid}-other.tar`, 'image.tar']);
  });
});
