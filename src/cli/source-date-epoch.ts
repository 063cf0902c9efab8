/**
 * Which SOURCE_DATE_EPOCH a build uses, and whether it is a reproducible one (decision 0100):
 * the environment's when set; with --reproducible and no environment value, the commit time of
 * the definition's files when git tracks them unchanged, else their newest mtime; otherwise
 * the definition's mtime, for the archives only (the behaviour before reproducible builds).
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { reproducibleCodes } from '../diagnostics/codes/reproducible.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';

export interface EpochChoice {
  epoch: number;
  reproducible: boolean;
  diagnostics: Diagnostic[];
}

const day = (epoch: number) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');

/** The last commit time of `files` when git tracks all of them without changes; undefined otherwise. */
export function commitTimeOf(files: string[]): number | undefined {
  if (files.length === 0) return undefined;
  const cwd = dirname(resolve(files[0]!));
  const git = (args: string[]) =>
    spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, timeout: 10_000 });
  const tracked = git(['ls-files', '--error-unmatch', '--', ...files.map((f) => resolve(f))]);
  if (tracked.status !== 0) return undefined;
  const changed = git(['status', '--porcelain', '--', ...files.map((f) => resolve(f))]);
  if (changed.status !== 0 || changed.stdout.trim() !== '') return undefined;
  const log = git(['log', '-1', '--format=%ct', '--', ...files.map((f) => resolve(f))]);
  const t = Number(log.stdout.trim());
  return log.status === 0 && Number.isInteger(t) && t > 0 ? t : undefined;
}

function newestMtime(files: string[]): number {
  return files.reduce(
    (newest, f) => Math.max(newest, Math.floor(statSync(f).mtimeMs / 1000)),
    Number.NEGATIVE_INFINITY,
  );
}

export function chooseEpoch(input: {
  env: string | undefined;
  reproducible: boolean;
  /** the files the definition was read from, the definition itself first */
  files: string[];
}): EpochChoice {
  const { env, files } = input;
  const at = { file: files[0]! };
  if (env !== undefined && env !== '') {
    if (!/^\d+$/.test(env) || !Number.isSafeInteger(Number(env)))
      return {
        epoch: 0,
        reproducible: false,
        diagnostics: [diag(reproducibleCodes.badEpoch, { value: env })],
      };
    const epoch = Number(env);
    return {
      epoch,
      reproducible: true,
      diagnostics: [diag(reproducibleCodes.epochFromEnvironment, { epoch, date: day(epoch) }, at)],
    };
  }
  if (!input.reproducible)
    return { epoch: newestMtime(files.slice(0, 1)), reproducible: false, diagnostics: [] };
  const committed = commitTimeOf(files);
  const epoch = committed ?? newestMtime(files);
  const n = files.length;
  const how =
    committed !== undefined
      ? `the last git commit of the definition's ${n} file${n === 1 ? '' : 's'}`
      : `the newest modification time of the definition's ${n} file${n === 1 ? '' : 's'} (not committed to git unchanged)`;
  return {
    epoch,
    reproducible: true,
    diagnostics: [diag(reproducibleCodes.epochFromInputs, { epoch, date: day(epoch), how }, at)],
  };
}
