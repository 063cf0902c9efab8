import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared.js';
import {
  cyclesOf,
  danglingImports,
  formatBoundaryImports,
  graphOf,
  importsOf,
  type Layer,
  readGraph,
  wrongWayImports,
} from './import-graph.js';

/** Bottom to top: a module may import its own layer and the layers before it. See docs/architecture.md. */
const LAYERS: Layer[] = [
  { name: 'lib', pattern: /^lib\// },
  { name: 'diagnostics', pattern: /^diagnostics\// },
  { name: 'ir', pattern: /^ir\// },
  { name: 'distros', pattern: /^distros\// },
  { name: 'input', pattern: /^input\// },
  { name: 'formats/contract', pattern: /^formats\/contract\.ts$/ },
  { name: 'formats/shared', pattern: /^formats\/shared\// },
  { name: 'a format', pattern: /^formats\/[^/]+\// },
  { name: 'formats (registry, load, translate)', pattern: /^formats\/[^/]+\.ts$/ },
  {
    name: 'build (plan, exec, backends, outputs, boot, golden)',
    pattern: /^(plan|exec|backends|outputs|boot|golden)\//,
  },
  { name: 'plugins', pattern: /^plugins\// },
  { name: 'fleet', pattern: /^fleet\// },
  { name: 'cli', pattern: /^(cli\/|schemas\.ts$)/ },
  { name: 'package entry', pattern: /^(api\/|index\.ts$)/ },
];

/**
 * Wrong-way imports tolerated for now, listed exactly so that a new one fails and a fixed one
 * must be taken off the list. None today: the writers' distribution defaults live in src/distros.
 */
const KNOWN_WRONG_WAY: string[] = [];

const withoutLine = (problem: string) =>
  problem.replace(/:\d+ imports /, ' imports ').replace(/: layer .*$/, '');

describe('the import graph of src/', () => {
  const graph = readGraph(resolve(repoRoot, 'src'));

  it('reads every module and every import resolves', () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(danglingImports(graph)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cyclesOf(graph).map((c) => c.join(' → '))).toEqual([]);
  });

  it('imports only downwards through the layers', () => {
    const problems = wrongWayImports(graph, LAYERS);
    const unexpected = problems.filter((p) => !KNOWN_WRONG_WAY.includes(withoutLine(p)));
    expect(unexpected).toEqual([]);
    expect(problems.map(withoutLine).sort()).toEqual([...KNOWN_WRONG_WAY].sort());
  });

  it('keeps each format to its own folder, and its reader and writer apart', () => {
    expect(formatBoundaryImports(graph)).toEqual([]);
  });

  it('misses no import that esbuild, a real parser, finds (type-only imports it erases are extra)', async () => {
    const src = resolve(repoRoot, 'src');
    const modules = [...graph.keys()].map((path) => join(src, path));
    const { metafile } = await build({
      entryPoints: modules,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outdir: join(repoRoot, 'out/import-graph-check'),
      logLevel: 'silent',
    });
    const inSrc = (path: string) => relative(src, resolve(repoRoot, path));
    const seen = Object.entries(metafile.inputs).flatMap(([input, { imports }]) =>
      imports.filter((i) => !i.external).map((i) => `${inSrc(input)} imports ${inSrc(i.path)}`),
    );
    const missed = seen.filter((edge) => {
      const [from, to] = edge.split(' imports ');
      return !graph.get(from!)?.some((e) => e.to === to);
    });
    expect(seen.length).toBeGreaterThan(500);
    expect(missed).toEqual([]);
  });
});

describe('the import-graph checks', () => {
  const graph = (modules: Record<string, string>) => graphOf(new Map(Object.entries(modules)));

  it('reads static, type-only, re-exporting and dynamic imports, and not those in comments', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      'import {',
      '  c,',
      "} from './c.js';",
      "export { d } from './d.js';",
      "export * from './e.js';",
      "import './f.js';",
      "const g = await import('./g.js');",
      "// import { h } from './h.js';",
      "/** import { i } from './i.js'; */",
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { specifier: './a.js', line: 1 },
      { specifier: '../b.js', line: 2 },
      { specifier: './c.js', line: 3 },
      { specifier: './d.js', line: 6 },
      { specifier: './e.js', line: 7 },
      { specifier: './f.js', line: 8 },
      { specifier: './g.js', line: 9 },
    ]);
  });

  it('finds a cycle, type-only imports included', () => {
    const cyclic = graph({
      'formats/load.ts': "import { r } from './registry.js';",
      'formats/registry.ts': "import { m } from './x/format.js';",
      'formats/x/format.ts': "import type { L } from '../load.js';",
      'formats/contract.ts': '',
    });
    expect(cyclesOf(cyclic)).toEqual([['formats/load.ts', 'formats/registry.ts', 'formats/x/format.ts']]);
    expect(cyclesOf(graph({ 'a.ts': "import './a.js';" }))).toEqual([['a.ts']]);
    expect(cyclesOf(graph({ 'a.ts': "import './b.js';", 'b.ts': '' }))).toEqual([]);
  });

  it('names a wrong-way import and a module outside every layer', () => {
    const problems = wrongWayImports(
      graph({
        'diagnostics/render.ts': "import { LineIndex } from '../ir/positions.js';",
        'ir/positions.ts': '',
        'elsewhere/x.ts': '',
      }),
      LAYERS,
    );
    expect(problems).toEqual([
      'diagnostics/render.ts:1 imports ir/positions.ts: layer "diagnostics" may not import the higher layer "ir"',
      'elsewhere/x.ts belongs to no layer',
    ]);
  });

  it('names a writer that imports reader internals, and one format importing another', () => {
    const problems = formatBoundaryImports(
      graph({
        'formats/mkosi/write/raise.ts': "import { SCRIPT_PHASES } from '../read/lower.js';",
        'formats/mkosi/read/lower.ts': "import { x } from '../vocabulary.js';",
        'formats/mkosi/vocabulary.ts': "import { y } from '../kiwi/ast.js';",
        'formats/mkosi/format.ts': "import './read/lower.js';\nimport './write/raise.js';",
        'formats/kiwi/ast.ts': '',
      }),
    );
    expect(problems).toEqual([
      "formats/mkosi/write/raise.ts:1 imports formats/mkosi/read/lower.ts: the writer imports the reader's internals; move what both need to the format's root",
      'formats/mkosi/vocabulary.ts:1 imports formats/kiwi/ast.ts: a format imports no other format',
    ]);
  });

  it('finds an import of a module that does not exist', () => {
    expect(danglingImports(graph({ 'a.ts': "import './gone.js';" }))).toEqual([
      'a.ts:1 imports gone.ts, which does not exist',
    ]);
  });
});
