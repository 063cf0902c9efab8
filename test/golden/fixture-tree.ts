/** A small tree with a dpkg database, owners, a setuid file, a symlink, an xattr and a FIFO. */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'imgc-golden-tree-'));
  const w = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  w('etc/os-release', 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n');
  w('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nmessagebus:x:100:101::/nonexistent:/usr/sbin/nologin\n');
  w('etc/group', 'root:x:0:\nmessagebus:x:101:\n');
  w('etc/issue', 'Debian GNU/Linux 12\n');
  w('usr/bin/tool', '#!/bin/sh\necho tool\n');
  w('usr/lib/helper', 'helper');
  mkdirSync(join(root, 'var/log'), { recursive: true });
  w('var/log/boot.log', 'noise');
  symlinkSync('usr/bin', join(root, 'bin'));
  chmodSync(join(root, 'usr/bin/tool'), 0o4755);
  chownSync(join(root, 'usr/lib/helper'), 0, 101);
  w(
    'var/lib/dpkg/status',
    [
      'Package: base-files\nStatus: install ok installed\nArchitecture: amd64\nVersion: 12.4+deb12u5\n',
      'Package: tool\nStatus: install ok installed\nArchitecture: amd64\nSource: tool-src (1.0-1)\nVersion: 1.0-1\n',
      'Package: gone\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 0.1\n',
    ].join('\n'),
  );
  w('var/lib/dpkg/info/base-files.list', '/.\n/etc\n/etc/issue\n/etc/os-release\n');
  // dpkg lists /bin/tool; the tree has it as /usr/bin/tool behind the /bin symlink
  w('var/lib/dpkg/info/tool.list', '/.\n/bin\n/bin/tool\n');
  execFileSync('setfattr', ['-n', 'user.golden', '-v', '0x6869', join(root, 'usr/lib/helper')]);
  execFileSync('mkfifo', [join(root, 'usr/lib/pipe')]);
  return root;
}
