/** Runs the CLI in process with captured output, for command tests. */
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import type { FormatRegistry } from '../../src/formats/registry.js';

export async function runCli(args: string[], options: { isTTY?: boolean; registry?: FormatRegistry } = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: options.isTTY ?? false,
  };
  const code = await main(['node', 'imgc', ...args], io, options.registry);
  return { code, stdout, stderr };
}
