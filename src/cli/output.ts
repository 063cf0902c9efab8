import { redactValue } from '../diagnostics/redact.js';
import { renderDiagnostics } from '../diagnostics/render.js';
import type { Diagnostic } from '../diagnostics/types.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  /** `--show-secrets`: print passwords, hashes and other secrets as they are (decision 0075). */
  showSecrets?: boolean;
}

export const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY) && !process.env.CI && !process.env.NO_COLOR,
};

/** A value as the command may print it: secrets replaced by `<redacted>` unless `--show-secrets`. */
export function shown<T>(io: Io, value: T): T {
  return io.showSecrets ? value : redactValue(value);
}

export function printJson(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(shown(io, value), null, 2)}\n`);
}

export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[]): void {
  const text = renderDiagnostics(shown(io, diagnostics), { color: io.isTTY });
  if (text) io.stderr(text);
}

/** Exit codes: 0 fine, 1 the input has errors (or a loss under --strict), 2 usage or internal error. */
export const EXIT = { ok: 0, inputErrors: 1, usage: 2, buildFailed: 3, interrupted: 130 } as const;
