/**
 * One fuzz input through everything a user could run on it, in process: detection, the reader,
 * the printers of `imgc inspect` (YAML and JSON) and the diagnostics renderer, then every writer
 * through `translateIr`. A crash is a thrown exception or an IMGC1009/IMGC1006 diagnostic (what
 * the CLI turns into exit 2); anything else the readers and writers say is a fine answer.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { printDiagnostics } from '../../src/cli/output.js';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { detectFormat, loadDefinition } from '../../src/formats/load.js';
import type { FormatRegistry } from '../../src/formats/registry.js';
import { translateIr } from '../../src/formats/translate.js';
import type { ReaderId } from './seeds.js';

/** Codes that mean a bug in imgc, not in the input. */
const BUG_CODES = new Set(['IMGC1009', 'IMGC1006']);

export interface Input {
  files: Record<string, string>;
  main: string;
  /** reader options whose values are paths relative to the input's folder */
  pathOptions?: Record<string, string>;
}

export function materialize(dir: string, input: Input): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [rel, text] of Object.entries(input.files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

const sink = { stdout: () => {}, stderr: () => {}, isTTY: false };

function bug(where: string, diagnostics: readonly Diagnostic[]): string | undefined {
  const d = diagnostics.find((x) => BUG_CODES.has(x.code));
  return d ? `${where}: ${d.code} ${d.message}` : undefined;
}

/**
 * Whether the `k`-th input of a reader also goes through every writer: all inputs when `every`
 * is 1, else one in `every`. Writers cost several times the reader on small inputs; a long run samples them.
 */
export function writersFor(k: number, every: number): boolean {
  return every <= 1 || k % every === 0;
}

/** Runs one materialized input; returns a crash description, or undefined when imgc held. */
export async function exercise(
  registry: FormatRegistry,
  dir: string,
  main: string,
  reader: ReaderId,
  writers = true,
  pathOptions: Record<string, string> = {},
) {
  const path = join(dir, main);
  const from = reader === 'bib-config' ? 'containerfile' : reader;
  const options = Object.fromEntries(Object.entries(pathOptions).map(([k, rel]) => [k, join(dir, rel)]));
  try {
    const detected = await detectFormat(registry, path);
    const detectBug = bug('detect', detected.diagnostics);
    if (detectBug) return detectBug;
    const loaded = await loadDefinition(registry, path, { from, options });
    const readBug = bug(`read ${from}`, loaded.diagnostics);
    if (readBug) return readBug;
    JSON.stringify({
      format: loaded.format?.id ?? null,
      ir: loaded.ir ?? null,
      diagnostics: loaded.diagnostics,
    });
    printDiagnostics(sink, loaded.diagnostics);
    if (!loaded.ir || loaded.diagnostics.some((d) => d.severity === 'error')) return undefined;
    toYaml(loaded.ir);
    if (!writers) return undefined;
    for (const target of registry.list().filter((f) => f.writer)) {
      let translated: Awaited<ReturnType<typeof translateIr>>;
      try {
        translated = await translateIr({
          ir: loaded.ir,
          positions: loaded.positions,
          sourceDir: dir,
          target,
        });
      } catch (e) {
        return `write ${target.id}: ${describe(e)}`;
      }
      const writeBug = bug(`write ${target.id}`, translated.diagnostics);
      if (writeBug) return writeBug;
      printDiagnostics(sink, translated.diagnostics);
    }
    return undefined;
  } catch (e) {
    return `read ${from}: ${describe(e)}`;
  }
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const frame = e.stack?.split('\n').find((l) => l.includes('/src/')) ?? '';
  return `${e.name}: ${e.message.slice(0, 300)} ${frame.trim()}`;
}
