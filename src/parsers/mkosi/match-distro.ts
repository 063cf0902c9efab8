/**
 * mkosi builds the host's distribution when no `Distribution=` is set. imgc does not assume
 * a host: a main configuration whose `[Match]` names one distribution (`Distribution=fedora`,
 * maybe `Release=41`) says what it is meant for, and is read as if built there.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputRejected, readInputTextSync } from '../../input/bounded.js';

export interface MatchedDistribution {
  distribution: string;
  release?: string;
  file: string;
  line: number;
  column: number;
}

function mainConfig(path: string): string | undefined {
  try {
    if (!statSync(path).isDirectory()) return path;
  } catch {
    return undefined;
  }
  return [join(path, 'mkosi.conf'), join(path, 'mkosi', 'mkosi.conf')].find((f) => existsSync(f));
}

/** The single distribution (and release) the main configuration's [Match] asks for, if it sets none itself. */
export function matchedDistribution(path: string): MatchedDistribution | undefined {
  const file = mainConfig(path);
  if (!file) return undefined;
  let section = '';
  let found: MatchedDistribution | undefined;
  let release: string | undefined;
  let text: string;
  try {
    text = readInputTextSync(file);
  } catch (e) {
    // the reader proper reports a file it may not read (a FIFO, a device, too large)
    if (e instanceof InputRejected) return undefined;
    throw e;
  }
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    const kv = /^(Distribution|Release)\s*=\s*(\S+)\s*$/.exec(line);
    if (!kv) continue;
    if (section === 'Distribution' && kv[1] === 'Distribution') return undefined;
    if (section !== 'Match') continue;
    // a negation, a list or a glob does not name one distribution
    if (/^!|[\s*?,[]/.test(kv[2]!)) continue;
    if (kv[1] === 'Distribution' && !found)
      found = { distribution: kv[2]!, file, line: i + 1, column: raw.indexOf(kv[1]) + 1 };
    if (kv[1] === 'Release') release = kv[2]!;
  }
  return found ? { ...found, ...(release ? { release } : {}) } : undefined;
}
