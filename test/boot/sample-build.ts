import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageIR } from '../../src/ir/schema.js';
import { imgcFromSources, runToEnd } from '../helpers/run-to-end.js';
import { repoRoot } from '../helpers/shared.js';
import { markerUnit, markerUnitPath, markerWantsPath } from './marker.js';

export const sampleDefinition = join(repoRoot, 'samples/blueprint/debian-minimal.toml');

export function testCacheDir(): string {
  if (process.env.IMGC_TEST_CACHE) return process.env.IMGC_TEST_CACHE;
  return process.getuid?.() === 0 ? '/var/cache/imgc-test' : join(tmpdir(), 'imgc-test-cache');
}

export async function imgc(
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [node, cliArgs] = imgcFromSources(args);
  return runToEnd(node, cliArgs, { timeoutMs });
}

export interface SampleBuild {
  scratch: string;
  out: string;
  code: number | null;
  log: string;
  seconds: number;
  /** "done in N s" of each output step, by its title */
  stepSeconds: Record<string, number>;
}

/** The sample IR with the marker unit, written to `scratch/image.json`. */
export async function sampleIr(scratch: string, change?: (ir: ImageIR) => void): Promise<string> {
  const inspected = await imgc(['inspect', sampleDefinition, '--json'], 120_000);
  if (inspected.code !== 0) throw new Error(`imgc inspect failed: ${inspected.stderr}`);
  const ir = (JSON.parse(inspected.stdout) as { ir: ImageIR }).ir;
  ir.files.push({ path: markerUnitPath, content: markerUnit, mode: '0644' });
  ir.symlinks.push({ path: markerWantsPath, target: markerUnitPath });
  change?.(ir);
  const definition = join(scratch, 'image.json');
  writeFileSync(definition, JSON.stringify(ir, null, 2));
  return definition;
}

/**
 * `change` edits the IR; fields planned after the tree-cache point (initrd settings) keep the
 * cached tree. A path instead is an IR an earlier build of the test wrote: no second inspect.
 */
export async function buildSample(
  outputs: string[],
  extra: string[],
  timeoutMs: number,
  change?: ((ir: ImageIR) => void) | string,
): Promise<SampleBuild> {
  const scratch = mkdtempSync(join(tmpdir(), `imgc-outputs-${outputs.join('-')}-`));
  const definition = typeof change === 'string' ? change : await sampleIr(scratch, change);
  const out = join(scratch, 'out');
  mkdirSync(out);
  const t0 = Date.now();
  const built = await imgc(
    [
      'build',
      definition,
      '--from',
      'ir',
      '--output',
      outputs.join(','),
      '-o',
      out,
      '--cache-dir',
      join(testCacheDir(), 'imgc'),
      ...extra,
    ],
    timeoutMs,
  );
  const seconds = (Date.now() - t0) / 1000;
  const stepSeconds: Record<string, number> = {};
  for (const m of built.stderr.matchAll(/\] (.+?): done in ([\d.]+) s/g)) stepSeconds[m[1]!] = Number(m[2]);
  console.log(
    `imgc build --output ${outputs.join(',')}: exit ${built.code} after ${seconds.toFixed(1)} s; steps: ${JSON.stringify(stepSeconds)}`,
  );
  return { scratch, out, code: built.code, log: built.stderr, seconds, stepSeconds };
}
