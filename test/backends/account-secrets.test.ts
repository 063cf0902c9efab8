/**
 * Password hashes and clear-text passwords reach the account tools on stdin, never on a
 * command line (where every user of the host sees them in the process list); SSH keys of a
 * home that climbs land inside the tree. The configure code every family shares, with a recording runner.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configureAccounts as configureCommon } from '../../src/backends/common/configure.js';
import type { StepContext } from '../../src/backends/contract.js';
import type { PlanStep } from '../../src/plan/steps.js';

const HASH = '$6$salt$secrethashvalue';
const PLAIN = 'clear-text-secret';

function context() {
  const base = mkdtempSync(join(tmpdir(), 'imgc-accounts-'));
  const tree = join(base, 'tree');
  mkdirSync(join(tree, 'etc'), { recursive: true });
  const passwd =
    'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/../../../../var/tmp/imgc-escape:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\n';
  for (const f of ['passwd', 'group', 'shadow', 'gshadow'])
    writeFileSync(join(tree, 'etc', f), f === 'passwd' ? passwd : 'root:x:0:\nalice:x:1000:\nbob:x:1001:\n');
  const calls: { args: string[]; input?: string }[] = [];
  const record = async (args: readonly string[], input?: string) => {
    calls.push({ args: [...args], ...(input !== undefined ? { input } : {}) });
    return { stdout: '' };
  };
  const ctx: StepContext = {
    tree,
    workDir: join(base, 'work'),
    packageCache: join(base, 'cache'),
    signal: new AbortController().signal,
    runner: {
      run: (command, args, o) => record([command, ...args], o?.input),
      chroot: (_root, command, o) => record(command, o?.input),
    },
    progress: { log: () => {}, packages: () => {}, note: () => {} },
    report: () => {},
  };
  return { ctx, calls, tree, base };
}

const step = {
  id: 'x',
  type: 'configure-accounts',
  title: 'accounts',
  inputs: [],
  origin: [],
  options: {
    groups: [],
    users: [
      { name: 'alice', groups: [], sshKeys: ['ssh-ed25519 AAAA alice'], password: { hash: HASH } },
      { name: 'bob', groups: [], sshKeys: [], password: { plain: PLAIN } },
    ],
    root: { password: { hash: HASH }, sshKeys: [] },
  },
} as unknown as PlanStep<'configure-accounts'>;

describe.each([['shared', configureCommon]])('%s configure-accounts', (_name, configure) => {
  it('passes hashes and passwords on stdin only', async () => {
    const { ctx, calls } = context();
    await configure(step, ctx);
    const argv = calls.map((c) => c.args.join(' ')).join('\n');
    expect(argv).not.toContain(HASH);
    expect(argv).not.toContain(PLAIN);
    const stdin = calls.map((c) => c.input ?? '').join('');
    expect(stdin).toContain(`alice:${HASH}\n`);
    expect(stdin).toContain(`root:${HASH}\n`);
    expect(stdin).toContain(`bob:${PLAIN}\n`);
  });

  it('writes the keys of a home that climbs inside the tree', async () => {
    const { ctx, tree } = context();
    await configure(step, ctx);
    expect(readFileSync(join(tree, 'var/tmp/imgc-escape/.ssh/authorized_keys'), 'utf8')).toBe(
      'ssh-ed25519 AAAA alice\n',
    );
    expect(readdirSync('/var/tmp').includes('imgc-escape')).toBe(false);
  });
});
