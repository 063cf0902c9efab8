/** Runs the CLI in process with captured output, for command tests. */
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import type { FormatRegistry } from '../../src/formats/registry.js';

/** An Io that keeps what is written, for tests that call a command's run function themselves. */
export function capturedIo(isTTY = false) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY,
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
}

export async function runCli(args: string[], options: { isTTY?: boolean; registry?: FormatRegistry } = {}) {
  const captured = capturedIo(options.isTTY);
  const code = await main(['node', 'imgc', ...args], captured.io, options.registry);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}
