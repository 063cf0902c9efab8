/** Kickstart reader: a .ks file, or a folder holding exactly one. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { coreCodes } from '../../../diagnostics/codes/core.js';
import { discoveryCodes } from '../../../diagnostics/codes/discovery.js';
import { diag } from '../../../diagnostics/define.js';
import type { DetectCandidate, FormatReader, ReadOptions, ReadResult } from '../../contract.js';
import { readKickstartFile } from './read.js';

const KS_NAME = /\.(ks|ks\.in|ks\.cfg)$|^anaconda-ks\.cfg$|^ks\.cfg$/;
const KS_LINE =
  /^[^\S\n\r\u2028\u2029]*(%packages|%post|%pre|%end|%include|%ksappend)\b|^[^\S\n\r\u2028\u2029]*(rootpw|autopart|zerombr|clearpart|bootloader|ostreesetup|liveimg|url)\s/m;

export function detectKickstart(c: DetectCandidate): number {
  if (c.isDirectory) {
    const found = (c.entries ?? []).filter((e) => KS_NAME.test(e)).length;
    // several: claimed weakly, so that reading says which files there are (IMGC1083)
    return found === 1 ? 0.5 : found > 1 ? 0.1 : 0;
  }
  const byName = KS_NAME.test(c.name);
  const byContent = c.head !== undefined && KS_LINE.test(c.head);
  if (byName && byContent) return 0.95;
  if (byName) return 0.8;
  if (byContent && /\.cfg$|^[^.]+$/.test(c.name)) return 0.6;
  return byContent ? 0.3 : 0;
}

async function readKickstart(path: string, options: ReadOptions): Promise<ReadResult> {
  let file = path;
  try {
    if (statSync(path).isDirectory()) {
      const candidates = readdirSync(path)
        .filter((e) => KS_NAME.test(e))
        .sort();
      if (candidates.length !== 1) {
        const d =
          candidates.length === 0
            ? diag(coreCodes.formatUndetected, { path }, { file: path })
            : diag(
                discoveryCodes.severalKickstarts,
                { path, files: candidates.join(', '), example: join(path, candidates[0]!) },
                { file: path },
              );
        return { positions: {}, files: [], diagnostics: [d] };
      }
      file = join(path, candidates[0]!);
    }
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      positions: {},
      files: [],
      diagnostics: [diag(coreCodes.fileNotFound, { path, reason }, { file: path })],
    };
  }
  return readKickstartFile(file, options);
}

export const kickstartReader: FormatReader = { detect: detectKickstart, read: readKickstart };
