/** Scratch files for the hostile-input tests, removed when the test process exits. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

let root: string | undefined;

export function scratchDir(): string {
  if (!root) {
    root = mkdtempSync(join(tmpdir(), 'imgc-hostile-'));
    const made = root;
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return mkdtempSync(join(root, 'case-'));
}

/** Writes `files` (relative path → text) into a new scratch folder; returns the folder. */
export function scratchTree(files: Record<string, string>): string {
  const dir = scratchDir();
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

export function scratchFile(name: string, text: string): string {
  return join(scratchTree({ [name]: text }), name);
}
