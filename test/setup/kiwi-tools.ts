/**
 * Makes sure the tools the KIWI validation tests need are on the host: `xmllint`
 * (libxml2-utils), Debian's `kiwi` package (its library and the schema 7.5 RelaxNG) and
 * python3-lxml (schematron).
 * Installs them with apt-get only when they are missing (the suite runs as root). Usable
 * as a vitest globalSetup (default export) or called from a test file's beforeAll.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../helpers/shared.js';

export const KIWI_85_RNG = join(sharedDir, 'reference/schemas/kiwi-8.5.rng');
export const KIWI_75_RNG = '/usr/lib/python3/dist-packages/kiwi/schema/kiwi.rng';
const LXML_ISOSCHEMATRON = '/usr/lib/python3/dist-packages/lxml/isoschematron';

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function ensureKiwiTools(): void {
  const missing: string[] = [];
  if (!hasCommand('xmllint')) missing.push('libxml2-utils');
  if (!existsSync(KIWI_75_RNG)) missing.push('kiwi');
  if (!existsSync(LXML_ISOSCHEMATRON)) missing.push('python3-lxml');
  if (missing.length === 0) return;
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'ignore' });
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'ignore' });
  }
}

/** xmllint's verdict on one file: undefined when valid, else its first error lines. */
export function relaxngErrors(rng: string, file: string): string | undefined {
  try {
    execFileSync('xmllint', ['--noout', '--relaxng', rng, file], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    const err = e as { stderr?: Buffer };
    return String(err.stderr ?? e)
      .split('\n')
      .slice(0, 4)
      .join('\n');
  }
}

export default function setup(): void {
  ensureKiwiTools();
}
