/**
 * KIWI's own acceptance of what imgc writes: every corpus definition of every corpus is
 * translated to KIWI schema 7.5 and 8.5; KIWI 9.24's library judges the 7.5 folders the way
 * `kiwi-ng image info` does, xmllint and KIWI's embedded schematron rules judge the 8.5 ones.
 * All folders go to one python3 process (kiwi-acceptance.py), since spawning kiwi-ng per file
 * costs over a second each on a small machine.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FormatRegistry } from '../../src/formats/registry.js';
import { KIWI_85_RNG } from '../setup/kiwi-tools.js';
import { translateAsUser } from '../translate/matrix-helpers.js';
import { corpusEntries } from './translate-matrix.js';

export const SYSTEM_PYTHON = '/usr/bin/python3';
const JUDGE = join(import.meta.dirname, 'kiwi-acceptance.py');

export interface Written {
  corpus: string;
  /** path relative to the corpus folder */
  source: string;
  dir75: string;
  dir85: string;
  /** the writer said kiwi-ng will refuse it: the source names no repository and imgc knows no public one (IMGC6010) */
  noRepository?: boolean;
}

export interface Census {
  written: Written[];
  /** definitions a reader rejected: not translations, counted apart */
  unreadable: string[];
  /** definitions translate refused (an error diagnostic) or crashed on, with the first reason */
  refused: string[];
}

/** Translates every readable corpus definition to KIWI 7.5 and 8.5 under `outDir`; only config.xml is written. */
export async function translateCorpora(
  registry: FormatRegistry,
  outDir: string,
  limit = Number.POSITIVE_INFINITY,
): Promise<Census> {
  const target = registry.get('kiwi')!;
  const census: Census = { written: [], unreadable: [], refused: [] };
  for await (const { corpus, source, label, sourceDir, loaded } of corpusEntries(registry, limit)) {
    if (!loaded) {
      census.unreadable.push(label);
      continue;
    }
    const index = census.written.length;
    const item: Written = {
      corpus,
      source,
      dir75: join(outDir, `${index}-7.5`),
      dir85: join(outDir, `${index}-8.5`),
    };
    let refusal: string | undefined;
    for (const [schema, out] of [
      ['7.5', item.dir75],
      ['8.5', item.dir85],
    ] as const) {
      try {
        const input = { ir: loaded.ir, positions: loaded.positions, sourceDir, target };
        const t = await translateAsUser({ ...input, options: { kiwiSchema: schema } });
        const error = t.diagnostics.find((d) => d.severity === 'error');
        const config = t.files.find((f) => f.path === 'config.xml');
        if (error || config?.content === undefined) {
          refusal = `${label}: ${error ? `${error.code} ${error.message}` : 'no config.xml written'}`;
          break;
        }
        if (t.diagnostics.some((d) => d.code === 'IMGC6010')) item.noRepository = true;
        mkdirSync(out, { recursive: true });
        writeFileSync(join(out, 'config.xml'), config.content);
      } catch (e) {
        refusal = `${label}: crash ${String(e)}`;
        break;
      }
    }
    if (refusal) census.refused.push(refusal);
    else census.written.push(item);
  }
  return census;
}

export interface Verdict {
  ok: boolean;
  error?: string;
}

/**
 * KIWI's verdicts on the folders, by folder; a folder the judge did not answer for is a failure.
 * Asynchronous: a whole-corpus judgement can outlast vitest's 60 s worker RPC timeout, which a
 * synchronous spawn would trip by blocking the worker's event loop.
 */
export async function judgeWithKiwi(
  mode: 'image-info' | 'schematron',
  dirs: readonly string[],
): Promise<Map<string, Verdict>> {
  const args = mode === 'image-info' ? [JUDGE, mode] : [JUDGE, mode, KIWI_85_RNG];
  const run = await runWithInput(SYSTEM_PYTHON, args, `${dirs.join('\n')}\n`);
  const verdicts = new Map<string, Verdict>();
  for (const line of run.stdout.split('\n')) {
    if (!line.trim()) continue;
    const v = JSON.parse(line) as { dir: string; ok: boolean; error?: string };
    verdicts.set(v.dir, { ok: v.ok, error: v.error });
  }
  const why = `the judge gave no verdict (exit ${run.status}): ${run.stderr.split('\n').slice(-3).join(' ')}`;
  for (const d of dirs) if (!verdicts.has(d)) verdicts.set(d, { ok: false, error: why });
  return verdicts;
}

function runWithInput(
  command: string,
  args: readonly string[],
  input: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** xmllint's RelaxNG verdicts on every folder's config.xml, in batches of one spawn each. */
export function judgeWithRelaxng(rng: string, dirs: readonly string[]): Map<string, Verdict> {
  const verdicts = new Map<string, Verdict>();
  const batch = 200;
  for (let i = 0; i < dirs.length; i += batch) {
    const files = dirs.slice(i, i + batch).map((d) => join(d, 'config.xml'));
    const run = spawnSync('xmllint', ['--noout', '--relaxng', rng, ...files], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const lines = run.stderr.split('\n');
    for (const file of files) {
      const dir = dirname(file);
      if (lines.includes(`${file} validates`)) verdicts.set(dir, { ok: true });
      else {
        const first = lines.find((l) => l.startsWith(`${file}:`)) ?? `${file}: no verdict from xmllint`;
        verdicts.set(dir, { ok: false, error: first.slice(file.length + 1).trim() });
      }
    }
  }
  return verdicts;
}
