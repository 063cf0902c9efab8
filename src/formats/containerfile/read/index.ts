/** Reads a Containerfile, a bootc-image-builder config or a kargs.d file into the IR. */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { coreCodes } from '../../../diagnostics/codes/core.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { InputRejected, readInputTextSync } from '../../../input/bounded.js';
import { emptyIr } from '../../../ir/empty.js';
import type { PositionTable } from '../../../ir/positions.js';
import type { ImageIR } from '../../../ir/schema.js';
import type { DetectCandidate, FormatReader, ReadOptions, ReadResult } from '../../contract.js';
import { containerfileCodes } from '../codes.js';
import type { ContainerfileExtension } from '../vocabulary.js';
import { lowerBibConfig, parseKargs } from './bib-config.js';
import { lowerContainerfile } from './lower.js';
import { parseContainerfile } from './parse.js';

const MAIN_NAMES = /^(Containerfile|Dockerfile)$/;
const MAIN_LIKE = /^(Containerfile|Dockerfile)(\..+)?$|\.(containerfile|dockerfile)$/i;
const CONFIG_NAMES = ['config.toml', 'config.json'];

function isKargsFile(path: string): boolean {
  return /(^|\/)kargs\.d\/[^/]+\.toml$/.test(path);
}

function detect(c: DetectCandidate): number {
  if (c.isDirectory) return c.entries?.some((e) => MAIN_NAMES.test(e)) ? 0.8 : 0;
  if (MAIN_LIKE.test(c.name)) return 0.9;
  if (
    isKargsFile(c.path) ||
    (c.name.endsWith('.toml') && /^[^\S\n\r\u2028\u2029]*kargs\s*=/m.test(c.head ?? ''))
  )
    return 0.9;
  if (
    /\.(toml|json)$/.test(c.name) &&
    /customizations/.test(c.head ?? '') &&
    !/^[^\S\n\r\u2028\u2029]*(name|"name")\s*[=:]/m.test(c.head ?? '')
  )
    return 0.3;
  if (
    /^[^\S\n\r\u2028\u2029]*FROM\s+\S/im.test(c.head ?? '') &&
    /^[^\S\n\r\u2028\u2029]*(RUN|COPY)\s/im.test(c.head ?? '')
  )
    return 0.5;
  return 0;
}

async function read(path: string, options: ReadOptions): Promise<ReadResult> {
  const diagnostics: Diagnostic[] = [];
  try {
    for (const name of options.profiles ?? [])
      diagnostics.push(diag(coreCodes.unknownProfile, { name, known: '' }, { file: path }));
    let main = path;
    if (statSync(path).isDirectory()) {
      const found = readdirSync(path).filter((e) => MAIN_NAMES.test(e));
      if (found.length > 1) {
        diagnostics.push(
          diag(coreCodes.directoryHoldsSeveral, { path, candidates: found.join(', ') }, { file: path }),
        );
        return { positions: {}, diagnostics, files: [] };
      }
      if (!found.length) {
        diagnostics.push(
          diag(
            containerfileCodes.unreadable,
            { path, reason: 'no Containerfile or Dockerfile in this folder' },
            { file: path },
          ),
        );
        return { positions: {}, diagnostics, files: [] };
      }
      main = join(path, found[0]!);
    }
    const text = readInputTextSync(main);
    if (isKargsFile(main) || (main.endsWith('.toml') && /^[^\S\n\r\u2028\u2029]*kargs\s*=/m.test(text)))
      return readKargsOnly(text, main, diagnostics);
    if (/\.(toml|json)$/.test(main)) return readConfigOnly(text, main, diagnostics);
    return readContainerfile(text, main, diagnostics);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    if (e instanceof InputRejected) diagnostics.push(e.diagnostic({ file: path }));
    else diagnostics.push(diag(containerfileCodes.unreadable, { path, reason }, { file: path }));
    return { positions: {}, diagnostics, files: [] };
  }
}

function readContainerfile(text: string, file: string, diagnostics: Diagnostic[]): ReadResult {
  const parsed = parseContainerfile(text, file);
  appendAll(diagnostics, parsed.diagnostics);
  const dir = dirname(resolve(file));
  const inContext = (rel: string) => {
    const full = resolve(dir, rel);
    return full === dir || full.startsWith(`${dir}/`) ? full : undefined;
  };
  const lowered = lowerContainerfile(parsed.ast, file, {
    readText(rel) {
      const full = inContext(rel);
      try {
        return full && statSync(full).isFile() ? readInputTextSync(full) : undefined;
      } catch (e) {
        if (e instanceof InputRejected) throw e;
        return undefined;
      }
    },
    isDirectory(rel) {
      const full = inContext(rel);
      try {
        return Boolean(full && statSync(full).isDirectory());
      } catch {
        return false;
      }
    },
  });
  appendAll(diagnostics, lowered.diagnostics);
  const files = [file, ...lowered.read.map((r) => join(dirname(file), r))];
  const ext: ContainerfileExtension = lowered.ext;
  for (const name of CONFIG_NAMES) {
    const configPath = join(dirname(file), name);
    let configText: string;
    try {
      configText = readInputTextSync(configPath);
    } catch (e) {
      if (e instanceof InputRejected) diagnostics.push(e.diagnostic({ file: configPath }));
      continue;
    }
    if (!/customizations/.test(configText)) continue;
    const result = lowerBibConfig(configText, configPath, lowered.ir, lowered.positions);
    appendAll(diagnostics, result.diagnostics);
    if (result.kept) ext.config = result.kept;
    files.push(configPath);
    break;
  }
  if (Object.keys(ext).length) lowered.ir.extensions.containerfile = ext;
  return finish(lowered.ir, lowered.positions, diagnostics, files);
}

function readConfigOnly(text: string, file: string, diagnostics: Diagnostic[]): ReadResult {
  const ir = emptyIr();
  const positions: PositionTable = {};
  const result = lowerBibConfig(text, file, ir, positions);
  appendAll(diagnostics, result.diagnostics);
  if (result.kept) ir.extensions.containerfile = { config: result.kept } satisfies ContainerfileExtension;
  return finish(ir, positions, diagnostics, [file]);
}

function readKargsOnly(text: string, file: string, diagnostics: Diagnostic[]): ReadResult {
  const ir = emptyIr();
  const positions: PositionTable = {};
  const parsed = parseKargs(text, file);
  appendAll(diagnostics, parsed.diagnostics);
  if (parsed.arches)
    diagnostics.push(
      diag(
        containerfileCodes.multiArchKargs,
        { arches: parsed.arches.join(', ') },
        { file, line: 1, column: 1 },
      ),
    );
  const line = text.split(/\r?\n/).findIndex((l) => /^\s*kargs\s*=/.test(l)) + 1 || 1;
  parsed.kargs.forEach((k, i) => {
    positions[`/system/kernel/cmdline/${i}`] = { file, line, column: 1 };
    ir.system.kernel.cmdline.push(k);
  });
  return finish(ir, positions, diagnostics, [file]);
}

function finish(
  ir: ImageIR,
  positions: PositionTable,
  diagnostics: Diagnostic[],
  files: string[],
): ReadResult {
  const failed = diagnostics.some((d) => d.severity === 'error');
  return failed ? { positions, diagnostics, files } : { ir, positions, diagnostics, files };
}

export const containerfileReader: FormatReader = { detect, read };
