/**
 * Outputs of one tree assembled side by side (issue 22, decision 0143), by the real executor
 * with real processes on a small tree (test/exec/mini-backend.ts): the same bytes as each output
 * built alone, and a failing output that stops the others and leaves nothing behind.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localHost } from '../../src/backends/registry.js';
import { compareOutputs } from '../../src/exec/compare-outputs.js';
import { type ExecuteOptions, executeBuild } from '../../src/exec/executor.js';
import type { BuildEvent } from '../../src/exec/progress.js';
import { defineStep, StepRuntimes } from '../../src/exec/step-runtime.js';
import type { ImageIR, OutputType } from '../../src/ir/schema.js';
import { outputRuntimes } from '../../src/outputs/registry.js';
import { planBuild } from '../../src/plan/planner.js';
import {
  executorTestsBlocked,
  loopsMentioning,
  mountsMentioning,
  processesMentioning,
  scratchDirs,
} from './build-env.js';
import { miniBackends, miniIr } from './mini-backend.js';

const tools = ['unshare', 'setpriv', 'tar', 'sfdisk', 'mkfs.ext4', 'mkfs.vfat', 'mcopy', 'zstd'];
const why = executorTestsBlocked(tools, 'parallel output tests');
const maybe = why ? it.skip : it;

const scratch = scratchDirs('parallel');

const EPOCH = 1_700_000_000;

function ir(): ImageIR {
  const i = miniIr();
  i.boot = { bootloader: 'none' };
  return i;
}

async function build(outputs: OutputType[], extra: Partial<ExecuteOptions> = {}) {
  const dir = scratch();
  const backends = miniBackends();
  const planned = await planBuild({
    ir: ir(),
    outputs,
    backends,
    host: localHost(),
    sourceDir: dir,
    sourceDateEpoch: EPOCH,
    reproducible: true,
  });
  expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const events: BuildEvent[] = [];
  const out = join(dir, 'out');
  const t0 = Date.now();
  const result = await executeBuild(planned.plan!, {
    cacheDir: join(dir, 'cache'),
    outputDir: out,
    backends,
    signal: new AbortController().signal,
    onEvent: (e) => events.push(e),
    treeCache: false,
    preferTmpfs: false,
    ...extra,
  });
  return { dir, out, events, seconds: (Date.now() - t0) / 1000, ...result };
}

/** Whether two output steps ran at the same time: one started before the other ended. */
function overlapped(events: BuildEvent[], a: string, b: string): boolean {
  const at = (type: string, event: string) =>
    events.findIndex((e) => e.event === event && 'type' in e && e.type === type);
  return at(a, 'step-start') < at(b, 'step-end') && at(b, 'step-start') < at(a, 'step-end');
}

const noTemps = (out: string) => readdirSync(out).filter((n) => n.startsWith('.imgc-'));

describe('outputs side by side', () => {
  maybe(
    'assembles disk, tar and cpio at the same time, each byte-identical to the same output built alone',
    async () => {
      const together = await build(['disk', 'tar', 'cpio', 'directory'], { jobs: 3 });
      expect(together.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(together.ok).toBe(true);
      const note = together.diagnostics.find((d) => d.code === 'IMGC7820');
      expect(note?.message).toBe('4 outputs of one tree: at most 3 assembled at a time (--jobs 3)');
      expect(overlapped(together.events, 'assemble-disk', 'output-tar')).toBe(true);
      // the directory waits for the others and then takes the tree instead of copying it
      expect(overlapped(together.events, 'assemble-disk', 'output-directory')).toBe(false);
      const moved = together.events.find(
        (e) => e.event === 'step-progress' && e.note === 'moved the tree into place',
      );
      expect(moved).toBeDefined();

      for (const alone of [['disk'], ['tar']] as OutputType[][]) {
        const single = await build(alone, { jobs: 1 });
        expect(single.ok).toBe(true);
        const compared = await compareOutputs(single.out, together.out);
        const name = alone[0] === 'disk' ? 'mini.raw' : 'mini.tar';
        const same = compared.find((c) => c.name === name);
        expect(same, JSON.stringify(compared.map((c) => c.name))).toBeDefined();
        expect(same!.differences).toEqual([]);
        expect(same!.identical).toBe(true);
      }
    },
    180_000,
  );

  maybe(
    'stops the other outputs when one fails, reports which, and leaves no output, temporary file or process',
    async () => {
      const marker = `imgc-slow-output-${process.pid}-${Date.now()}`;
      // a tar output that writes part of its file, then works for 60 s: only the failure can end it early
      const slowTar = defineStep('output', ['output-tar'], async (_step, context) => {
        writeFileSync(context.dest, 'partial');
        await context.runner.run('sh', ['-c', 'sleep 60', marker]);
      });
      const runtimes = new StepRuntimes([
        ...outputRuntimes.filter((r) => !r.stepTypes.has('output-tar')),
        slowTar,
      ]);
      // the uki fails at once: the small tree has no kernel
      const r = await build(['tar', 'uki', 'disk'], { jobs: 2, runtimes });
      expect(r.ok).toBe(false);
      expect(r.interrupted).toBeUndefined();
      expect(r.seconds).toBeLessThan(30);
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toMatch(/^UKI mini\.efi: /);
      const stopped = r.diagnostics.filter((d) => d.code === 'IMGC7822');
      expect(stopped.map((d) => d.message)).toEqual([
        'tar mini.tar: stopped and removed because UKI mini.efi failed',
      ]);
      // the disk, which waited for a free job, never started
      expect(r.events.some((e) => e.event === 'step-start' && e.type === 'assemble-disk')).toBe(false);
      expect(readdirSync(r.out)).toEqual([]);
      expect(noTemps(r.out)).toEqual([]);
      expect(processesMentioning([marker])).toEqual([]);
      expect(mountsMentioning([r.dir])).toEqual([]);
      expect(loopsMentioning([r.dir])).toEqual([]);
    },
    120_000,
  );

  maybe(
    'on Ctrl-C stops every output running side by side, blames none of them, and leaves nothing behind',
    async () => {
      const marker = `imgc-slow-pair-${process.pid}-${Date.now()}`;
      const slow = (types: Array<'output-tar' | 'output-cpio'>) =>
        defineStep('output', types, async (_step, context) => {
          writeFileSync(context.dest, 'partial');
          await context.runner.run('sh', ['-c', 'sleep 60', marker]);
        });
      const runtimes = new StepRuntimes([
        ...outputRuntimes.filter((r) => !r.stepTypes.has('output-tar') && !r.stepTypes.has('output-cpio')),
        slow(['output-tar']),
        slow(['output-cpio']),
      ]);
      const controller = new AbortController();
      const watch = setInterval(() => {
        if (processesMentioning([marker]).length === 2) controller.abort('SIGINT');
      }, 100);
      const r = await build(['tar', 'cpio'], { jobs: 2, runtimes, signal: controller.signal });
      clearInterval(watch);
      expect(controller.signal.aborted).toBe(true);
      expect(r.ok).toBe(false);
      expect(r.interrupted).toBe('SIGINT');
      expect(r.seconds).toBeLessThan(30);
      expect(r.diagnostics.filter((d) => d.code === 'IMGC7822')).toEqual([]);
      expect(readdirSync(r.out)).toEqual([]);
      expect(processesMentioning([marker])).toEqual([]);
    },
    120_000,
  );
});
