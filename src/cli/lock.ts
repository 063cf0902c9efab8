/**
 * `imgc lock <def>`: the exact package set the family's resolver gives the definition, with
 * each package's URL and SHA-256, written to `<name>.lock` beside the definition (or -o FILE);
 * `--update` rewrites an existing one and prints what changed (docs/lock-file.md).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { lockCodes } from '../diagnostics/codes/lock.js';
import { diag } from '../diagnostics/define.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import {
  type LockChange,
  type LockFile,
  lockChanges,
  lockFileText,
  lockPlan,
  readLockFile,
  renderChanges,
} from '../exec/package-lock.js';
import type { FormatRegistry } from '../formats/registry.js';
import { appendAll } from '../input/append.js';
import { collect } from './options.js';
import { exitFor, type Io, printDiagnostics, printJson } from './output.js';
import { defaultCacheDir, type PlanFlags, preparePlan } from './plan.js';
import type { CommandContext } from './register.js';

export interface LockFlags extends PlanFlags {
  outputFile?: string;
  update?: boolean;
  cacheDir?: string;
}

interface LockReport {
  file: string | null;
  lock: LockFile | null;
  changes: LockChange[] | null;
  diagnostics: Diagnostic[];
}

async function makeLock(registry: FormatRegistry, path: string, flags: LockFlags): Promise<LockReport> {
  const report: LockReport = { file: null, lock: null, changes: null, diagnostics: [] };
  const prepared = await preparePlan(registry, path, flags);
  try {
    appendAll(
      report.diagnostics,
      prepared.diagnostics.filter((d) => d.severity !== 'info'),
    );
    if (!prepared.plan || !prepared.backends || hasErrors(prepared.diagnostics)) return report;
    const file = resolve(
      flags.outputFile ?? join(prepared.sourceDir ?? '.', `${prepared.name ?? 'image'}.lock`),
    );
    report.file = file;
    const exists = existsSync(file);
    if (exists && !flags.update) {
      report.diagnostics.push(diag(lockCodes.exists, { file }, { file }));
      return report;
    }
    const before = exists ? await readLockFile(file) : undefined;
    appendAll(report.diagnostics, before?.diagnostics ?? []);
    if (hasErrors(report.diagnostics)) return report;
    const made = await lockPlan(
      prepared.plan,
      prepared.backends,
      resolve(flags.cacheDir ?? defaultCacheDir()),
    );
    appendAll(report.diagnostics, made.diagnostics);
    if (!made.lock || hasErrors(made.diagnostics)) return report;
    report.lock = made.lock;
    if (before?.read) report.changes = lockChanges(before.read.lock, made.lock);
    await writeFile(file, lockFileText(made.lock));
    return report;
  } finally {
    await prepared.close?.();
  }
}

export async function runLock(io: Io, registry: FormatRegistry, path: string, flags: LockFlags) {
  const report = await makeLock(registry, path, flags);
  if (flags.json) printJson(io, report);
  else {
    if (report.lock) {
      const { lock } = report;
      io.stdout(
        `wrote ${report.file}: ${lock.packages.length} packages resolved by ${lock.tool} (${lock.distribution} ${lock.release} ${lock.architecture})\n`,
      );
      if (report.changes) io.stdout(renderChanges(report.changes));
    }
    printDiagnostics(io, report.diagnostics);
  }
  return exitFor(report.diagnostics, [path], !report.lock);
}

export function registerLock(program: Command, ctx: CommandContext): void {
  ctx
    .withFormatFlags(
      program
        .command('lock')
        .description(
          "write <name>.lock: the exact package set the family's resolver gives, with URLs and SHA-256 (for build --locked)",
        )
        .argument('<path>', 'a definition file, or a folder holding one')
        .option('--from <format>', 'input format (detected when absent)')
        .option(
          '--output <types>',
          "the output types the build makes, as for build (a disk adds boot packages; default: the definition's)",
          collect,
          [],
        )
        .option('--profile <name>', 'activate a profile (repeatable)', collect, [])
        .option('-o, --output-file <file>', 'where to write it (default: <name>.lock beside the definition)')
        .option('--update', 'rewrite an existing lock file and print what changed')
        .option('--cache-dir <dir>', 'where repository metadata is kept between runs')
        .option('--json', 'print {"file", "lock", "changes", "diagnostics"}'),
    )
    .action(async (path: string, opts: LockFlags) => {
      const globals = program.opts() as { plugin?: string[]; config?: string };
      ctx.exit.code = await runLock(ctx.io, ctx.registry, path, {
        ...opts,
        plugin: globals.plugin,
        config: globals.config,
      });
    });
}
