/** Runs the host tools the output assemblers use; failures become catalogue diagnostics. */

import { outputCodes } from '../../diagnostics/codes/outputs.js';
import { ProcessFailed, type ProcessFailure, runProcess } from '../../exec/process.js';
import { outputError } from './errors.js';

export interface ToolOptions {
  signal?: AbortSignal;
  env?: Record<string, string>;
  cwd?: string;
  input?: string;
  /** which output runs it, for messages */
  output: string;
}

/** The output diagnostic for a failed tool run. */
export function toolError(failure: ProcessFailure, output: string): Error {
  switch (failure.kind) {
    case 'aborted':
      return outputError(outputCodes.aborted, undefined, output);
    case 'missing':
      return outputError(outputCodes.toolMissing, { ...failure, output }, output);
    case 'failed':
      return outputError(
        outputCodes.toolFailed,
        {
          command: failure.command,
          exitCode: String(failure.exitCode ?? failure.signal),
          stderr: failure.stderr,
        },
        output,
      );
    default:
      return outputError(
        outputCodes.toolFailed,
        { command: 'a tool', exitCode: '?', stderr: failure.message },
        output,
      );
  }
}

/**
 * The host's environment without SOURCE_DATE_EPOCH: the epoch is plan data, handed to a tool
 * only by the assembler that asks for it (mksquashfs refuses it beside -mkfs-time).
 */
export function hostEnv(): NodeJS.ProcessEnv {
  const { SOURCE_DATE_EPOCH: _unused, ...rest } = process.env;
  return rest;
}

export async function runTool(tool: string, args: string[], options: ToolOptions): Promise<string> {
  try {
    return await runProcess(tool, args, {
      env: { ...hostEnv(), LC_ALL: 'C', TZ: 'UTC', MTOOLS_SKIP_CHECK: '1', ...options.env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      stdin: true,
      ...(options.input !== undefined ? { input: options.input } : {}),
    });
  } catch (e) {
    throw e instanceof ProcessFailed ? toolError(e.failure, options.output) : e;
  }
}
