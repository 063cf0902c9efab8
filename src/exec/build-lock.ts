/**
 * The lock written beside every build's outputs. It must describe the tree the outputs hold:
 * so it is resolved while the package steps run (started by the first package step, in
 * parallel with it) and kept in the cache under the id of the last package step; a build
 * whose package steps come from the tree cache takes the lock kept with that tree, never a
 * fresh resolution that may name newer packages than the cached tree holds.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendRegistry } from '../backends/registry.js';
import { lockCodes } from '../diagnostics/codes/lock.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { BuildPlan } from '../plan/steps.js';
import { type LockFile, lockFileText, lockPlan } from './package-lock.js';
import type { BuildEvent } from './progress.js';

type Made = { lock?: LockFile; diagnostics: Diagnostic[] };

export class BuildLock {
  private readonly packageSteps: Set<string>;
  private readonly keyStep: string | undefined;
  private made: Promise<Made> | undefined;
  /** keeping the lock beside the key step's saved tree, as soon as both exist */
  private keeping: Promise<void> | undefined;
  private readonly stop = new AbortController();

  constructor(
    private readonly plan: BuildPlan,
    private readonly backends: BackendRegistry,
    private readonly cacheDir: string,
    /** --locked: the checked lock; nothing is resolved */
    private readonly given?: LockFile,
  ) {
    const steps = plan.steps.filter((s) => s.type === 'bootstrap' || s.type === 'install-packages');
    this.packageSteps = new Set(steps.map((s) => s.id));
    this.keyStep = steps.at(-1)?.id;
  }

  /**
   * Starts resolving when the first package step starts, and keeps the lock in the cache when
   * the last package step's tree is saved there: a build stopped later leaves a cached tree
   * that still has its lock.
   */
  observe(event: BuildEvent): void {
    if (event.event === 'step-end' && event.id === this.keyStep && event.saved && this.made) {
      const made = this.made;
      this.keeping = made.then((m) => (m.lock ? this.keep(lockFileText(m.lock)) : undefined));
      return;
    }
    if (event.event !== 'step-start' || this.made || this.given || !this.packageSteps.has(event.id)) return;
    this.made = lockPlan(this.plan, this.backends, this.cacheDir, this.stop.signal).catch((e: Error) => ({
      diagnostics: [diag(lockCodes.notWritten, { why: e.message })],
    }));
  }

  /** Writes the kept lock whole or not at all. */
  private async keep(text: string): Promise<void> {
    await mkdir(join(this.cacheDir, 'locks'), { recursive: true });
    const temp = `${this.keptPath()}.${process.pid}.tmp`;
    await writeFile(temp, text);
    await rename(temp, this.keptPath());
  }

  /** Stops a resolution still running (the build failed or was interrupted). */
  cancel(): void {
    this.stop.abort();
  }

  private keptPath(): string {
    return join(this.cacheDir, 'locks', `${this.keyStep}.lock`);
  }

  /** Writes `file` after a successful build; a warning when there is no lock to write. */
  async write(file: string): Promise<Diagnostic[]> {
    if (!this.keyStep) return [];
    await this.keeping?.catch(() => undefined);
    const text = await this.text();
    if (typeof text !== 'string') return text;
    await this.keep(text);
    await writeFile(file, text);
    return [];
  }

  private async text(): Promise<string | Diagnostic[]> {
    if (this.given) return lockFileText(this.given);
    if (this.made) {
      const made = await this.made;
      if (made.lock) return lockFileText(made.lock);
      const why = made.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ') || 'no lock was made';
      return [diag(lockCodes.notWritten, { why })];
    }
    const kept = await readFile(this.keptPath(), 'utf8').catch(() => undefined);
    if (kept) return kept;
    const why =
      'the packages came from a cached tree that has no lock kept with it (saved by an older imgc, or by a build stopped before its lock was resolved); build once with --no-tree-cache';
    return [diag(lockCodes.notWritten, { why })];
  }
}
