/**
 * Include resolution in rpm-ostree's order. A file's own `include`, then its `arch-include`
 * entry for the base architecture, then the `conditional-include`s whose conditions hold are
 * read depth first; each is merged into the including file: scalars already set in the
 * includer win, lists are the included file's items before the includer's. So the later of two
 * includes comes first, and an includer's postprocess runs after its includes' (treefile.md).
 * Variables: an includer's definitions win over those of the files it includes.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { readFailure, readInputText } from '../../../input/bounded.js';
import { stackOverflowDiagnostic, tooDeepDiagnostic } from '../../../input/nesting.js';
import type { SourcePosition } from '../../../ir/positions.js';
import { previewValue } from '../../shared/preview-value.js';
import { treefileCodes } from '../codes.js';
import { INCLUDE_MAXDEPTH, KEY_ALIASES } from '../vocabulary.js';
import { type Condition, evaluate, parseCondition } from './condition.js';
import { type Parsed, parseTreefileText } from './document.js';

export type VarValue = string | number | boolean;

export interface Item {
  value: unknown;
  at?: SourcePosition;
  /** the treefile it was written in (relative paths in it are relative to its folder) */
  file: string;
}

export interface Merged {
  scalars: Map<string, Item>;
  lists: Map<string, Item[]>;
}

export interface Resolution {
  merged?: Merged;
  variables: Map<string, { value: VarValue; at?: SourcePosition }>;
  diagnostics: Diagnostic[];
  files: string[];
  /** packages-<arch> lists and arch-includes for other architectures, as written */
  otherArch: Record<string, unknown>;
  /** whether a packages-<arch> list or arch-include applied to the architecture read */
  archUsed: boolean;
}

interface Ctx extends Resolution {
  basearch: string;
  seen: Set<string>;
}

export async function resolveTreefile(path: string, basearch: string): Promise<Resolution> {
  const ctx: Ctx = {
    basearch,
    seen: new Set(),
    variables: new Map([['basearch', { value: basearch }]]),
    diagnostics: [],
    files: [],
    otherArch: {},
    archUsed: false,
  };
  const merged = await readOne(path, 0, ctx, undefined);
  return {
    merged,
    variables: ctx.variables,
    diagnostics: ctx.diagnostics,
    files: ctx.files,
    otherArch: ctx.otherArch,
    archUsed: ctx.archUsed,
  };
}

type Doc = {
  value: Record<string, unknown>;
  positions: Record<string, SourcePosition>;
  /** the folder its includes are relative to: the real one, symbolic links followed */
  dir?: string;
};

