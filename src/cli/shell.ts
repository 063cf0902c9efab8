/**
 * `imgc shell <tree> [command...]`: a shell (or one command) inside a built directory tree, as
 * `mkosi shell` does: systemd-nspawn where systemd runs the host, otherwise chroot in a private
 * mount and PID namespace with /proc, /sys and /dev mounted, as build scripts run. The tool
 * used is reported; --tool chooses. The exit status is the command's.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { commandCodes } from '../diagnostics/codes/commands.js';
import { diag } from '../diagnostics/define.js';
import { CHROOT_SCRIPT } from '../exec/runner.js';
import { EXIT, type Io, printDiagnostics } from './output.js';
import type { CommandContext } from './register.js';

export interface ShellFlags {
  tool?: string;
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function treeProblem(tree: string): string | undefined {
  try {
    if (!statSync(tree).isDirectory()) return 'not a folder';
  } catch {
    return 'no such folder';
  }
  if (!existsSync(join(tree, 'usr/bin/sh')) && !existsSync(join(tree, 'bin/sh')))
    return 'it has no /bin/sh (not an image tree, or not built yet)';
  return undefined;
}

function chooseTool(flag: string | undefined): { tool: 'nspawn' | 'chroot'; why: string } | string {
  if (flag === 'nspawn' || flag === 'chroot') return { tool: flag, why: `--tool ${flag}` };
  if (flag !== undefined) return '--tool is nspawn or chroot';
  if (existsSync('/run/systemd/system') && existsSync('/usr/bin/systemd-nspawn'))
    return { tool: 'nspawn', why: 'systemd runs this host' };
  return { tool: 'chroot', why: 'systemd does not run this host, which systemd-nspawn needs' };
}

export async function runShell(io: Io, path: string, command: string[], flags: ShellFlags): Promise<number> {
  const tree = resolve(path);
  const chosen = chooseTool(flags.tool);
  if (typeof chosen === 'string') {
    io.stderr(`imgc shell: ${chosen}\n`);
    return EXIT.usage;
  }
  const problem = treeProblem(tree);
  if (problem) {
    printDiagnostics(io, [diag(commandCodes.notATree, { path, why: problem }, { file: path })]);
    return EXIT.inputErrors;
  }
  if (process.getuid?.() !== 0) {
    printDiagnostics(io, [diag(commandCodes.needsRoot, { what: `entering ${path}` })]);
    return EXIT.inputErrors;
  }
  const shell =
    existsSync(join(tree, 'usr/bin/bash')) || existsSync(join(tree, 'bin/bash')) ? '/bin/bash' : '/bin/sh';
  const argv = command.length ? command : [shell];
  io.stderr(`imgc shell: ${chosen.tool} into ${path} (${chosen.why})\n`);
  const [cmd, args] =
    chosen.tool === 'nspawn'
      ? ['systemd-nspawn', ['--quiet', '--register=no', `--directory=${tree}`, '--', ...argv]]
      : [
          'unshare',
          [
            '--mount',
            '--propagation',
            'private',
            '--pid',
            '--fork',
            '--kill-child',
            '--',
            '/bin/sh',
            '-c',
            CHROOT_SCRIPT,
            'imgc-shell',
            tree,
            ...argv,
          ],
        ];
  return new Promise((done) => {
    const child = spawn(cmd, args as string[], {
      stdio: 'inherit',
      env: {
        PATH,
        HOME: '/root',
        TERM: process.env.TERM ?? 'dumb',
        ...(process.env.LANG ? { LANG: process.env.LANG } : {}),
      },
    });
    child.on('error', (e) => {
      io.stderr(`imgc shell: ${e.message}\n`);
      done(EXIT.usage);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 + 15 : 1)));
  });
}

export function registerShell(program: Command, ctx: CommandContext): void {
  program
    .command('shell')
    .description('open a shell, or run a command, in a built directory tree (as mkosi shell)')
    .argument('<tree>', 'the folder a `--output directory` build wrote')
    .argument('[command...]', 'run this instead of a shell; its exit status is returned (put it after --)')
    .option(
      '--tool <nspawn|chroot>',
      'how to enter the tree (default: nspawn under systemd, else chroot; said)',
    )
    .action(async (tree: string, command: string[], opts: ShellFlags) => {
      ctx.exit.code = await runShell(ctx.io, tree, command, opts);
    });
}
