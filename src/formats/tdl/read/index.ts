/** ImageFactory / Oz TDL reader. */
import { statSync } from 'node:fs';
import { diag } from '../../../diagnostics/define.js';
import { readFailure, readInputText } from '../../../input/bounded.js';
import type { DetectCandidate, FormatReader, ReadResult } from '../../contract.js';
import { tdlCodes } from '../codes.js';
import { lowerTdl } from './lower.js';
import { parseTdlXml } from './xml.js';

function detect(c: DetectCandidate): number {
  if (c.isDirectory) return c.entries?.includes('template.tdl') ? 0.6 : 0;
  if (/\.tdl$/i.test(c.name)) return 0.95;
  if (/\.xml$/i.test(c.name) && /<template[\s>]/.test(c.head ?? '') && /<os>/.test(c.head ?? '')) return 0.7;
  return 0;
}

async function read(input: string): Promise<ReadResult> {
  let file = input;
  let text: string;
  try {
    if (statSync(input).isDirectory()) file = `${input}/template.tdl`;
    text = await readInputText(file);
  } catch (e) {
    return { positions: {}, files: [], diagnostics: [readFailure(e, input)] };
  }
  const parsed = parseTdlXml(text);
  if (!parsed.ok)
    return {
      positions: {},
      files: [file],
      diagnostics: [
        parsed.refusedName
          ? diag(tdlCodes.refusedXmlName, { name: parsed.refusedName }, { file, ...parsed.pos })
          : diag(tdlCodes.xmlMalformed, { detail: parsed.message }, { file, ...parsed.pos }),
      ],
    };
  const lowered = lowerTdl(parsed.root, file);
  const failed = lowered.diagnostics.some((d) => d.severity === 'error');
  return {
    ...(failed ? {} : { ir: lowered.ir }),
    positions: lowered.positions,
    diagnostics: lowered.diagnostics,
    files: [file],
  };
}

export const tdlReader: FormatReader = { detect, read };
