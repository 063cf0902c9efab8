/** `imgc packages --resolve --json` of a small IR against a local repository, for the family resolve tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR, Repository } from '../../src/ir/schema.js';
import type { FixturePackage } from '../helpers/local-repos.js';
import { runCli } from '../helpers/run-cli.js';

/** Not among the fixture packages every repository holds: a version of its own and a dependency of its own. */
export const versionedPackage: FixturePackage = {
  name: 'imgc-tool',
  version: '2.3.4',
  summary: 'needs imgc-hello, which needs imgc-lib',
  requires: ['imgc-hello'],
  files: { '/usr/share/imgc-tool/tool.txt': 'tool\n' },
};

export interface ResolveReport {
  resolved: {
    tool: string;
    packages: { name: string; version: string; arch?: string; from?: string }[];
  } | null;
  diagnostics: { code: string; message: string }[];
}

export async function resolveIr(
  distribution: ImageIR['distribution'],
  repository: Repository,
  install: string[],
  exclude: string[] = [],
): Promise<{ code: number; report: ResolveReport; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-resolve-test-'));
  const ir = emptyIr();
  ir.distribution = distribution;
  ir.repositories = [repository];
  ir.packages.install = install.map((name) => ({ name }));
  ir.packages.exclude = exclude.map((name) => ({ name }));
  const path = join(dir, 'def.ir.json');
  writeFileSync(path, JSON.stringify(ir));
  const { code, stdout, stderr } = await runCli([
    'packages',
    path,
    '--resolve',
    '--json',
    '--cache-dir',
    join(dir, 'cache'),
  ]).finally(() => rmSync(dir, { recursive: true, force: true }));
  return { code, report: JSON.parse(stdout || '{}') as ResolveReport, stderr };
}
