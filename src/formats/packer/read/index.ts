/** Packer reader: an HCL2 template folder (`*.pkr.hcl`) or a legacy JSON template. */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import { readFailure, readInputText } from '../../../input/bounded.js';
import type { DetectCandidate, FormatReader, ReadResult } from '../../contract.js';
import { packerCodes } from '../codes.js';
import { lowerTemplate } from './lower.js';
import { hclTemplate, jsonTemplate, type Loaded } from './template.js';

const HCL_FILE = /\.pkr\.hcl$|\.auto\.pkrvars\.hcl$/;
const JSON_HINT = /"builders"\s*:\s*\[/;

function detect(c: DetectCandidate): number {
  if (c.isDirectory) return (c.entries ?? []).some((e) => e.endsWith('.pkr.hcl')) ? 0.8 : 0;
  if (c.name.endsWith('.pkr.hcl')) return 1;
  if (c.name.endsWith('.pkr.json')) return 1;
  if (c.name.endsWith('.json') && JSON_HINT.test(c.head ?? '')) return 0.9;
  return 0;
}

/** The files Packer reads for `path`: a folder's (or a .pkr.hcl file's folder's) HCL files, or one JSON file. */
async function filesOf(path: string): Promise<{ syntax: 'hcl' | 'json'; files: string[] }> {
  const isDir = statSync(path).isDirectory();
  if (!isDir && !path.endsWith('.hcl')) return { syntax: 'json', files: [path] };
  const dir = isDir ? path : dirname(path);
  const siblings = readdirSync(dir)
    .filter((e) => HCL_FILE.test(e))
    .sort();
  const files = siblings.map((e) => join(dir, e));
  if (!isDir)
    files.sort((a, b) => Number(basename(b) === basename(path)) - Number(basename(a) === basename(path)));
  return { syntax: 'hcl', files: files.length ? files : [path] };
}

async function read(path: string): Promise<ReadResult> {
  let loaded: Loaded;
  let files: string[] = [path];
  try {
    const found = await filesOf(path);
    files = found.files;
    const texts = await Promise.all(
      files.map(async (file) => ({ file, text: (await readInputText(file)).replace(/^\uFEFF/, '') })),
    );
    loaded = found.syntax === 'json' ? jsonTemplate(texts[0]!.text, files[0]!) : hclTemplate(texts);
  } catch (e) {
    return { positions: {}, diagnostics: [readFailure(e, path)], files };
  }
  if (!loaded.ok)
    return {
      positions: {},
      diagnostics: [
        diag(packerCodes.syntax, { language: loaded.language, detail: loaded.detail }, loaded.at),
      ],
      files,
    };
  const lowered = lowerTemplate(loaded.template);
  return { ...lowered, files };
}

export const packerReader: FormatReader = { detect, read: (path) => read(path) };
