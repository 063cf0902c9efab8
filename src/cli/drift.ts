/**
 * `imgc drift <manifest> <target>`: what changed on a system or image since the golden build.
 * Exit status is a bitmask like AIDE's (1 added, 2 removed, 4 changed); 16 when an input
 * cannot be read, so scripts can tell "drifted" from "could not check".
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { goldenCodes } from '../diagnostics/codes/golden.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { compareManifests, driftBits } from '../golden/drift.js';
import { defaultRules, type IgnoreRule, IgnoreRuleError, parseIgnoreFile } from '../golden/ignore.js';
import { loadManifest, ManifestLoadError } from '../golden/load.js';
import { renderDrift } from '../golden/render.js';
import { MANIFEST_VERSION } from '../golden/schema.js';
import { readTarget, TargetError } from '../golden/target.js';
import { XattrToolMissing } from '../golden/xattrs.js';
import { type Io, printDiagnostics, printJson } from './output.js';
import type { CommandContext } from './register.js';

export const DRIFT_EXIT_ERROR = 16;

export interface DriftFlags {
  ignoreFile?: string;
  defaultIgnores?: boolean;
  json?: boolean;
}

class Failed extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

async function rulesFrom(flags: DriftFlags): Promise<IgnoreRule[]> {
  const base = flags.defaultIgnores === false ? [] : defaultRules();
  if (!flags.ignoreFile) return base;
  const file = flags.ignoreFile;
  const text = await readFile(file, 'utf8').catch((e: Error) => {
    throw new Failed(diag(goldenCodes.ignoreFileUnreadable, { path: file, reason: e.message }));
  });
  try {
    return parseIgnoreFile(text, file, base);
  } catch (e) {
    if (!(e instanceof IgnoreRuleError)) throw e;
    throw new Failed(
      diag(goldenCodes.ignoreRule, { reason: e.reason }, { file, line: e.line, column: e.column }),
    );
  }
}

async function manifestFrom(path: string) {
  try {
    return await loadManifest(path);
  } catch (e) {
    if (!(e instanceof ManifestLoadError)) throw e;
    const at = { file: path, ...e.at };
    if (e.reason === 'version')
      throw new Failed(
        diag(goldenCodes.manifestVersion, { found: e.detail.found ?? '?', expected: MANIFEST_VERSION }, at),
      );
    if (e.reason === 'invalid')
      throw new Failed(
        diag(goldenCodes.manifestInvalid, { where: e.detail.where ?? '/', problem: e.message }, at),
      );
    throw new Failed(diag(goldenCodes.manifestUnreadable, { reason: e.message }, at));
  }
}

async function targetFrom(path: string, rules: IgnoreRule[]) {
  try {
    return await readTarget(path, rules);
  } catch (e) {
    if (e instanceof XattrToolMissing) throw new Failed(diag(goldenCodes.xattrToolMissing, undefined));
    if (!(e instanceof TargetError)) throw e;
    const at = { file: path };
    const extra = e.hint ? { hint: e.hint } : undefined;
    if (e.reason === 'missing') throw new Failed(diag(goldenCodes.targetMissing, { path }, at));
    if (e.reason === 'unknown-kind')
      throw new Failed(diag(goldenCodes.targetUnknown, { reason: e.message }, at, extra));
    if (e.reason === 'no-root-partition')
      throw new Failed(diag(goldenCodes.noRootPartition, { reason: e.message }, at));
    throw new Failed(diag(goldenCodes.targetUnreadable, { reason: e.message }, at));
  }
}

export async function runDrift(
  io: Io,
  manifestPath: string,
  targetPath: string,
  flags: DriftFlags,
): Promise<number> {
  const notes: Diagnostic[] = [];
  try {
    const rules = await rulesFrom(flags);
    const golden = await manifestFrom(manifestPath);
    const target = await targetFrom(targetPath, rules);
    if (!target.xattrs) notes.push(diag(goldenCodes.xattrsNotCompared, { kind: target.kind }));
    const report = compareManifests(golden, target.manifest, { rules, compareXattrs: target.xattrs });
    const bits = driftBits(report);
    if (flags.json)
      printJson(io, {
        target: { path: targetPath, kind: target.kind },
        exit: bits,
        ...report,
        diagnostics: notes,
      });
    else {
      printDiagnostics(io, notes);
      io.stdout(renderDrift(report, io.isTTY));
    }
    return bits;
  } catch (e) {
    if (!(e instanceof Failed)) throw e;
    if (flags.json) printJson(io, { exit: DRIFT_EXIT_ERROR, diagnostics: [...notes, e.diagnostic] });
    else printDiagnostics(io, [...notes, e.diagnostic]);
    return DRIFT_EXIT_ERROR;
  }
}

export function registerDrift(program: Command, { io, exit }: CommandContext): void {
  program
    .command('drift')
    .description(
      'compare a system, tree, tar or disk image with a golden manifest; exit status 1 added | 2 removed | 4 changed, 16 when an input cannot be read',
    )
    .argument('<manifest>', 'the .manifest.json `imgc build` wrote beside its outputs')
    .argument(
      '<target>',
      'a directory (/ for the running system), a tar archive, a raw GPT disk or an ext4 image',
    )
    .option(
      '--ignore-file <file>',
      'more ignore rules: one absolute pattern a line, !pattern to report again, reset',
    )
    .option(
      '--no-default-ignores',
      'report runtime noise too (/var/log, /var/cache, machine-id, package databases, ...)',
    )
    .option('--json', 'print {"paths": [...], "packages": [...], "exit": N}')
    .action(async (manifest: string, target: string, opts: DriftFlags) => {
      exit.code = await runDrift(io, manifest, target, opts);
    });
}
