/**
 * Kills real builds (the CLI in a child process) at random points with SIGINT or SIGTERM and
 * checks each time: no mount, no loop device, no process and no partial output left behind.
 * Then kills one with SIGKILL (no cleanup possible) and checks that the next build removes
 * the leftovers and succeeds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../../src/exec/progress.js';
import { emptyIr } from '../../src/ir/empty.js';
import { repoRoot } from '../helpers/shared.js';
import {
  canBuild,
  freshCache,
  leftovers,
  loopsMentioning,
  mountsMentioning,
  processesMentioning,
  settled,
} from './build-env.js';

const gate = canBuild();
if (!gate.ok) console.warn(`SKIPPED: kill tests: ${gate.why}`);
const maybe = gate.ok ? it : it.skip;

interface Run {
  child: ChildProcess;
  events: BuildEvent[];
  /** exit code, or the signal name when the signal killed it before imgc could handle it */
  done: Promise<number | string>;
  /** the end of what the CLI printed on stderr, for failure messages */
  stderr: string;
}

function startBuild(def: string, outDir: string, cacheDir: string): Run {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'test/exec/cli-entry.ts'),
      'build',
      def,
      '--output',
      'directory,tar',
      '-o',
      outDir,
      '--cache-dir',
      cacheDir,
      '--json',
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const events: BuildEvent[] = [];
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) events.push(JSON.parse(line));
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    run.stderr = (run.stderr + chunk.toString()).slice(-4000);
  });
  const run: Run = { child, events, done: undefined as unknown as Promise<number | string>, stderr: '' };
  run.done = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? String(signal))),
  );
  return run;
}

/** Where the build was when it was killed: the running step (and its last note), or the cache restore. */
function position(events: BuildEvent[]): string {
  const last = [...events].reverse().find((e) => e.event === 'step-start' || e.event === 'step-cached');
  if (!last) return `before any step (${events.at(-1)?.event ?? 'no event yet'})`;
  const title = (last as { title: string }).title;
  if (last.event === 'step-cached') return `restoring the cached tree after "${title}"`;
  const note = [...events]
    .reverse()
    .find((e) => e.event === 'step-progress' && e.id === (last as { id: string }).id);
  return `${title}${note && 'note' in note && note.note ? ` / ${note.note}` : ''}`;
}

function definition(dir: string): string {
  mkdirSync(join(dir, 'overlay/etc'), { recursive: true });
  writeFileSync(join(dir, 'overlay/etc/kill-test'), 'x\n');
  const ir = emptyIr();
  ir.distribution = { id: 'debian', release: 'bookworm' };
  ir.system.hostname = 'kill-test';
  ir.accounts.users.push({ name: 'kim', groups: [], sshKeys: [] });
  ir.overlays.push({ source: 'overlay' });
  ir.scripts.push({ phase: 'post-install', chroot: true, body: 'sleep 2\n' });
  const path = join(dir, 'kill.ir.json');
  writeFileSync(path, JSON.stringify(ir));
  return path;
}

