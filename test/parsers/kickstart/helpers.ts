import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadResult } from '../../../src/formats/contract.js';
import { readKickstartFile } from '../../../src/parsers/kickstart/read.js';

/** Reads kickstart text from a temporary file with the given version. */
export function readText(text: string, ksVersion = 'F43'): ReadResult {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-ks-'));
  try {
    const file = join(dir, 'ks.cfg');
    writeFileSync(file, text);
    return readKickstartFile(file, { options: { ksVersion } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const codes = (r: ReadResult) => r.diagnostics.map((d) => d.code);
export const errors = (r: ReadResult) => r.diagnostics.filter((d) => d.severity === 'error');
