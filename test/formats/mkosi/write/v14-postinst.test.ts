/**
 * The generated mkosi 14 postinst hands passwords to chpasswd on stdin: run its account lines
 * with stand-in tools that record their command line and stdin, and look for the secrets.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postinstLines } from '../../../../src/formats/mkosi/write/v14-postinst.js';
import { emptyIr } from '../../../../src/ir/empty.js';

const HASH = '$6$saltsalt$PostinstHashTail0123456789';
const PLAIN = 'Postinst Plain\\n"pw\'7';

function standIns(dir: string): void {
  for (const tool of ['useradd', 'usermod', 'groupadd', 'chpasswd', 'getent']) {
    const path = join(dir, tool);
    const exit = tool === 'getent' ? 2 : 0;
    writeFileSync(
      path,
      `#!/bin/sh\nprintf 'argv:%s\\n' "$0 $*" >> ${dir}/log\n[ -t 0 ] || /usr/bin/sed 's/^/stdin:/' >> ${dir}/log\nexit ${exit}\n`,
    );
    chmodSync(path, 0o755);
  }
}

describe('mkosi 14 postinst passwords', () => {
  it('reach chpasswd on stdin and no command line', () => {
    const ir = emptyIr();
    ir.accounts.users.push(
      { name: 'alice', groups: [], sshKeys: [], password: { hash: HASH } },
      { name: 'bob', groups: [], sshKeys: [], password: { plain: PLAIN } },
    );
    const dir = mkdtempSync(join(tmpdir(), 'imgc-postinst-'));
    standIns(dir);
    const script = postinstLines(ir).join('\n');
    const r = spawnSync('/bin/sh', ['-e', '-c', script], { env: { PATH: dir }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const log = readFileSync(join(dir, 'log'), 'utf8').split('\n');
    const argv = log.filter((l) => l.startsWith('argv:'));
    expect(argv.some((l) => l.includes('chpasswd -e'))).toBe(true);
    expect(argv.filter((l) => l.includes('PostinstHash') || l.includes('Postinst Plain'))).toEqual([]);
    expect(log).toContain(`stdin:alice:${HASH}`);
    expect(log).toContain(`stdin:bob:${PLAIN}`);
  });
});
