/**
 * Child of host-escape.test.ts: builds an IR straight through the planner and executor (past
 * the readers' IMGC1041 checks, so the build's own confinement is what is tested) and prints
 * the outcome as JSON. Arguments: <ir.json> <source dir> <output dir> <cache dir>.
 */
import { readFileSync } from 'node:fs';
import { BackendRegistry, localHost } from '../../src/backends/registry.js';
import { executeBuild } from '../../src/exec/executor.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { planBuild } from '../../src/plan/planner.js';

const [irPath, sourceDir, outputDir, cacheDir] = process.argv.slice(2) as [string, string, string, string];
const backends = new BackendRegistry();
const planned = await planBuild({
  ir: JSON.parse(readFileSync(irPath, 'utf8')) as ImageIR,
  backends,
  host: localHost(),
  sourceDir,
  outputs: ['directory'],
  sourceDateEpoch: 1_700_000_000,
});
const planErrors = planned.diagnostics.filter((d) => d.severity === 'error');
if (!planned.plan || planErrors.length) {
  process.stdout.write(JSON.stringify({ ok: false, diagnostics: planErrors }));
} else {
  const result = await executeBuild(planned.plan, {
    cacheDir,
    outputDir,
    backends,
    positions: {},
    signal: new AbortController().signal,
    onEvent: () => {},
  });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  process.stdout.write(JSON.stringify({ ok: result.ok, diagnostics: errors }));
}
