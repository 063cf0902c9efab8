import type { Diagnostic, Location, Severity } from './types.js';

/** A catalogue entry: a stable code and how to phrase it. */
export interface CodeDef<P = void> {
  code: string;
  severity: Severity;
  /** what went wrong; parameters fill in the specifics */
  message: (params: P) => string;
  /** what to do about it */
  hint?: string | ((params: P) => string);
  /** one line for the docs catalogue */
  summary: string;
}

export function defineCodes<T extends Record<string, CodeDef<any>>>(codes: T): T {
  return codes;
}

type ParamsOf<D> = D extends CodeDef<infer P> ? P : never;

export interface DiagnosticExtra {
  pointer?: string;
  source?: string;
  severity?: Severity;
  hint?: string;
}

/** Builds a diagnostic from a catalogue entry; `params` may be omitted for codes without parameters. */
export function diag<D extends CodeDef<any>>(
  def: D,
  ...[params, at, extra]: ParamsOf<D> extends void
    ? [params?: undefined, at?: Location, extra?: DiagnosticExtra]
    : [params: ParamsOf<D>, at?: Location, extra?: DiagnosticExtra]
): Diagnostic {
  const hint = extra?.hint ?? (typeof def.hint === 'function' ? def.hint(params) : def.hint);
  const d: Diagnostic = {
    code: def.code,
    severity: extra?.severity ?? def.severity,
    message: def.message(params),
  };
  if (at?.file !== undefined) d.file = at.file;
  if (at?.line !== undefined) d.line = at.line;
  if (at?.column !== undefined) d.column = at.column;
  if (at?.endLine !== undefined) d.endLine = at.endLine;
  if (at?.endColumn !== undefined) d.endColumn = at.endColumn;
  if (hint) d.hint = hint;
  if (extra?.pointer !== undefined) d.pointer = extra.pointer;
  if (extra?.source !== undefined) d.source = extra.source;
  return d;
}
