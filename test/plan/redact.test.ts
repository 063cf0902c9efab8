/** `imgc plan` prints no password, hash or repository secret; the step ids still cover them. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import { emptyIr } from '../../src/ir/empty.js';
import { redactPlan } from '../../src/plan/redact.js';

const SECRETS = ['clear-text-secret', '$6$salt$rootsecrethash', 'repo-secret', 'proxy-secret'];

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

function irFile(plain: string): string {
  const ir = emptyIr();
  ir.distribution = { id: 'fedora', release: '41', architecture: 'x86_64' };
  ir.repositories.push({
    id: 'private',
    urls: ['https://user:proxy-secret@rpm.example/41/'],
    username: 'user',
    password: 'repo-secret',
    gpgCheck: false,
  });
  ir.packages.install.push({ name: 'vim' });
  ir.accounts.users.push({ name: 'alice', groups: [], sshKeys: [], password: { plain } });
  ir.accounts.root = { password: { hash: '$6$salt$rootsecrethash' }, sshKeys: [] };
  const path = join(mkdtempSync(join(tmpdir(), 'imgc-plan-secrets-')), 'image.ir.json');
  writeFileSync(path, JSON.stringify(ir));
  return path;
}

async function plan(args: string[]) {
  const io = capture();
  const code = await main(['node', 'imgc', 'plan', ...args], io);
  return { code, ...io };
}

describe('secrets in imgc plan', () => {
  it('are not printed, as JSON or as text', async () => {
    const path = irFile('clear-text-secret');
    const json = await plan([path, '--json']);
    expect(json.code).toBe(0);
    const text = await plan([path]);
    for (const out of [json.out, json.err, text.out, text.err])
      for (const secret of SECRETS) expect(out).not.toContain(secret);
    expect(json.out).toContain('<redacted>');
  });

  it('still change the step ids when they change', async () => {
    const ids = async (plain: string) =>
      (JSON.parse((await plan([irFile(plain), '--json'])).out).plan.steps as { id: string }[]).map(
        (s) => s.id,
      );
    expect(await ids('one password')).not.toEqual(await ids('another password'));
  });

  it('leave everything that is not a secret alone', () => {
    const step = {
      id: 'abc',
      hash: 'not a password',
      options: { hostname: 'h', users: [{ password: { hash: 'x' } }] },
    };
    expect(redactPlan(step)).toEqual({
      id: 'abc',
      hash: 'not a password',
      options: { hostname: 'h', users: [{ password: { hash: '<redacted>' } }] },
    });
  });
});
