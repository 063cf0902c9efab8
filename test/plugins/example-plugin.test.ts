/**
 * The example third-party plugin (plugins/debootstrap-backend, Python): its own unit tests,
 * and a real `imgc build` through the out-of-process protocol that debootstraps Debian.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { emptyIr } from '../../src/ir/empty.js';

const pluginDir = resolve(import.meta.dirname, '../../plugins/debootstrap-backend');

function gate(): string | undefined {
  if (process.getuid?.() !== 0) return 'real builds need root';
  if (process.env.IMGC_SKIP_BUILD_TESTS) return 'IMGC_SKIP_BUILD_TESTS is set';
  if (!existsSync('/usr/sbin/debootstrap')) return 'debootstrap is not installed';
  return undefined;
}

describe('example plugin: debootstrap-backend (Python)', () => {
  it('passes its own unit tests (the backend in process through the Python SDK)', () => {
    const out = execFileSync('python3', ['-m', 'unittest', 'discover', '-s', 'tests'], {
      cwd: pluginDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toBe('');
  });

  const why = gate();
  if (why) console.warn(`SKIPPED: example plugin build: ${why}`);
  (why ? it.skip : it)(
    'builds a Debian tree through the JSON-RPC protocol',
    async () => {
      const base = '/var/tmp/imgc-tests';
      mkdirSync(join(base, 'packages'), { recursive: true });
      const dir = mkdtempSync(join(base, 'plugin-'));
      const ir = emptyIr();
      ir.metadata = { name: 'plugin-debian' };
      ir.distribution = { id: 'debian', release: 'bookworm' };
      ir.packages.install = [{ name: 'less' }];
      ir.system.hostname = 'from-python';
      ir.accounts.users = [
        {
          name: 'bob',
          uid: 1600,
          groups: ['users'],
          sshKeys: ['ssh-ed25519 AAAAbob bob@example.org'],
          password: { plain: 'pw' },
        },
      ];
      ir.files = [{ path: '/etc/motd', content: 'built by a python plugin\n' }];
      ir.outputs = [{ type: 'directory' }];
      writeFileSync(join(dir, 'image.ir.json'), JSON.stringify(ir));
      let err = '';
      const code = await main(
        [
          'node',
          'imgc',
          '--plugin',
          pluginDir,
          'build',
          join(dir, 'image.ir.json'),
          '-O',
          'backend=debootstrap',
          '-o',
          join(dir, 'out'),
          '--cache-dir',
          join(base, 'plugin-cache'),
          '--no-tree-cache',
          '--no-tmpfs',
        ],
        {
          stdout: () => {},
          stderr: (t) => {
            err += t;
          },
          isTTY: false,
        },
      );
      expect(code, err).toBe(0);
      expect(err).toContain('building with debootstrap');
      const tree = join(dir, 'out/plugin-debian');
      const status = readFileSync(join(tree, 'var/lib/dpkg/status'), 'utf8');
      expect(status).toMatch(/^Package: less\nStatus: install ok installed$/m);
      expect(readFileSync(join(tree, 'etc/hostname'), 'utf8')).toBe('from-python\n');
      expect(readFileSync(join(tree, 'etc/passwd'), 'utf8')).toMatch(
        /^bob:x:1600:1600::\/home\/bob:\/bin\/bash$/m,
      );
      expect(readFileSync(join(tree, 'home/bob/.ssh/authorized_keys'), 'utf8')).toContain('bob@example.org');
      expect(readFileSync(join(tree, 'etc/motd'), 'utf8')).toBe('built by a python plugin\n');
      expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(dir);
    },
    900_000,
  );
});
