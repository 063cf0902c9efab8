import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionRelease, releasePath, writeExtension } from '../../../src/outputs/extension/index.js';

let dir: string;
let tree: string;
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'imgc-ext-'));
  tree = join(dir, 'tree');
  mkdirSync(join(tree, 'usr/lib'), { recursive: true });
  mkdirSync(join(tree, 'usr/bin'), { recursive: true });
  mkdirSync(join(tree, 'etc'), { recursive: true });
  writeFileSync(join(tree, 'usr/lib/os-release'), 'ID=debian\nVERSION_ID="12"\n');
  symlinkSync('../usr/lib/os-release', join(tree, 'etc/os-release'));
  writeFileSync(join(tree, 'usr/bin/tool'), 'tool\n');
  writeFileSync(join(tree, 'etc/tool.conf'), 'conf\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const os = { id: 'debian', versionId: '12' };

describe('extension images', () => {
  it('names the release file after the image and writes ID, VERSION_ID and ARCHITECTURE', () => {
    expect(releasePath('sysext', 'x')).toBe('usr/lib/extension-release.d/extension-release.x');
    expect(releasePath('confext', 'x')).toBe('etc/extension-release.d/extension-release.x');
    expect(releasePath('portable', 'x')).toBeUndefined();
    expect(extensionRelease({ kind: 'confext', os, architecture: 'x86-64' })).toBe(
      'ID=debian\nVERSION_ID=12\nARCHITECTURE=x86-64\n',
    );
  });

  for (const filesystem of ['squashfs', 'erofs'] as const) {
    it.runIf(has(filesystem === 'squashfs' ? 'unsquashfs' : 'mkfs.erofs'))(
      `makes ${filesystem} sysext and confext images without touching the tree`,
      async () => {
        for (const kind of ['sysext', 'confext'] as const) {
          const work = join(dir, `${kind}-${filesystem}`);
          mkdirSync(work);
          const output = join(dir, `ext-${kind}.${filesystem}.raw`);
          await writeExtension({
            tree,
            output,
            workDir: work,
            kind,
            filesystem,
            extensionName: `ext-${kind}`,
            os,
            architecture: 'x86-64',
          });
          if (filesystem === 'squashfs') {
            const list = spawnSync('unsquashfs', ['-l', output], { encoding: 'utf8' }).stdout;
            expect(list).toContain(`squashfs-root/${releasePath(kind, `ext-${kind}`)}`);
            expect(list).not.toMatch(/os-release$/m);
            if (kind === 'sysext') {
              expect(list).toContain('squashfs-root/usr/bin/tool');
              expect(list).not.toContain('squashfs-root/etc');
            } else expect(list).toContain('squashfs-root/etc/tool.conf');
          } else {
            const dissect = spawnSync('systemd-dissect', ['--json=short', output], { encoding: 'utf8' });
            expect(dissect.status, dissect.stderr).toBe(0);
          }
        }
        expect(spawnSync('test', ['-f', join(tree, 'usr/lib/os-release')]).status).toBe(0);
        expect(spawnSync('test', ['-e', join(tree, 'usr/lib/extension-release.d')]).status).toBe(1);
      },
    );
  }
});
