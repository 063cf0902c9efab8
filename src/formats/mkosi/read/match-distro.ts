/**
 * mkosi builds the host's distribution when no `Distribution=` is set. imgc does not assume
 * a host: a main configuration whose `[Match]` names one distribution (`Distribution=fedora`,
 * maybe `Release=41`) says what it is meant for, and is read as if built there.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputRejected, readInputTextSync } from '../../../input/bounded.js';
import { parseIni } from './ini.js';

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
  let text: string;
  try {
    text = readInputTextSync(file);
  } catch (e) {
    // the reader proper reports a file it may not read (a FIFO, a device, too large)
    if (e instanceof InputRejected) return undefined;
    throw e;
  }
  let found: MatchedDistribution | undefined;
  let release: string | undefined;
  for (const e of parseIni(text).events) {
    if (e.kind !== 'assign' || (e.key !== 'Distribution' && e.key !== 'Release')) continue;
    if (e.section === 'Distribution' && e.key === 'Distribution') return undefined;
    if (e.section !== 'Match') continue;
    // a negation, a list or a glob does not name one distribution
    if (e.value === '' || /^!|[\s*?,[]/.test(e.value)) continue;
    if (e.key === 'Distribution' && !found)
      found = { distribution: e.value, file, line: e.keyAt.line, column: e.keyAt.column };
    if (e.key === 'Release') release = e.value;
  }
  return found ? { ...found, ...(release ? { release } : {}) } : undefined;
}
