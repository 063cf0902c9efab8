/**
 * The published package as a user gets it: `npm run build`, `npm pack`, then `npm install` of the
 * tarball into a scratch copy of test/package/consumer (offline: imgc's own dependencies are
 * packed from the installed node_modules and installed beside it), used from JavaScript ESM and
 * type-checked from TypeScript by tsc against the shipped declarations.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared.js';

interface PackedFile {
  path: string;
}

let scratch: string;
let tarball: string;
let packed: string[];

// asynchronous, so the vitest worker stays responsive through a minute of build, pack and install
const npm = async (args: string[], cwd: string) =>
  (await promisify(execFile)('npm', args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 })).stdout;

/** The folders of imgc's runtime dependencies and theirs, as installed (nested node_modules honoured). */
function runtimeClosure(names: string[], from = repoRoot, seen = new Map<string, string>()): string[] {
  for (const name of names) {
    let dir = from;
    let found: string | undefined;
    while (!found) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) found = candidate;
      else if (dir === repoRoot || dir === '/') break;
      else dir = join(dir, '..');
    }
    if (!found) throw new Error(`dependency ${name} is not installed (needed from ${from})`);
    if (seen.has(found)) continue;
    seen.set(found, name);
    const pkg = JSON.parse(readFileSync(join(found, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    runtimeClosure(Object.keys(pkg.dependencies ?? {}), found, seen);
  }
  return [...seen.keys()];
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'imgc-package-'));
  await npm(['run', 'build'], repoRoot);
  const out = JSON.parse(
    await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], repoRoot),
  ) as {
    filename: string;
    files: PackedFile[];
  }[];
  tarball = join(scratch, out[0]!.filename);
  packed = out[0]!.files.map((f) => f.path);
  const own = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  // the TypeScript consumer needs Node's types too, as any TypeScript user of a Node library does
  const deps = runtimeClosure([...Object.keys(own.dependencies), '@types/node']);
  await npm(['pack', '--ignore-scripts', '--pack-destination', scratch, ...deps], scratch);
  cpSync(join(repoRoot, 'test/package/consumer'), join(scratch, 'consumer'), { recursive: true });
  const tarballs = readdirSync(scratch)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => join(scratch, f));
  await npm(
    ['install', '--offline', '--no-audit', '--no-fund', '--no-save', ...tarballs],
    join(scratch, 'consumer'),
  );
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the bundle once (with its chunks), declarations, the checker, schemas, LICENSE and README, and no sources or maps', () => {
    expect(packed).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/imgc.js']));
    expect(packed).toContain('dist/cli/imgc.mjs');
    expect(packed).toContain('dist/ir/ir-checker.generated.cjs');
    expect(packed).toContain('dist/index.d.ts');
    expect(packed).toContain('schemas/ir.schema.json');
    const javascript = packed.filter((p) => /\.(m|c)?js$/.test(p));
    // the bundle's chunks (code only some commands load, decision 0131) sit beside it: all of them
    const chunks = readdirSync(join(repoRoot, 'dist/cli'))
      .filter((f) => /^imgc-.+\.mjs$/.test(f))
      .map((f) => `dist/cli/${f}`);
    expect(chunks.length).toBeGreaterThan(0);
    expect(javascript.sort()).toEqual(
      ['bin/imgc.js', 'dist/cli/imgc.mjs', ...chunks, 'dist/ir/ir-checker.generated.cjs'].sort(),
    );
    expect(packed.filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(packed.filter((p) => p.startsWith('src/') || p.startsWith('test/'))).toEqual([]);
    expect(readFileSync(join(repoRoot, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
    const declared = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { license: string };
    expect(declared.license).toBe('Apache-2.0');
    console.log(`npm pack: ${packed.length} files in ${tarball.split('/').at(-1)}`);
  });

  it('runs the installed CLI through its bin link', () => {
    const bin = join(scratch, 'consumer/node_modules/.bin/imgc');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(version.status, version.stderr).toBe(0);
    const own = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(own.version);
  });
});

describe('the installed package as a library', () => {
  it('reads, translates, diffs and plans from JavaScript ESM', () => {
    const sample = join(repoRoot, 'samples/blueprint/debian-minimal.toml');
    const kickstart = join(repoRoot, 'samples/kickstart/imgc-sample.ks');
    const run = spawnSync(process.execPath, ['use-from-js.mjs', sample, kickstart], {
      cwd: join(scratch, 'consumer'),
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const seen = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(seen.format).toBe('blueprint');
    expect(seen.distribution).toMatchObject({ id: 'debian' });
    expect(seen.packages).toEqual(expect.arrayContaining(['systemd']));
    expect(seen.mkosiFiles).toContain('mkosi.conf');
    expect(seen.kiwiFiles).toContain('config.xml');
    expect(seen.unknownFormat).toEqual(['IMGC1004']);
    expect(seen.selfDiffEqual).toBe(true);
    expect(seen.planSteps).toEqual(expect.arrayContaining(['bootstrap', 'output-tar']));
    expect(seen.mkosiCapabilities).toBeGreaterThan(10);
    expect(seen.kickstartErrors).toEqual([]);
    expect(seen.kickstartPackages).toBeGreaterThan(0);
    expect(seen.summaryUsers).toEqual(['imgc:hashed password']);
  });

  it('type-checks a TypeScript consumer against the shipped declarations', () => {
    const tsc = join(repoRoot, 'node_modules/.bin/tsc');
    const run = spawnSync(tsc, ['-p', join(scratch, 'consumer/tsconfig.json')], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
