/** `imgc diff <a> <b>`: a semantic diff of two definitions in any formats. */
import { isSecretPath, REDACTED } from '../diagnostics/redact.js';
import { hasErrors } from '../diagnostics/types.js';
import { loadDefinition } from '../formats/load.js';
import type { FormatRegistry } from '../formats/registry.js';
import { diffIr, type IrChange } from '../ir/diff.js';
import { type PositionTable, positionOf } from '../ir/positions.js';
import { type FormatFlags, formatOptionsFrom } from './options.js';
import { EXIT, type Io, printDiagnostics, printJson, shown } from './output.js';

export interface DiffFlags extends FormatFlags {
  fromA?: string;
  fromB?: string;
  profileA?: string[];
  profileB?: string[];
  common?: boolean;
  json?: boolean;
}

interface Located extends IrChange {
  atA?: string;
  atB?: string;
}

/** Exit 0 when equal, 1 when they differ, 2 when an input cannot be read or a flag is wrong. */
export async function runDiff(
  io: Io,
  registry: FormatRegistry,
  pathA: string,
  pathB: string,
  opts: DiffFlags,
): Promise<number> {
  const options = formatOptionsFrom(opts);
  const [a, b] = await Promise.all([
    loadDefinition(registry, pathA, { from: opts.fromA, profiles: opts.profileA ?? [], options }),
    loadDefinition(registry, pathB, { from: opts.fromB, profiles: opts.profileB ?? [], options }),
  ]);
  const readDiagnostics = [...a.diagnostics, ...b.diagnostics];
  if (!a.ir || !b.ir || hasErrors(readDiagnostics)) {
    if (opts.json) printJson(io, { equal: null, changes: [], diagnostics: readDiagnostics });
    else printDiagnostics(io, readDiagnostics);
    return EXIT.usage;
  }
  const restrictTo = opts.common
    ? commonTables(a.format?.writer?.capabilities, b.format?.writer?.capabilities)
    : undefined;
  const found = diffIr(a.ir, b.ir, restrictTo ? { restrictTo } : {});
  const changes: Located[] = (io.showSecrets ? found : shown(io, found.map(hideSecretFields))).map((c) =>
    locate(c, a.positions, b.positions),
  );
  if (opts.json) {
    printJson(io, {
      equal: changes.length === 0,
      a: { path: pathA, format: a.format?.id ?? null },
      b: { path: pathB, format: b.format?.id ?? null },
      common: Boolean(opts.common),
      changes,
    });
  } else {
    io.stdout(renderChanges(changes, pathA, pathB));
  }
  return changes.length ? EXIT.inputErrors : EXIT.ok;
}

/** A changed password shows as changed, with neither value. */
function hideSecretFields(c: IrChange): IrChange {
  if (!c.fields?.some((f) => isSecretPath(f.field))) return c;
  const hide = (v: unknown) => (v === undefined ? v : REDACTED);
  return {
    ...c,
    fields: c.fields.map((f) => (isSecretPath(f.field) ? { ...f, a: hide(f.a), b: hide(f.b) } : f)),
  };
}

function commonTables(x?: readonly string[], y?: readonly string[]): (readonly string[])[] | undefined {
  const tables = [x, y].filter((t): t is readonly string[] => t !== undefined);
  return tables.length ? tables : undefined;
}

function locate(c: IrChange, pa: PositionTable, pb: PositionTable): Located {
  const out: Located = { ...c };
  const where = (table: PositionTable, ptr?: string) => {
    const p = ptr === undefined ? undefined : positionOf(table, ptr);
    return p ? `${p.file}:${p.line}:${p.column}` : undefined;
  };
  const atA = where(pa, c.pointerA);
  const atB = where(pb, c.pointerB);
  if (atA) out.atA = atA;
  if (atB) out.atB = atB;
  return out;
}

const SIGN = { added: '+', removed: '-', changed: '~' } as const;

export function renderChanges(changes: readonly Located[], pathA: string, pathB: string): string {
  if (!changes.length) return `no differences between ${pathA} and ${pathB}\n`;
  const lines = [`--- ${pathA}`, `+++ ${pathB}`];
  let area = '';
  for (const c of changes) {
    if (c.area !== area) {
      area = c.area;
      lines.push(`${area}:`);
    }
    const where = [c.atA, c.atB].filter(Boolean).join(' / ');
    const at = where ? `  (${where})` : '';
    const fields = c.fields ?? [];
    const single = fields.length === 1 && fields[0]!.field === c.key ? fields[0] : undefined;
    if (single && c.kind === 'changed')
      lines.push(`  ~ ${c.key}: ${show(single.a)} → ${show(single.b)}${at}`);
    else if (single && c.kind === 'added') lines.push(`  + ${c.key}: ${show(single.b)}${at}`);
    else if (single && c.kind === 'removed') lines.push(`  - ${c.key}: ${show(single.a)}${at}`);
    else {
      lines.push(`  ${SIGN[c.kind]} ${c.key}${at}`);
      if (c.kind === 'changed')
        for (const f of fields) lines.push(`      ${f.field}: ${show(f.a)} → ${show(f.b)}`);
    }
  }
  lines.push(`${changes.length} difference(s)`);
  return `${lines.join('\n')}\n`;
}

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  const text = JSON.stringify(v);
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
}
