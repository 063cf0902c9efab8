export type Severity = 'error' | 'warning' | 'info';

/** One finding about an input, a translation or a build. Lines and columns are 1-based. */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  hint?: string;
  /** JSON Pointer into the IR the diagnostic is about */
  pointer?: string;
  /** which part of imgc raised it: a format id, `translate`, `backend:debian`, a plugin name */
  source?: string;
}

export interface Location {
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
