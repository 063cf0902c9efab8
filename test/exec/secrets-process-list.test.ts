/**
 * A real build that sets root and user passwords (clear text and hashed) never shows them in
 * any process's command line or environment. Two witnesses: a sampler that reads
 * /proc/<pid>/cmdline and /proc/<pid>/environ of every process on the machine, round after
 * round, for the whole build; and `strace -f -e trace=execve -v`, which records the complete
 * argv and environment of every program the build starts, however short-lived (the sampler
 * can miss a process that lives for a millisecond; the trace cannot). The build runs through
 * the CLI so that every tool is a descendant of the traced process, and its --json events
 * (every tool's log line included) are checked too.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyIr } from '../../src/ir/empty.js';
import { repoRoot } from '../helpers/shared.js';
import { canBuild, freshCache } from './build-env.js';

const gate = canBuild();
if (!gate.ok) console.warn(`SKIPPED: process-list secrets test: ${gate.why}`);
const maybe = gate.ok ? it : it.skip;

const ROOT_PLAIN = 'RootPlainPL7x';
const BOB_PLAIN = 'BobPlainPL7x';
const ALICE_HASH = '$6$saltPL7x$AliceHashPL7xTail0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS';
/** What would show: the clear texts and the body of the hash (the salt alone is not secret). */
const NEEDLES = [ROOT_PLAIN, BOB_PLAIN, 'AliceHashPL7xTail'];

function definition(dir: string): string {
  const ir = emptyIr();
  ir.distribution = { id: 'debian', release: 'bookworm' };
  ir.packages.installDocs = false;
  ir.accounts.root = { password: { plain: ROOT_PLAIN }, sshKeys: [] };
  ir.accounts.users.push(
    { name: 'alice', groups: [], sshKeys: [], password: { hash: ALICE_HASH } },
    { name: 'bob', groups: [], sshKeys: [], password: { plain: BOB_PLAIN, forceChange: true } },
  );
  // a script gives the sampler time inside the chroot phase, with the script environment set
  ir.scripts.push({ phase: 'post-install', chroot: true, body: 'sleep 1\n' });
  const path = join(dir, 'secrets.ir.json');
  writeFileSync(path, JSON.stringify(ir));
  return path;
}

interface Sample {
  rounds: number;
  processes: Set<string>;
  leaks: string[];
}

function sampleOnce(sample: Sample): void {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    for (const what of ['cmdline', 'environ']) {
      let text: string;
      try {
        text = readFileSync(`/proc/${pid}/${what}`, 'latin1');
      } catch {
        continue; // gone, or a kernel thread
      }
      if (what === 'cmdline') sample.processes.add(`${pid}:${text.split('\0')[0]}`);
      for (const n of NEEDLES) if (text.includes(n)) sample.leaks.push(`${pid} ${what}: ${n}`);
    }
  }
  sample.rounds++;
}

async function sampleUntil(done: Promise<unknown>): Promise<Sample> {
  const sample: Sample = { rounds: 0, processes: new Set(), leaks: [] };
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  while (!finished) {
    sampleOnce(sample);
    await new Promise((r) => setImmediate(r));
  }
  return sample;
}

function tracedBuild(def: string, outDir: string, cacheDir: string, trace: string) {
  const child = spawn(
    'strace',
    [
      '-f',
      '--seccomp-bpf',
      '-qq',
      '-e',
      'trace=execve',
      '-v',
      '-s',
      '65536',
      '-o',
      trace,
      process.execPath,
      '--import',
      'tsx',
      join(repoRoot, 'test/exec/cli-entry.ts'),
      'build',
      def,
      '--output',
      'directory',
      '-o',
      outDir,
      '--cache-dir',
      cacheDir,
      '--json',
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('passwords during a real build', () => {
  maybe(
    'never appear in a command line or environment, sampled from /proc and traced at every exec',
    async () => {
      const dir = mkdtempSync('/var/tmp/imgc-tests-secrets-');
      const cacheDir = freshCache('secrets');
      const outDir = join(dir, 'out');
      const trace = join(dir, 'execve.trace');
      const build = tracedBuild(definition(dir), outDir, cacheDir, trace);
      const sample = await sampleUntil(build);
      const { code, output } = await build;
      expect(code, output.slice(-2000)).toBe(0);
      // its own report (every event, with every tool's log line) holds no secret either
      expect(output).toContain('"event":"step-start"');
      expect(NEEDLES.filter((n) => output.includes(n))).toEqual([]);

      // the passwords were set: the build did what could have leaked
      const shadow = readFileSync(join(outDir, 'image/etc/shadow'), 'utf8');
      expect(shadow).toContain(`alice:${ALICE_HASH}:`);
      // clear texts are hashed by chpasswd (yescrypt on Debian 12); bob must change his at first login
      expect(shadow).toMatch(/^bob:\$(?:y|6)\$[^:]+:0:/m);
      expect(shadow).toMatch(/^root:\$(?:y|6)\$/m);
      const execs = readFileSync(trace, 'utf8')
        .split('\n')
        .filter((l) => l.includes('execve('));
      expect(execs.filter((l) => /execve\("[^"]*\/chpasswd"/.test(l)).length).toBeGreaterThanOrEqual(3);

      const traced = execs.filter((l) => NEEDLES.some((n) => l.includes(n)));
      expect(traced).toEqual([]);
      expect(sample.leaks).toEqual([]);
      console.log(
        `process list: ${sample.rounds} sampling rounds over ${sample.processes.size} processes, ` +
          `${execs.length} execs traced, no secret seen`,
      );
      expect(sample.rounds).toBeGreaterThan(100);
    },
    1_800_000,
  );
});
