/**
 * `imgc translate` of many definitions in one call: several paths, or `--batch DIR` (each entry of
 * the folder is one definition). Each input is translated exactly as a single `imgc translate`
 * would (runTranslate, into `-o DIR/<name>/`) with its own loss report; `--jobs N` lets N run at
 * once (their reports are still printed in input order).
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { batchCodes } from '../diagnostics/codes/batch.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { FormatRegistry } from '../formats/registry.js';
import { parseOutputFlag } from '../formats/target-needs.js';
import { appendAll } from '../input/append.js';
import { reasonOf } from '../input/reason.js';
import { runTranslate } from './commands.js';
import { EXIT, type Io, printDiagnostics, printJson } from './output.js';

type TranslateFlags = Parameters<typeof runTranslate>[3];

export interface BatchFlags {
  batch?: boolean;
  jobs?: string;
}

/** One definition → runTranslate as before; several, or `--batch`, → one translation each. */
export async function runTranslateCommand(
  io: Io,
  registry: FormatRegistry,
  paths: readonly string[],
  opts: TranslateFlags & BatchFlags,
): Promise<number> {
  if (paths.length === 1 && !opts.batch) return runTranslate(io, registry, paths[0]!, opts);
  // a usage error (unknown --to, bad --output) is the same for every input: say it once
  if (!registry.get(opts.to)?.writer || (opts.output !== undefined && !parseOutputFlag(opts.output)))
    return runTranslate(io, registry, paths[0]!, opts);
  const expanded = opts.batch ? await entriesOf(paths) : { inputs: [...paths], diagnostics: [] };
  if (expanded.diagnostics.length) {
    if (opts.json) printJson(io, { results: [], diagnostics: expanded.diagnostics });
    else printDiagnostics(io, expanded.diagnostics);
    return EXIT.inputErrors;
  }
  const jobs = jobsOf(opts.jobs);
  if (typeof jobs !== 'number') {
    if (opts.json) printJson(io, { results: [], diagnostics: [jobs] });
    else printDiagnostics(io, [jobs]);
    return EXIT.usage;
  }
  const named = outputFolders(expanded.inputs);
  const target = registry.get(opts.to)!.id;
  const codes: number[] = [];
  const jsonResults: unknown[] = [];
  // each input's output is printed (text) or parsed (JSON) as soon as those before it are done,
  // and then let go: a batch holds only what is in flight, and shows its progress
  await mapInOrder(
    named,
    jobs,
    (input) =>
      translateOne(io, registry, input.path, { ...opts, outputDir: join(opts.outputDir, input.folder) }),
    (input, outcome) => {
      codes.push(outcome.code);
      const folder = join(opts.outputDir, input.folder);
      if (opts.json) {
        const answer = JSON.parse(outcome.stdout) as { files: string[]; diagnostics: Diagnostic[] };
        jsonResults.push({
          input: input.path,
          outputDir: folder,
          exitCode: outcome.code,
          files: answer.files,
          diagnostics: [...input.diagnostics, ...answer.diagnostics],
        });
        return;
      }
      // one write per stream and input: under load each write to a pipe cost a context switch
      let header = `==> ${input.path} → ${folder}\n`;
      printDiagnostics({ ...io, stderr: (t) => (header += t) }, input.diagnostics);
      io.stderr(header + outcome.stderr);
      if (outcome.stdout) io.stdout(outcome.stdout);
    },
  );
  const translated = codes.filter((c) => c === EXIT.ok).length;
  const summary = { target, definitions: codes.length, translated, failed: codes.length - translated };
  if (opts.json) printJson(io, { results: jsonResults, summary });
  else
    io.stderr(
      `translated ${summary.translated} of ${summary.definitions} definitions to ${summary.target}, ${summary.failed} failed\n`,
    );
  return Math.max(EXIT.ok, ...codes);
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** runTranslate with its output held back, to be printed in input order. */
async function translateOne(
  io: Io,
  registry: FormatRegistry,
  path: string,
  opts: TranslateFlags,
): Promise<Outcome> {
  const outcome = { code: 0, stdout: '', stderr: '' };
  const held: Io = {
    stdout: (t) => {
      outcome.stdout += t;
    },
    stderr: (t) => {
      outcome.stderr += t;
    },
    isTTY: io.isTTY,
  };
  outcome.code = await runTranslate(held, registry, path, opts);
  return outcome;
}

interface NamedInput {
  path: string;
  folder: string;
  diagnostics: Diagnostic[];
}

/** `-o DIR/<name>/`: the file name without its extension, or the folder's name; a repeat gets `-2`, `-3`, … */
function outputFolders(paths: readonly string[]): NamedInput[] {
  const taken = new Set<string>();
  return paths.map((path) => {
    const name = nameOf(path);
    let folder = name;
    for (let n = 2; taken.has(folder); n++) folder = `${name}-${n}`;
    taken.add(folder);
    const diagnostics =
      folder === name ? [] : [diag(batchCodes.renamedOutput, { name, folder }, { file: path })];
    return { path, folder, diagnostics };
  });
}

function nameOf(path: string): string {
  const base = basename(path.replace(/\/+$/, '')) || 'definition';
  const ext = extname(base);
  return ext && ext !== base ? base.slice(0, -ext.length) : base;
}

/** `--batch`: the entries of each folder, sorted, hidden ones skipped. */
async function entriesOf(dirs: readonly string[]): Promise<{ inputs: string[]; diagnostics: Diagnostic[] }> {
  const inputs: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const dir of dirs) {
    try {
      if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
      const entries = (await readdir(dir)).filter((e) => !e.startsWith('.')).sort();
      if (!entries.length) diagnostics.push(diag(batchCodes.emptyBatch, { path: dir }));
      appendAll(
        inputs,
        entries.map((e) => join(dir, e)),
      );
    } catch (e) {
      diagnostics.push(diag(batchCodes.notAFolder, { path: dir, reason: reasonOf(e) }));
    }
  }
  return { inputs, diagnostics };
}

/** `--jobs`: how many definitions are in flight at once (1 when absent: see decision 0097). */
function jobsOf(flag: string | undefined): number | Diagnostic {
  if (flag === undefined) return 1;
  const n = Number(flag);
  return /^\d+$/.test(flag) && n > 0 ? n : diag(batchCodes.badJobs, { value: flag });
}

/**
 * Runs `work` on every item, at most `limit` at once, and hands each result to `ready` in input
 * order as soon as it and all before it are done; a result is not kept after that.
 */
async function mapInOrder<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  ready: (item: T, result: R) => void,
): Promise<void> {
  const done = new Map<number, R>();
  let next = 0;
  let flushed = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      done.set(i, await work(items[i]!));
      while (done.has(flushed)) {
        const result = done.get(flushed)!;
        done.delete(flushed);
        ready(items[flushed]!, result);
        flushed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
