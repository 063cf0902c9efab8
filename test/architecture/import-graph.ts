/**
 * The import graph of src/: which module imports which, read from the import and export
 * statements (static, type-only and dynamic `import('…')` alike, since a type-only arrow still
 * ties two layers together), and the checks the architecture test applies to it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface ImportEdge {
  from: string;
  to: string;
  line: number;
}

/** Module paths are `/`-separated, relative to the source root, with the `.ts` extension. */
export type ImportGraph = Map<string, ImportEdge[]>;

const SPECIFIER =
  /(?:^|[\s;}])(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Blanks out comments so that an import written in a doc comment is not read as one. */
function withoutComments(text: string): string {
  return text.replace(
    /\/\*[\s\S]*?\*\/|(^|[^:'"`\\])\/\/[^\n]*/g,
    (match, lead: string | undefined) =>
      (lead ?? '') + match.slice((lead ?? '').length).replace(/[^\n]/g, ' '),
  );
}

/** Relative specifiers of one module, with the line each starts on. */
export function importsOf(text: string): { specifier: string; line: number }[] {
  const clean = withoutComments(text);
  const found: { specifier: string; line: number }[] = [];
  for (const match of clean.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (!specifier?.startsWith('.')) continue;
    const line = clean.slice(0, match.index).split('\n').length + (match[0].startsWith('\n') ? 1 : 0);
    found.push({ specifier, line });
  }
  return found;
}

function sourceFiles(root: string, folder = root): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(root, path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative(root, path)] : [];
  });
}

/** Builds the graph from modules given as path → text (paths relative to one root). */
export function graphOf(modules: Map<string, string>): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const [from, text] of modules) {
    const edges = importsOf(text).map(({ specifier, line }) => {
      const target = join(dirname(from), specifier).replace(/\.js$/, '.ts');
      return { from, to: target, line };
    });
    graph.set(from, edges);
  }
  return graph;
}

export function readGraph(root: string): ImportGraph {
  const modules = new Map<string, string>();
  for (const path of sourceFiles(root))
    modules.set(path.split('\\').join('/'), readFileSync(resolve(root, path), 'utf8'));
  return graphOf(modules);
}

/** Every cycle, each once, as the list of modules it runs through (Tarjan's strongly connected components). */
export function cyclesOf(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const { to } of graph.get(node) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfLoop = (graph.get(node) ?? []).some((e) => e.to === node);
    if (component.length > 1 || selfLoop) components.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

/** A layer: modules whose path matches `pattern`; a module belongs to the first layer it matches. */
export interface Layer {
  name: string;
  pattern: RegExp;
}

export function layerOf(layers: readonly Layer[], path: string): number {
  return layers.findIndex((layer) => layer.pattern.test(path));
}

/** Imports from a lower layer into a higher one, and modules no layer claims. */
export function wrongWayImports(graph: ImportGraph, layers: readonly Layer[]): string[] {
  const problems: string[] = [];
  for (const [from, edges] of graph) {
    const fromLayer = layerOf(layers, from);
    if (fromLayer < 0) {
      problems.push(`${from} belongs to no layer`);
      continue;
    }
    for (const edge of edges) {
      const toLayer = layerOf(layers, edge.to);
      if (toLayer > fromLayer)
        problems.push(
          `${from}:${edge.line} imports ${edge.to}: layer "${layers[fromLayer]!.name}" may not import the higher layer "${layers[toLayer]!.name}"`,
        );
    }
  }
  return problems;
}

/** Imports that resolve to no module. */
export function danglingImports(graph: ImportGraph): string[] {
  return [...graph.values()]
    .flat()
    .filter((edge) => !graph.has(edge.to))
    .map((edge) => `${edge.from}:${edge.line} imports ${edge.to}, which does not exist`);
}

/**
 * Inside `formats/`: a format imports no other format (only `formats/shared/` and what lies
 * below), its reader (`read/`) and writer (`write/`) do not import each other, and the files at
 * the root of its folder (vocabulary, codes, schema tables) import neither; only `format.ts`
 * joins reader and writer.
 */
export function formatBoundaryImports(graph: ImportGraph): string[] {
  const problems: string[] = [];
  const place = (path: string) => {
    const m = /^formats\/([^/]+)\/(?:(read|write)\/)?/.exec(path);
    return m && m[1] !== 'shared' ? { format: m[1]!, side: m[2] } : undefined;
  };
  for (const edge of [...graph.values()].flat()) {
    const from = place(edge.from);
    const to = place(edge.to);
    if (!from || !to) continue;
    const where = `${edge.from}:${edge.line} imports ${edge.to}`;
    if (from.format !== to.format) problems.push(`${where}: a format imports no other format`);
    else if (to.side && from.side && from.side !== to.side)
      problems.push(
        `${where}: the ${from.side === 'read' ? 'reader' : 'writer'} imports the ${to.side === 'read' ? 'reader' : 'writer'}'s internals; move what both need to the format's root`,
      );
    else if (to.side && !from.side && !edge.from.endsWith('/format.ts'))
      problems.push(
        `${where}: a file at the root of a format imports its ${to.side === 'read' ? 'reader' : 'writer'}`,
      );
  }
  return problems;
}
