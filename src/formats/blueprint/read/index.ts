/**
 * osbuild blueprint reader, TOML (`blueprint`) and JSON (`blueprint-json`): composer
 * blueprints, bootc-image-builder configs, bib's legacy `{"blueprint": …}` wrapper and the
 * images CI build configs `{name, blueprint, options}`.
 */

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { coreCodes } from '../../../diagnostics/codes/core.js';
import { diag } from '../../../diagnostics/define.js';
import { appendAll } from '../../../input/append.js';
import { readFailure, readInputTextSync } from '../../../input/bounded.js';
import { tooDeepDiagnostic } from '../../../input/nesting.js';
import { inferFromRepositories } from '../../../ir/distro-defaults.js';
import type { DetectCandidate, FormatReader, ReadOptions, ReadResult } from '../../contract.js';
import { blueprintCodes } from '../codes.js';
import { parseJsonDocument, parseTomlDocument } from './document.js';
import { lowerBlueprint } from './lower.js';

export type Syntax = 'toml' | 'json';

const TOML_HINTS =
  /^[^\S\n\r\u2028\u2029]*(name\s*=|\[\[packages\]\]|\[\[groups\]\]|\[customizations[.\]]|\[\[customizations\.)/m;
const JSON_HINTS = /"(customizations|packages|blueprint|distro|enabled_modules)"\s*:/;
const FOLDER_FILES: Record<Syntax, string[]> = {
  toml: ['blueprint.toml', 'config.toml'],
  json: ['blueprint.json', 'config.json'],
};

export function blueprintReader(syntax: Syntax): FormatReader {
  return {
    detect: (c) => detect(c, syntax),
    read: (path, options) => read(path, syntax, options),
  };
}

function detect(c: DetectCandidate, syntax: Syntax): number {
  if (c.isDirectory) return c.entries?.some((e) => FOLDER_FILES[syntax].includes(e)) ? 0.4 : 0;
  const ext = c.name.toLowerCase().split('.').pop();
  const head = c.head ?? '';
  if (syntax === 'toml') {
    if (ext === 'toml') return TOML_HINTS.test(head) ? 0.9 : 0.5;
    return 0;
  }
  if (ext === 'json') return JSON_HINTS.test(head) ? 0.9 : 0.3;
  return 0;
}

async function resolveFile(path: string, syntax: Syntax): Promise<string> {
  if (!statSync(path).isDirectory()) return path;
  const entries = readdirSync(path);
  const found = FOLDER_FILES[syntax].find((f) => entries.includes(f));
  if (!found)
    throw Object.assign(new Error(`no ${FOLDER_FILES[syntax].join(' or ')} in the folder`), {
      code: 'ENOENT',
    });
  return join(path, found);
}

const SOURCE: Record<Syntax, string> = { toml: 'blueprint', json: 'blueprint-json' };

async function read(path: string, syntax: Syntax, options: ReadOptions): Promise<ReadResult> {
  let file: string;
  let text: string;
  try {
    file = await resolveFile(path, syntax);
    text = readInputTextSync(file);
  } catch (e) {
    return { positions: {}, files: [], diagnostics: [readFailure(e, path)] };
  }
  const tooDeep = tooDeepDiagnostic(text, syntax, file);
  if (tooDeep) return { positions: {}, files: [file], diagnostics: [{ ...tooDeep, source: SOURCE[syntax] }] };
  const parsed = syntax === 'toml' ? parseTomlDocument(text, file) : parseJsonDocument(text, file);
  if (!parsed.ok) {
    const d = diag(
      blueprintCodes.syntax,
      { language: syntax.toUpperCase(), detail: parsed.message },
      { file, line: parsed.line, column: parsed.column },
      { source: SOURCE[syntax] },
    );
    return { positions: {}, files: [file], diagnostics: [d] };
  }
  const ctx = lowerBlueprint(parsed.value, file, parsed.positions);
  for (const name of options.profiles ?? []) {
    ctx.diagnostics.push(
      diag(coreCodes.unknownProfile, { name, known: '' }, { file }, { hint: 'blueprints have no profiles' }),
    );
  }
  appendAll(ctx.diagnostics, inferFromRepositories(ctx.ir, ctx.positions));
  return { ir: ctx.ir, positions: ctx.positions, diagnostics: ctx.diagnostics, files: [file] };
}
