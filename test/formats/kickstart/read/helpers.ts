import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadResult } from '../../../../src/formats/contract.js';
import { readKickstartFile } from '../../../../src/formats/kickstart/read/read.js';

const VERSION_NOTE = 'IMGC5030';

/**
 * Reads kickstart text from a temporary file with the given version. The note that says the
 * version came from --ks-version is left out (infer-version.test.ts checks it).
 */
export function readText(text: string, ksVersion = 'F43'): ReadResult {
  const result = readInferred(text, { ksVersion });
  return { ...result, diagnostics: result.diagnostics.filter((d) => d.code !== VERSION_NOTE) };
}

/** Reads kickstart text as `imgc inspect` does: every diagnostic kept, the version inferred unless given. */
export function readInferred(text: string, options: Record<string, string> = {}): ReadResult {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-ks-'));
  try {
    const file = join(dir, 'ks.cfg');
    writeFileSync(file, text);
    return readKickstartFile(file, { options });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const codes = (r: ReadResult) => r.diagnostics.map((d) => d.code);
export const errors = (r: ReadResult) => r.diagnostics.filter((d) => d.severity === 'error');
