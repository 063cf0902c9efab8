/** virt-builder reader: an index (or index fragment, or clearsigned index.asc), a virt-customize command file, or a preseed template. */
import { statSync } from 'node:fs';
import { readFailure, readInputText } from '../../../input/bounded.js';
import type { DetectCandidate, FormatReader, ReadResult } from '../../contract.js';
import { COMMANDS } from '../vocabulary.js';
import { parseCommands } from './commands.js';
import { parseIndex } from './index-file.js';
import { type Lowered, lowerCommands, lowerIndex, lowerPreseed } from './lower.js';
import { parsePreseed } from './preseed.js';

type Kind = 'index' | 'commands' | 'preseed';

const INDEX_NAME = /(^index(\.asc)?$|\.index(-fragment)?$)/;

/**
 * The lines of `head` that are neither blank nor comments, trimmed, read only as far as asked:
 * every definition of a batch is detected, and most are told apart by their first line.
 */
function* meaningful(head: string): Generator<string> {
  for (let start = 0; start <= head.length; ) {
    const newline = head.indexOf('\n', start);
    const end = newline < 0 ? head.length : newline;
    // a \r before the \n is trimmed with the other white space
    const line = head.slice(start, end).trim();
    if (line && !line.startsWith('#')) yield line;
    start = end + 1;
  }
}

function everyLine(head: string, test: (line: string) => boolean): boolean {
  for (const line of meaningful(head)) if (!test(line)) return false;
  return true;
}

function someLine(head: string, test: (line: string) => boolean): boolean {
  return !everyLine(head, (line) => !test(line));
}

function kindOf(name: string, head: string): { kind: Kind; confidence: number } | undefined {
  if (INDEX_NAME.test(name)) return { kind: 'index', confidence: 0.9 };
  if (/\.preseed$|^preseed\.cfg$/.test(name)) return { kind: 'preseed', confidence: 0.9 };
  if (/\.virt-customize$/.test(name)) return { kind: 'commands', confidence: 0.9 };
  const first = meaningful(head).next().value;
  if (first === undefined) return undefined;
  if (first === '-----BEGIN PGP SIGNED MESSAGE-----' && /^\[[^\]]+\]$/m.test(head) && /^file=/m.test(head))
    return { kind: 'index', confidence: 0.7 };
  if (/^\[[^\]]+\]$/.test(first) && /^(osinfo|file|format|expand)=/m.test(head))
    return { kind: 'index', confidence: 0.6 };
  if (
    everyLine(head, (l) => /^d-i\s|^\S+\s+\S+\/\S+\s+\S+/.test(l)) &&
    someLine(head, (l) => l.startsWith('d-i '))
  )
    return { kind: 'preseed', confidence: 0.6 };
  if (everyLine(head, (l) => COMMANDS.has(l.split(/\s/)[0]!))) return { kind: 'commands', confidence: 0.5 };
  return undefined;
}

function detect(c: DetectCandidate): number {
  if (c.isDirectory)
    return c.entries?.includes('customize.virt-customize') ? 0.6 : c.entries?.includes('index') ? 0.5 : 0;
  return kindOf(c.name, c.head ?? '')?.confidence ?? 0;
}

async function read(input: string): Promise<ReadResult> {
  const file = input;
  let text: string;
  try {
    if (statSync(input).isDirectory()) return readWritten(input);
    text = await readInputText(file);
  } catch (e) {
    return { positions: {}, files: [], diagnostics: [readFailure(e, input)] };
  }
  const name = file.split('/').pop()!;
  const kind = kindOf(name, text.slice(0, 8192))?.kind ?? 'commands';
  return result(lowerKind(kind, text, file), [file]);
}

function lowerKind(kind: Kind, raw: string, file: string): Lowered {
  const text = raw.replace(/^\uFEFF/, '');
  if (kind === 'index') {
    const parsed = parseIndex(text, file);
    const lowered = lowerIndex(parsed.sections);
    return { ...lowered, diagnostics: [...parsed.diagnostics, ...lowered.diagnostics] };
  }
  if (kind === 'preseed') {
    const parsed = parsePreseed(text, file);
    const lowered = lowerPreseed(parsed.answers);
    return { ...lowered, diagnostics: [...parsed.diagnostics, ...lowered.diagnostics] };
  }
  const parsed = parseCommands(text, file);
  const lowered = lowerCommands(parsed.commands);
  return { ...lowered, diagnostics: [...parsed.diagnostics, ...lowered.diagnostics] };
}

function result(lowered: Lowered, files: string[]): ReadResult {
  const failed = lowered.diagnostics.some((d) => d.severity === 'error');
  return {
    ...(failed ? {} : { ir: lowered.ir }),
    positions: lowered.positions,
    diagnostics: lowered.diagnostics,
    files,
  };
}

/** What the writer makes: `index` (the template's entry) and/or `customize.virt-customize` (its commands), merged. */
async function readWritten(dir: string): Promise<ReadResult> {
  const { existsSync } = await import('node:fs');
  const indexFile = `${dir}/index`;
  const commandsFile = `${dir}/customize.virt-customize`;
  const files = [indexFile, commandsFile].filter((f) => existsSync(f));
  if (files.length === 0) return read(indexFile);
  let index: Lowered | undefined;
  let commands: Lowered | undefined;
  try {
    if (existsSync(indexFile)) index = lowerKind('index', await readInputText(indexFile), indexFile);
    if (existsSync(commandsFile))
      commands = lowerKind('commands', await readInputText(commandsFile), commandsFile);
  } catch (e) {
    return { positions: {}, files: [], diagnostics: [readFailure(e, dir)] };
  }
  if (!index || !commands) return result((index ?? commands)!, files);
  const ir = commands.ir;
  if (index.ir.metadata) ir.metadata = index.ir.metadata;
  ir.distribution = index.ir.distribution;
  if (index.ir.storage) ir.storage = index.ir.storage;
  const indexExt = index.ir.extensions['virt-builder'] as Record<string, unknown> | undefined;
  if (indexExt) ir.extensions['virt-builder'] = { ...indexExt, ...(ir.extensions['virt-builder'] ?? {}) };
  return result(
    {
      ir,
      positions: { ...index.positions, ...commands.positions },
      diagnostics: [...index.diagnostics, ...commands.diagnostics],
    },
    files,
  );
}

export const virtBuilderReader: FormatReader = { detect, read };