async function load(path: string, ctx: Ctx, from: SourcePosition | undefined): Promise<Doc | undefined> {
  let text: string;
  let real: string;
  try {
    real = realpathSync(path);
    // a file included again is reported before it is read (3,690 includes of one file read it 3,690 times)
    if (ctx.seen.has(real)) {
      ctx.diagnostics.push(diag(treefileCodes.includeTwice, { path }, from));
      return undefined;
    }
    text = await readInputText(path);
  } catch (e) {
    // the main file: the common refusal (unreadable, too large, not a regular file)
    if (!from) {
      ctx.diagnostics.push(readFailure(e, path));
      return undefined;
    }
    const reason =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((e as Error).message);
    ctx.diagnostics.push(diag(treefileCodes.includeMissing, { path, reason }, from));
    return undefined;
  }
  ctx.seen.add(real);
  ctx.files.push(path);
  const target = /^([^\s:#{}[\]]+\.(?:ya?ml|json))\n?$/.exec(text)?.[1];
  if (target && !isAbsolute(target)) {
    ctx.diagnostics.push(diag(treefileCodes.symlinkStub, { target }, { file: path, line: 1, column: 1 }));
    ctx.seen.delete(real);
    ctx.files.pop();
    return load(join(dirname(path), target), ctx, from);
  }
  const parsed = parseGuarded(text, path, ctx);
  if (!parsed) return undefined;
  if (!parsed.ok) {
    ctx.diagnostics.push(
      diag(
        treefileCodes.syntax,
        { detail: parsed.message },
        { file: path, line: parsed.line, column: parsed.column },
      ),
    );
    return undefined;
  }
  const v = parsed.value;
  if (v === null || v === undefined) return { value: {}, positions: parsed.positions, dir: dirname(real) };
  if (typeof v !== 'object' || Array.isArray(v)) {
    const found = Array.isArray(v) ? 'a list' : `the value ${JSON.stringify(v)}`;
    ctx.diagnostics.push(
      diag(treefileCodes.notAMapping, { found }, parsed.positions[''] ?? { file: path, line: 1, column: 1 }),
    );
    return undefined;
  }
  return { value: v as Record<string, unknown>, positions: parsed.positions, dir: dirname(real) };
}

/**
 * The text parsed, or undefined with IMGC1052 when it nests past the limit: the yaml package's
 * parser recurses per level (a line of 50,000 `- ` overflowed the stack).
 */
function parseGuarded(text: string, path: string, ctx: Ctx): Parsed | undefined {
  const tooDeep = tooDeepDiagnostic(text, 'yaml', path);
  if (tooDeep) {
    ctx.diagnostics.push(tooDeep);
    return undefined;
  }
  try {
    return parseTreefileText(text, path);
  } catch (e) {
    const overflow = stackOverflowDiagnostic(e, text, 'yaml', path);
    if (!overflow) throw e;
    ctx.diagnostics.push(overflow);
    return undefined;
  }
}

function pointerOf(key: string): string {
  return `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Paths named by an include value: a string or a list of strings. */
function includePaths(value: unknown, key: string, ptr: string, doc: Doc, file: string, ctx: Ctx) {
  const out: { path: string; at?: SourcePosition }[] = [];
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!list?.every((x) => typeof x === 'string')) {
    ctx.diagnostics.push(
      diag(
        treefileCodes.wrongType,
        { key, expected: 'a file name or a list of file names' },
        doc.positions[ptr] ?? { file },
      ),
    );
    return out;
  }
  list.forEach((p, i) => {
    out.push({
      path: p,
      at: doc.positions[typeof value === 'string' ? ptr : `${ptr}/${i}`] ?? doc.positions[ptr],
    });
  });
  return out;
}

function ownItems(doc: Doc, file: string, ctx: Ctx): Merged {
  const scalars = new Map<string, Item>();
  const lists = new Map<string, Item[]>();
  const archPackages: Item[] = [];
  for (const [raw, value] of Object.entries(doc.value)) {
    const key = KEY_ALIASES[raw] ?? raw;
    const ptr = pointerOf(raw);
    if (key === 'include' || key === 'arch-include' || key === 'conditional-include' || key === 'variables')
      continue;
    const arch = /^packages-(.+)$/.exec(key)?.[1];
    if (arch) {
      if (arch !== ctx.basearch) {
        ctx.otherArch[key] = [
          ...((ctx.otherArch[key] as unknown[]) ?? []),
          ...(Array.isArray(value) ? value : [value]),
        ];
        ctx.diagnostics.push(diag(treefileCodes.otherArch, { key, arch: ctx.basearch }, doc.positions[ptr]));
        continue;
      }
      if (!Array.isArray(value)) {
        ctx.diagnostics.push(diag(treefileCodes.wrongType, { key, expected: 'a list' }, doc.positions[ptr]));
        continue;
      }
      ctx.archUsed = true;
      for (const [i, v] of value.entries())
        archPackages.push({ value: v, at: doc.positions[`${ptr}/${i}`], file });
      continue;
    }
    if (Array.isArray(value)) {
      lists.set(
        key,
        value.map((v, i) => ({ value: v, at: doc.positions[`${ptr}/${i}`], file })),
      );
    } else scalars.set(key, { value, at: doc.positions[ptr], file });
  }
  if (archPackages.length) lists.set('packages', [...(lists.get('packages') ?? []), ...archPackages]);
  return { scalars, lists };
}

/** rpm-ostree's treefile_merge: the includer (dest) keeps its scalars; lists put the included first. */
function merge(dest: Merged, src: Merged): void {
  for (const [k, v] of src.scalars) if (!dest.scalars.has(k)) dest.scalars.set(k, v);
  for (const [k, v] of src.lists) dest.lists.set(k, [...v, ...(dest.lists.get(k) ?? [])]);
}

function foldVariables(doc: Doc, file: string, ctx: Ctx): void {
  const vars = doc.value.variables;
  const add = (name: string, value: unknown, at?: SourcePosition) => {
    if (ctx.variables.has(name)) return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      ctx.variables.set(name, { value, at });
    else
      ctx.diagnostics.push(
        diag(
          treefileCodes.wrongType,
          { key: `variables.${name}`, expected: 'a boolean, number or string' },
          at ?? { file },
        ),
      );
  };
  if (vars !== undefined) {
    if (vars && typeof vars === 'object' && !Array.isArray(vars)) {
      for (const [k, v] of Object.entries(vars)) add(k, v, doc.positions[`/variables${pointerOf(k)}`]);
    } else
      ctx.diagnostics.push(
        diag(
          treefileCodes.wrongType,
          { key: 'variables', expected: 'a mapping' },
          doc.positions['/variables'] ?? { file },
        ),
      );
  }
  if ('releasever' in doc.value) add('releasever', doc.value.releasever, doc.positions['/releasever']);
}

async function readOne(path: string, depth: number, ctx: Ctx, from: SourcePosition | undefined) {
  if (path.endsWith('.ks')) {
    ctx.diagnostics.push(diag(treefileCodes.kickstartInclude, { path }, from));
    return undefined;
  }
  const doc = await load(path, ctx, from);
  if (!doc) return undefined;
  const own = ownItems(doc, path, ctx);
  foldVariables(doc, path, ctx);
  const includes: { path: string; at?: SourcePosition }[] = [];
  if (doc.value.include !== undefined)
    appendAll(includes, includePaths(doc.value.include, 'include', '/include', doc, path, ctx));
  const archInclude = doc.value['arch-include'];
  if (archInclude !== undefined) {
    if (archInclude && typeof archInclude === 'object' && !Array.isArray(archInclude)) {
      for (const [arch, value] of Object.entries(archInclude)) {
        const ptr = `/arch-include${pointerOf(arch)}`;
        if (arch === ctx.basearch) ctx.archUsed = true;
        if (arch === ctx.basearch)
          appendAll(includes, includePaths(value, 'arch-include', ptr, doc, path, ctx));
        else {
          ctx.otherArch[`arch-include.${arch}`] = value;
          ctx.diagnostics.push(
            diag(
              treefileCodes.otherArch,
              { key: `arch-include.${arch}`, arch: ctx.basearch },
              doc.positions[ptr],
            ),
          );
        }
      }
    } else
      ctx.diagnostics.push(
        diag(
          treefileCodes.wrongType,
          { key: 'arch-include', expected: 'a mapping of architectures to includes' },
          doc.positions['/arch-include'],
        ),
      );
  }
  const conditional = doc.value['conditional-include'];
  if (conditional !== undefined) {
    if (!Array.isArray(conditional)) {
      ctx.diagnostics.push(
        diag(
          treefileCodes.wrongType,
          { key: 'conditional-include', expected: 'a list of {if, include}' },
          doc.positions['/conditional-include'],
        ),
      );
    } else {
      for (const [i, entry] of conditional.entries()) {
        const ptr = `/conditional-include/${i}`;
        if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
          ctx.diagnostics.push(
            diag(
              treefileCodes.wrongType,
              { key: 'conditional-include', expected: 'a list of {if, include}' },
              doc.positions[ptr],
            ),
          );
          continue;
        }
        const e = entry as Record<string, unknown>;
        if (!holds(e.if, `${ptr}/if`, doc, path, ctx)) continue;
        const inc = e.include;
        if (inc && typeof inc === 'object' && !Array.isArray(inc)) {
          merge(
            own,
            ownItems(
              { value: inc as Record<string, unknown>, positions: reroot(doc.positions, `${ptr}/include`) },
              path,
              ctx,
            ),
          );
        } else
          appendAll(includes, includePaths(inc, 'conditional-include', `${ptr}/include`, doc, path, ctx));
      }
    }
  }
  for (const inc of includes) {
    if (depth + 1 > INCLUDE_MAXDEPTH) {
      ctx.diagnostics.push(diag(treefileCodes.includeTooDeep, { depth: INCLUDE_MAXDEPTH }, inc.at));
      break;
    }
    const included = await readOne(join(doc.dir ?? dirname(path), inc.path), depth + 1, ctx, inc.at);
    if (included) merge(own, included);
  }
  return own;
}

/** Positions under `prefix`, re-keyed as if `prefix` were the document root. */
function reroot(positions: Record<string, SourcePosition>, prefix: string): Record<string, SourcePosition> {
  const out: Record<string, SourcePosition> = {};
  for (const [k, v] of Object.entries(positions))
    if (k.startsWith(`${prefix}/`)) out[k.slice(prefix.length)] = v;
  return out;
}

function holds(cond: unknown, ptr: string, doc: Doc, file: string, ctx: Ctx): boolean {
  const list = Array.isArray(cond) ? cond : [cond];
  let all = true;
  for (const [i, c] of list.entries()) {
    const at = doc.positions[Array.isArray(cond) ? `${ptr}/${i}` : ptr] ?? doc.positions[ptr] ?? { file };
    const parsed: Condition | string = typeof c === 'string' ? parseCondition(c) : 'expected a string';
    const result = typeof parsed === 'string' ? parsed : evaluate(parsed, ctx.variables);
    if (typeof result === 'string') {
      ctx.diagnostics.push(
        diag(
          treefileCodes.badCondition,
          { condition: typeof c === 'string' ? c : previewValue(c), reason: result },
          at,
        ),
      );
      return false;
    }
    all &&= result;
  }
  return all;
}
