import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { coreCodes } from '../diagnostics/codes/core.js';
import { translateCodes } from '../diagnostics/codes/translate.js';
import { diag } from '../diagnostics/define.js';
import { hasErrors } from '../diagnostics/types.js';
import { loadDefinition } from '../formats/load.js';
import { isLossReportDiagnostic, renderLossReport } from '../formats/loss-report.js';
import type { FormatRegistry } from '../formats/registry.js';
import { OUTPUT_TYPE_LIST, parseOutputFlag } from '../formats/target-needs.js';
import { translateIr } from '../formats/translate.js';
import { writeOutputFiles } from '../formats/write-files.js';
import { appendAll } from '../input/append.js';
import { reasonOf } from '../input/reason.js';
import { missingDistribution } from '../ir/distro-defaults.js';
import { mergeProfiles } from '../ir/profiles.js';
import { type FormatFlags, formatOptionsFrom } from './options.js';
import { detail, EXIT, exitFor, type Io, printDiagnostics, printJson, say, shown } from './output.js';
import { changedFiles, overwriteDiagnostics, redactDiff } from './overwrite.js';

interface ReadFlags extends FormatFlags {
  from?: string;
  profile?: string[];
  json?: boolean;
}

export function runFormats(io: Io, registry: FormatRegistry, opts: { json?: boolean }): number {
  const rows = registry.list().map((f) => ({
    id: f.id,
    name: f.name,
    reads: Boolean(f.reader),
    writes: Boolean(f.writer),
    patterns: f.patterns,
    detection: f.detection,
  }));
  if (opts.json) printJson(io, { formats: rows });
  else {
    const width = Math.max(...rows.map((r) => r.id.length));
    for (const r of rows) {
      const rw = `${r.reads ? 'r' : '-'}${r.writes ? 'w' : '-'}`;
      io.stdout(`${r.id.padEnd(width)}  ${rw}  ${r.name}: ${r.detection}\n`);
    }
  }
  return EXIT.ok;
}

async function load(io: Io, registry: FormatRegistry, path: string, opts: ReadFlags) {
  const result = await loadDefinition(registry, path, {
    from: opts.from,
    profiles: opts.profile ?? [],
    options: formatOptionsFrom(opts),
  });
  if (result.format)
    detail(
      io,
      `read ${path} as ${result.format.id}${opts.from ? ' (--from)' : ''}: ${result.files.join(', ')}`,
    );
  return result;
}

export async function runInspect(
  io: Io,
  registry: FormatRegistry,
  path: string,
  opts: ReadFlags & { effective?: boolean },
  toYaml: (value: unknown) => string,
): Promise<number> {
  const result = await load(io, registry, path, opts);
  if (result.ir)
    appendAll(result.diagnostics, missingDistribution(result.ir, result.positions, 'an image', false, path));
  const ir = result.ir && opts.effective ? mergeProfiles(result.ir) : result.ir;
  if (opts.json)
    printJson(io, { format: result.format?.id ?? null, ir: ir ?? null, diagnostics: result.diagnostics });
  else {
    if (ir) io.stdout(toYaml(shown(io, ir)));
    printDiagnostics(io, result.diagnostics);
  }
  return exitFor(result.diagnostics, [path], !ir);
}

export async function runValidate(
  io: Io,
  registry: FormatRegistry,
  path: string,
  opts: ReadFlags,
): Promise<number> {
  const result = await load(io, registry, path, opts);
  if (opts.json) printJson(io, { format: result.format?.id ?? null, diagnostics: result.diagnostics });
  else {
    printDiagnostics(io, result.diagnostics);
    if (!hasErrors(result.diagnostics)) say(io, `${path}: valid ${result.format?.name ?? ''}`);
  }
  return exitFor(result.diagnostics, [path], !result.ir);
}

export async function runTranslate(
  io: Io,
  registry: FormatRegistry,
  path: string,
  opts: ReadFlags & { to: string; outputDir: string; strict?: boolean; force?: boolean; output?: string },
): Promise<number> {
  if (opts.output !== undefined && !parseOutputFlag(opts.output)) {
    const d = diag(translateCodes.badOutputFlag, { value: opts.output, known: OUTPUT_TYPE_LIST });
    if (opts.json) printJson(io, { files: [], diagnostics: [d] });
    else printDiagnostics(io, [d]);
    return EXIT.usage;
  }
  const target = registry.get(opts.to);
  if (!target?.writer) {
    const d = target
      ? diag(coreCodes.formatCannotWrite, { id: opts.to })
      : diag(coreCodes.unknownFormat, {
          id: opts.to,
          known: registry
            .list()
            .filter((f) => f.writer)
            .map((f) => f.id)
            .join(', '),
        });
    if (opts.json) printJson(io, { files: [], diagnostics: [d] });
    else printDiagnostics(io, [d]);
    return EXIT.usage;
  }
  const loaded = await load(io, registry, path, opts);
  if (!loaded.ir || hasErrors(loaded.diagnostics)) {
    if (opts.json) printJson(io, { files: [], diagnostics: loaded.diagnostics });
    else printDiagnostics(io, loaded.diagnostics);
    return exitFor(loaded.diagnostics, [path], true);
  }
  const sourceDir = statSync(path).isDirectory() ? resolve(path) : dirname(resolve(path));
  const translated = await translateIr({
    ir: loaded.ir,
    positions: loaded.positions,
    sourceDir,
    target,
    options: { ...formatOptionsFrom(opts), output: opts.output },
  });
  const diagnostics = [...loaded.diagnostics, ...translated.diagnostics];
  let files: string[] = [];
  const changed =
    hasErrors(diagnostics) || opts.force ? [] : await changedFiles(opts.outputDir, translated.files);
  appendAll(diagnostics, overwriteDiagnostics(changed));
  if (!opts.json)
    for (const c of changed) if (c.diff) io.stderr(io.showSecrets ? c.diff : redactDiff(c.diff));
  if (!hasErrors(diagnostics)) {
    try {
      files = await writeOutputFiles(opts.outputDir, translated.files);
    } catch (e) {
      diagnostics.push(diag(coreCodes.outputNotWritable, { path: opts.outputDir, reason: reasonOf(e) }));
    }
  }
  if (opts.json) printJson(io, { files, diagnostics });
  else {
    printDiagnostics(
      io,
      diagnostics.filter((d) => !isLossReportDiagnostic(d)),
    );
    if (io.verbosity !== 'quiet')
      io.stderr(renderLossReport(shown(io, diagnostics), target.id, { cwd: process.cwd() }));
    for (const f of files) io.stdout(`${f}\n`);
  }
  const lost = diagnostics.some((d) => d.code.startsWith('IMGC6') && d.severity === 'warning');
  if (hasErrors(diagnostics)) return exitFor(diagnostics, [path]);
  return opts.strict && lost ? EXIT.inputErrors : EXIT.ok;
}
