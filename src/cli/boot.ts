/**
 * `imgc boot <output>` (alias `imgc qemu`): boots a built disk, ISO, UKI or PXE output in qemu
 * with the firmware it needs and the serial console on the terminal. `--until MARKER` makes it
 * non-interactive: it returns 0 once the marker appears on the console, 1 if the guest fails,
 * powers off or the time runs out first.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, normalize, resolve } from 'node:path';
import type { Command } from 'commander';
import { bootMachine, ovmf, runInteractive } from '../boot/qemu.js';
import { bootTarget, type Firmware } from '../boot/targets.js';
import { commandCodes } from '../diagnostics/codes/commands.js';
import { diag } from '../diagnostics/define.js';
import { lookupTable } from '../lib/lookup-table.js';
import { collect } from './options.js';
import { EXIT, type Io, printDiagnostics } from './output.js';
import type { CommandContext } from './register.js';

export interface BootFlags {
  until?: string;
  timeout?: string;
  firmware?: string;
  memory?: string;
  cpus?: string;
  drive?: string[];
  log?: string;
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '/usr/bin:/bin')
    .split(':')
    .concat(['/usr/bin', '/usr/sbin'])
    .some((d) => d && existsSync(join(d, tool)));
}

/** Serves the PXE bundle's files (only those inside it) where its cmdline.txt fetches them. */
function serve(dir: string, port: number): Promise<Server> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent((req.url ?? '/').split('?')[0]!)));
    if (!path.startsWith(`${root}/`) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200);
    createReadStream(path).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(server));
  });
}

const FIRMWARE: Record<string, Firmware> = lookupTable({ uefi: 'ovmf', bios: 'seabios' });
const NAMES: Record<Firmware, string> = { ovmf: 'UEFI firmware (OVMF)', seabios: 'BIOS (SeaBIOS)' };

export async function runBoot(io: Io, path: string, flags: BootFlags): Promise<number> {
  const number = (v: string | undefined, name: string) => {
    const n = v === undefined ? undefined : Number(v);
    if (n !== undefined && !(Number.isFinite(n) && n > 0))
      throw new UsageError(`${name} must be a positive number`);
    return n;
  };
  let timeout: number | undefined;
  let memory: number | undefined;
  let cpus: number | undefined;
  try {
    timeout = number(flags.timeout, '--timeout');
    memory = number(flags.memory, '--memory');
    cpus = number(flags.cpus, '--cpus');
    if (flags.firmware !== undefined && !FIRMWARE[flags.firmware])
      throw new UsageError('--firmware is uefi or bios');
  } catch (e) {
    io.stderr(`imgc boot: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const target = await bootTarget(path, flags.drive ?? []);
  if (typeof target === 'string') {
    printDiagnostics(io, [diag(commandCodes.notBootable, { path, why: target }, { file: path })]);
    return EXIT.inputErrors;
  }
  const firmware = flags.firmware ? FIRMWARE[flags.firmware]! : target.firmware;
  const why = flags.firmware ? `--firmware ${flags.firmware}` : target.firmwareWhy;
  const missing = [];
  if (!onPath('qemu-system-x86_64'))
    missing.push(diag(commandCodes.toolMissing, { tool: 'qemu-system-x86_64', pkg: 'qemu-system-x86' }));
  if (firmware === 'ovmf') {
    try {
      ovmf();
    } catch {
      missing.push(diag(commandCodes.toolMissing, { tool: 'OVMF firmware', pkg: 'ovmf' }));
    }
  }
  if (missing.length) {
    printDiagnostics(io, missing);
    return EXIT.inputErrors;
  }
  printDiagnostics(io, [
    diag(commandCodes.firmwareChosen, { firmware: NAMES[firmware], why }, { file: path }),
  ]);
  const server = target.serve ? await serve(target.serve.dir, target.serve.port) : undefined;
  const machine = {
    firmware,
    args: target.args,
    ...(memory ? { memoryMiB: memory } : target.kind === 'pxe' ? { memoryMiB: 3072 } : {}),
    ...(cpus ? { cpus } : {}),
  };
  try {
    if (flags.until === undefined) {
      io.stderr('serial console follows; quit qemu with Ctrl-A X\n');
      const code = await runInteractive(machine);
      return code === 0 ? EXIT.ok : EXIT.buildFailed;
    }
    const result = await bootMachine({
      ...machine,
      marker: flags.until,
      timeoutMs: (timeout ?? 600) * 1000,
      ...(flags.log ? { logFile: flags.log } : {}),
      onOutput: (text) => io.stdout(text),
    });
    if (result.outcome === 'marker') {
      io.stderr(
        `\nimgc boot: "${flags.until}" appeared after ${(result.elapsedMs / 1000).toFixed(1)} s (${result.accel})\n`,
      );
      return EXIT.ok;
    }
    printDiagnostics(io, [
      diag(commandCodes.markerMissed, {
        marker: flags.until,
        outcome:
          result.outcome === 'timeout'
            ? 'timed out'
            : result.outcome === 'failure'
              ? 'the guest failed'
              : 'qemu exited',
        seconds: (result.elapsedMs / 1000).toFixed(1),
        line: (result.line ?? result.stderr.trim().split('\n')[0] ?? '').trim(),
      }),
    ]);
    return EXIT.inputErrors;
  } finally {
    server?.close();
  }
}

class UsageError extends Error {}

export function registerBoot(program: Command, ctx: CommandContext): void {
  program
    .command('boot')
    .alias('qemu')
    .description('boot a built disk, ISO, UKI or PXE output in qemu with a serial console')
    .argument('<output>', 'a disk image, an .iso, a UKI (.efi) or a PXE folder')
    .option(
      '--until <marker>',
      'run until this text appears on the serial console, then stop qemu and exit 0',
    )
    .option('--timeout <seconds>', 'with --until: give up after this long (default 600)')
    .option('--firmware <uefi|bios>', 'firmware (default: chosen from the output, and said)')
    .option('--memory <MiB>', 'guest memory (default 2048; 3072 for PXE)')
    .option('--cpus <n>', 'guest CPUs (default 2)')
    .option(
      '--drive <image>',
      'attach another disk image, e.g. the root disk of a UKI (repeatable)',
      collect,
      [],
    )
    .option('--log <file>', 'with --until: also write the serial log here')
    .action(async (output: string, opts: BootFlags) => {
      ctx.exit.code = await runBoot(ctx.io, output, opts);
    });
}
