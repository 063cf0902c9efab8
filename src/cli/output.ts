import { capDiagnostics } from '../diagnostics/cap.js';
import { cliCodes } from '../diagnostics/codes/cli.js';
import { coreCodes } from '../diagnostics/codes/core.js';
import { discoveryCodes } from '../diagnostics/codes/discovery.js';
import { translateCodes } from '../diagnostics/codes/translate.js';
import { redactValue } from '../diagnostics/redact.js';
import { renderDiagnostics } from '../diagnostics/render.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import { MAX_DIAGNOSTICS } from '../input/bounded.js';

/** quiet: errors only; normal: errors, warnings and notes; verbose: also what imgc read and decided. */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  verbosity?: Verbosity;
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

/**
 * Diagnostics to stderr, at most MAX_DIAGNOSTICS with a count of the rest (a writer can report
 * one per line of a large input; `--json` keeps them all); `--quiet` keeps only the errors.
 */
export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[]): void {
  const wanted = io.verbosity === 'quiet' ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
  const text = renderDiagnostics(shown(io, capDiagnostics(wanted, MAX_DIAGNOSTICS)), { color: io.isTTY });
  if (text) io.stderr(text);
}

/** A line about what imgc is doing (stderr): hidden by --quiet. */
export function say(io: Io, line: string): void {
  if (io.verbosity !== 'quiet') io.stderr(`${line}\n`);
}

/** A line about what imgc read or decided (stderr): only with --verbose. */
export function detail(io: Io, line: string): void {
  if (io.verbosity === 'verbose') io.stderr(`${line}\n`);
}

/** The exit codes, one table: README.md "Exit codes" and the man page show EXIT_CODE_TABLE. */
export const EXIT = {
  ok: 0,
  inputErrors: 1,
  usage: 2,
  buildFailed: 3,
  notReproducible: 4,
  interrupted: 130,
} as const;

export const EXIT_CODE_TABLE: readonly { code: number; short: string; meaning: string }[] = [
  {
    code: EXIT.ok,
    short: 'success',
    meaning: 'success (warnings and notes may have been printed); `diff`: the definitions are equal',
  },
  {
    code: EXIT.inputErrors,
    short: 'errors in the definition',
    meaning:
      'the definition has errors, `translate --strict` lost something, `diff` found differences, or `boot --until` did not see its marker',
  },
  {
    code: EXIT.usage,
    short: 'usage error',
    meaning:
      'usage error: an unknown command, option, -O key, --from/--to format, --output type or --profile, a path that does not exist, a missing -o, a translation that would overwrite a changed file without --force; also an internal error (run again with --debug)',
  },
  {
    code: EXIT.buildFailed,
    short: 'build failed',
    meaning:
      'a build step or a clean script failed, or qemu of an interactive `boot` did; `submit --wait`: a job failed after its retries',
  },
  {
    code: EXIT.notReproducible,
    short: 'not reproducible',
    meaning: '`build --verify-reproducible`: both builds succeeded but wrote different outputs',
  },
  {
    code: EXIT.interrupted,
    short: 'interrupted',
    meaning: 'interrupted (Ctrl-C, SIGTERM, SIGHUP); a build leaves nothing behind',
  },
];

/** Codes that say the command line is wrong, not the definition: they exit 2. */
const USAGE_CODES = new Set<string>([
  coreCodes.unknownFormat.code,
  coreCodes.formatCannotWrite.code,
  coreCodes.unknownProfile.code,
  coreCodes.directoryHoldsSeveral.code,
  translateCodes.badOutputFlag.code,
  ...Object.values(cliCodes)
    .filter((c) => c.severity === 'error')
    .map((c) => c.code),
  discoveryCodes.userConfigInvalid.code,
  discoveryCodes.severalKickstarts.code,
]);

/**
 * 2 when the command line is wrong (an unknown flag value, or a path given on it that does not
 * exist), 1 when the definition has errors, else 0.
 */
export function exitFor(
  diagnostics: readonly Diagnostic[],
  paths: readonly string[] = [],
  /** the command produced nothing even without an error diagnostic: at least 1 */
  failed = false,
): number {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.some((d) => USAGE_CODES.has(d.code))) return EXIT.usage;
  const missingArgument = (d: Diagnostic) =>
    d.code === coreCodes.fileNotFound.code && d.file !== undefined && paths.includes(d.file);
  if (errors.some(missingArgument)) return EXIT.usage;
  return hasErrors(diagnostics) || failed ? EXIT.inputErrors : EXIT.ok;
}
