/**
 * What every family's `resolvePackages` shares: running the resolver through the build side's
 * one process starter with every line kept (resolvers print their answer and exit non-zero),
 * the check that the tool is installed, and the lines of its output worth showing in an error.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCodes } from '../../diagnostics/codes/resolve.js';
import { diag } from '../../diagnostics/define.js';
import { ProcessFailed, startProcess } from '../../exec/process.js';
import type {
  LockResolution,
  PackageRequest,
  Resolution,
  ResolveContext,
  ResolvedPackage,
} from '../contract.js';

/** A failed answer, for resolving and for locking alike. */
export type FailedResolution = Resolution & LockResolution;

export interface ResolverOutput {
  /** exit status; 127 when the tool could not be started */
  code: number | null;
  lines: string[];
}

export async function runResolver(
  command: string,
  args: readonly string[],
  context: ResolveContext,
  env: Record<string, string> = {},
): Promise<ResolverOutput> {
  const lines: string[] = [];
  const started = startProcess(command, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LC_ALL: 'C.UTF-8', ...env },
    signal: context.signal,
    onLine: (line) => lines.push(line),
  });
  try {
    await started.done;
    return { code: 0, lines };
  } catch (e) {
    if (!(e instanceof ProcessFailed)) throw e;
    const f = e.failure;
    if (f.kind === 'failed') return { code: f.exitCode, lines };
    if (f.kind === 'missing') return { code: 127, lines: [`${command}: not found`] };
    if (f.kind === 'aborted') return { code: null, lines: [...lines, 'aborted'] };
    return { code: null, lines: [...lines, f.message] };
  }
}

export function onPath(tool: string): boolean {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin']);
  return dirs.some((d) => d && existsSync(join(d, tool)));
}

/** The resolver's own explanation: its error lines, else the last lines it wrote. */
export function explanation(lines: readonly string[]): string {
  const errors = lines.filter((l) =>
    /^(E:|W:|error:|warning:|:: unable to satisfy|Error|Problem|\s+- |No match|nothing provides|No provider|.*not found)/.test(
      l,
    ),
  );
  return (errors.length ? errors : lines.filter(Boolean)).slice(-12).join('\n');
}

/** An empty answer carrying one diagnostic. */
export function failedResolution(
  tool: string,
  requested: string[],
  diagnostic: Resolution['diagnostics'][number],
): FailedResolution {
  return { tool, requested, packages: [], repositories: [], diagnostics: [diagnostic] };
}

/** The IMGC7051 answer when the resolver is not installed, or undefined when it is. */
export function missingResolver(
  tool: string,
  pkg: string,
  requested: string[],
): FailedResolution | undefined {
  if (onPath(tool)) return undefined;
  return failedResolution(tool, requested, diag(resolveCodes.resolverMissing, { tool, pkg }));
}

export function resolverFailed(
  tool: string,
  requested: string[],
  lines: readonly string[],
): FailedResolution {
  return failedResolution(
    tool,
    requested,
    diag(resolveCodes.resolverFailed, { tool, detail: explanation(lines) }),
  );
}

/** The settings value of a request as text, or undefined. */
export function settingText(request: PackageRequest, key: string): string | undefined {
  const v = request.settings?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** A folder under the cache for one resolver's metadata, one per repository configuration. */
export async function metadataCache(
  context: ResolveContext,
  tool: string,
  configuration: string,
): Promise<string> {
  const key = createHash('sha256').update(configuration).digest('hex').slice(0, 16);
  const dir = join(context.cacheDir, 'resolve', tool, key);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Runs `work` with a scratch folder that is removed afterwards, whatever happens. */
export async function inScratch<T>(work: (root: string) => Promise<T>): Promise<T> {
  const root = await mkdtemp(join(tmpdir(), 'imgc-resolve-'));
  try {
    return await work(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** IMGC7051 when the resolver is not installed, else `work` in a scratch folder. */
export function resolveInScratch<T extends Resolution | LockResolution>(
  resolver: { tool: string; debianPackage: string; requested: string[] },
  work: (root: string) => Promise<T>,
): Promise<T | FailedResolution> {
  const missing = missingResolver(resolver.tool, resolver.debianPackage, resolver.requested);
  return missing ? Promise.resolve(missing) : inScratch<T | FailedResolution>(work);
}

export interface SolveCalls {
  tool: string;
  requested: string[];
  env?: Record<string, string>;
  /** arguments that fetch the repositories' metadata; absent when the solve fetches it itself */
  refresh?: string[];
  solve: string[];
  /** a solve that exits non-zero but answered (dnf --assumeno) */
  answered?: (out: ResolverOutput) => boolean;
  /** the lines worth showing when the solve fails */
  failure?: (lines: readonly string[]) => readonly string[];
  read: (lines: readonly string[]) => ResolvedPackage[];
}

/** Fetches the metadata, then solves; the first call that fails answers with the tool's own words. */
export async function refreshAndSolve(calls: SolveCalls, context: ResolveContext): Promise<Resolution> {
  const { tool, requested } = calls;
  if (calls.refresh) {
    const refresh = await runResolver(tool, calls.refresh, context, calls.env);
    if (refresh.code !== 0)
      return resolverFailed(`${tool} ${calls.refresh.at(-1)}`, requested, refresh.lines);
  }
  const solve = await runResolver(tool, calls.solve, context, calls.env);
  if (solve.code !== 0 && !calls.answered?.(solve))
    return resolverFailed(tool, requested, calls.failure?.(solve.lines) ?? solve.lines);
  return { tool, requested, packages: calls.read(solve.lines), diagnostics: [] };
}