describe('killing builds', () => {
  maybe(
    'leaves no mount, loop device, process or partial output at ≥ 5 random points, and the next build succeeds',
    async () => {
      const dir = mkdtempSync('/var/tmp/imgc-tests-kill-');
      const def = definition(dir);
      const cacheDir = freshCache('kill');
      const outDir = join(dir, 'out');
      mkdirSync(outDir);
      const watched = [cacheDir, outDir];
      const report: string[] = [];
      let kills = 0;
      // Random delays counted from the build-start event: the first kills land in mmdebstrap;
      // then one build runs through (filling the tree cache), and later kills land in the
      // restore, configuration, the script, or writing the outputs.
      let warmed = false;
      for (let attempt = 0; kills < 7 && attempt < 16; attempt++) {
        if (kills === 2 && !warmed) {
          const warm = startBuild(def, outDir, cacheDir);
          expect(await warm.done, warm.stderr).toBe(0);
          await settled(outDir);
          for (const name of readdirSync(outDir)) await rm(join(outDir, name), { recursive: true });
          warmed = true;
        }
        // Before the tree is cached: a random delay after build-start (lands in mmdebstrap).
        // After: a random step of the rest of the build, and a random delay once it starts,
        // so the kills also land in the files, the script, finalize and the outputs.
        const laterSteps = ['write-files', 'run-script', 'finalize', 'output-tar', 'output-directory'];
        const anchor =
          warmed && kills % 2 === 1 ? laterSteps[Math.floor(Math.random() * laterSteps.length)]! : undefined;
        const delay = Math.floor(Math.random() * (anchor ? 1_500 : warmed ? 15_000 : 25_000));
        const signal = kills % 2 === 0 ? 'SIGINT' : 'SIGTERM';
        const run = startBuild(def, outDir, cacheDir);
        let timer: NodeJS.Timeout | undefined;
        const poll = setInterval(() => {
          const armed = anchor
            ? run.events.some((e) => e.event === 'step-start' && e.type === anchor)
            : run.events.some((e) => e.event === 'build-start');
          if (!timer && armed) timer = setTimeout(() => run.child.kill(signal), delay);
        }, 20);
        const code = await run.done;
        clearInterval(poll);
        clearTimeout(timer);
        const where = position(run.events);
        if (code === 0) {
          report.push(
            `attempt ${attempt}: finished before ${signal} (${delay} ms after ${anchor ?? 'build-start'}) — not counted`,
          );
          await settled(outDir);
          for (const name of readdirSync(outDir)) await rm(join(outDir, name), { recursive: true });
          continue;
        }
        kills++;
        report.push(
          `kill ${kills}: ${signal} ${delay} ms after ${anchor ?? 'build-start'}, during ${where} → exit ${code}`,
        );
        // Before the build starts (node starting, planning) the default action of the signal
        // ends the process: nothing exists yet to clean up. After it, imgc must handle it.
        const begun = run.events.some((e) => e.event === 'build-start');
        expect(code, `${where}\n${run.stderr}`).toBe(begun ? 130 : signal);
        expect(mountsMentioning(watched), where).toEqual([]);
        expect(loopsMentioning(watched), where).toEqual([]);
        expect(processesMentioning(watched), where).toEqual([]);
        expect(leftovers(outDir), where).toEqual([]);
        expect(readdirSync(outDir), where).toEqual([]);
        if (begun)
          expect(run.events.at(-1)).toMatchObject({ event: 'build-end', ok: false, interrupted: signal });
      }
      console.log(report.join('\n'));
      expect(kills).toBeGreaterThanOrEqual(5);

      // SIGKILL: nothing can clean up in process; chroot mounts die with their namespaces,
      // and the next build removes the workspace and temporary outputs it left.
      const killed = startBuild(def, outDir, cacheDir);
      while (!killed.events.some((e) => e.event === 'step-start' || e.event === 'step-cached')) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 1500));
      killed.child.kill('SIGKILL');
      await killed.done;
      await new Promise((r) => setTimeout(r, 4000)); // its children notice and exit
      expect(mountsMentioning(watched)).toEqual([]);
      console.log(`SIGKILL during "${position(killed.events)}" left: ${JSON.stringify(leftovers(outDir))}`);

      const final = startBuild(def, outDir, cacheDir);
      expect(await final.done, final.stderr).toBe(0);
      await settled(outDir);
      // image.lock: the lock kept with the tree the warm build saved; the golden manifest and
      // its mtree and AIDE exports beside the outputs
      expect(readdirSync(outDir).sort()).toEqual([
        'image',
        'image.aide.conf',
        'image.lock',
        'image.manifest.json',
        'image.mtree',
        'image.tar',
      ]);
      expect(leftovers(outDir)).toEqual([]);
      expect(mountsMentioning(watched)).toEqual([]);
      expect(processesMentioning(watched)).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    },
    1_500_000,
  );
});
