import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { stringify as toYaml } from 'yaml';
import { coreCodes } from '../diagnostics/codes/core.js';
import { diag } from '../diagnostics/define.js';
import { FormatRegistry } from '../formats/registry.js';
import { addFormatPlugins } from '../plugins/index.js';
import { registerBoot } from './boot.js';
import { runBuild } from './build.js';
import { runClean } from './clean.js';
import { runFormats, runInspect, runValidate } from './commands.js';
import { runDiff } from './diff.js';
import { collect } from './options.js';
import { EXIT, type Io, printDiagnostics, processIo } from './output.js';
import { registerPackages } from './packages.js';
import { runPlan } from './plan.js';
import { runPluginsList } from './plugins.js';
import { registerShell } from './shell.js';
import { registerSummary } from './summary.js';
import { runTranslateCommand } from './translate-batch.js';

/** imgc's own version, from its package.json (src/cli and dist/cli both sit two folders below it). */
function ownVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Builds the command tree. `io` and `registry` are injectable so tests run the CLI in process. */
export function buildProgram(given: Io = processIo, registry = new FormatRegistry()) {
  const io: Io = { ...given };
  const exit = { code: EXIT.ok as number };
  const program = new Command()
    .name('imgc')
    .description('Read, translate and build OS image definitions: KIWI, mkosi, Kickstart, osbuild blueprints')
    .version(ownVersion())
    .option('--debug', 'print stack traces of internal errors')
    .option('--plugin <path>', 'load the plugin in this folder (repeatable)', collect, [])
    .option('--config <file>', 'load the plugins an imgc.config.json names (default $IMGC_CONFIG)')
    .option('--show-secrets', 'print passwords, hashes and other secrets instead of <redacted>')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .hook('preAction', () => {
      io.showSecrets = Boolean(program.opts().showSecrets);
    });

  const withFormatFlags = (cmd: Command) =>
    cmd
      .option('--ks-version <version>', 'kickstart syntax version (F39..F45, RHEL7..RHEL10)')
      .option('--host <distro:release:arch>', 'host that mkosi [Match] sections are evaluated against')
      .option('--type <image-type>', 'KIWI build type to select')
      .option('--kiwi-schema <version>', 'KIWI schema version to write (8.5 or 7.5)')
      .option('--distro <id[:release]>', 'distribution for targets that need one when the source has none')
      .option('--arch <arch>', 'architecture for targets that need one when the source has none')
      .option('-O, --format-option <key=value>', 'a format-specific option (repeatable)', collect, []);

  program
    .command('formats')
    .description('list the formats imgc reads and writes')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      exit.code = runFormats(io, registry, opts);
    });

  withFormatFlags(
    program
      .command('inspect')
      .description('parse a definition and print its IR')
      .argument('<path>', 'a definition file, or a folder holding one')
      .option('--from <format>', 'input format (detected when absent)')
      .option('--profile <name>', 'activate a profile (repeatable)', collect, [])
      .option('--effective', 'merge the active profiles into the image')
      .option('--json', 'print {"ir": ..., "diagnostics": [...]}'),
  ).action(async (path: string, opts) => {
    exit.code = await runInspect(io, registry, path, opts, toYaml);
  });

  withFormatFlags(
    program
      .command('validate')
      .description('parse a definition and print diagnostics only')
      .argument('<path>', 'a definition file, or a folder holding one')
      .option('--from <format>', 'input format (detected when absent)')
      .option('--profile <name>', 'activate a profile (repeatable)', collect, [])
      .option('--json', 'print {"diagnostics": [...]}'),
  ).action(async (path: string, opts) => {
    exit.code = await runValidate(io, registry, path, opts);
  });

  withFormatFlags(
    program
      .command('translate')
      .description('write a definition in another format, reporting every field the target cannot express')
      .argument(
        '<path...>',
        'a definition file, or a folder holding one; several are written to -o DIR/<name>/',
      )
      .option('--from <format>', 'input format (detected when absent)')
      .requiredOption('--to <format>', 'target format')
      .requiredOption('-o, --output-dir <dir>', 'folder to write into')
      .option('--profile <name>', 'activate a profile (repeatable)', collect, [])
      .option('--strict', 'exit 1 when anything is lost')
      .option(
        '--output <type[:format]>',
        'output type for targets that need one when the source has none (e.g. disk:qcow2)',
      )
      .option('--json', 'print {"files": [...], "diagnostics": [...]}')
      .option('--batch', 'each path is a folder of definitions: translate every entry in it')
      .option('--jobs <n>', 'with several definitions, how many are translated at once (default 1)'),
  ).action(async (paths: string[], opts) => {
    exit.code = await runTranslateCommand(io, registry, paths, opts);
  });

  withFormatFlags(
    program
      .command('plan')
      .description('print the typed build steps of a definition without running anything (no root needed)')
      .argument('<path>', 'a definition file, or a folder holding one')
      .option('--from <format>', 'input format (detected when absent; "ir" for an IR in JSON or YAML)')
      .option(
        '--output <type...>',
        "output types: directory, tar, disk (default: the definition's, or directory)",
      )
      .option('--profile <name>', 'activate a profile (repeatable)', collect, [])
      .option('--json', 'print {"plan": ..., "diagnostics": [...]}'),
  ).action(async (path: string, opts) => {
    exit.code = await runPlan(io, registry, path, {
      ...opts,
      plugin: program.opts().plugin,
      config: program.opts().config,
    });
  });

  withFormatFlags(
    program
      .command('build')
      .description('build the image: plan, then run the steps with caching and cleanup')
      .argument('<path>', 'a definition file, or a folder holding one')
      .option('--from <format>', 'input format (detected when absent; "ir" for an IR in JSON or YAML)')
      .option(
        '--output <type...>',
        "output types: directory, tar, disk (default: the definition's, or directory)",
      )
      .requiredOption('-o, --output-dir <dir>', 'folder the outputs are written into')
      .option(
        '--cache-dir <dir>',
        'package and tree cache (default /var/cache/imgc as root, else the XDG cache)',
      )
      .option('--no-tree-cache', 'neither reuse nor save tree snapshots (the package cache is still used)')
      .option('--no-tmpfs', 'build on disk under the cache dir instead of /dev/shm')
      .option('--profile <name>', 'activate a profile (repeatable)', collect, [])
      .option('--verbose', 'print the output of every tool')
      .option('--json', 'print progress as NDJSON events'),
  ).action(async (path: string, opts) => {
    exit.code = await runBuild(io, registry, path, {
      ...opts,
      plugin: program.opts().plugin,
      config: program.opts().config,
    });
  });

  withFormatFlags(
    program
      .command('clean')
      .description(
        "remove the outputs a build of the definition writes into the folder, then run the definition's clean scripts",
      )
      .argument('<path>', 'a definition file, or a folder holding one')
      .option('--from <format>', 'input format (detected when absent; "ir" for an IR in JSON or YAML)')
      .option('--output <type...>', "output types whose files are removed (default: the definition's)")
      .requiredOption('-o, --output-dir <dir>', 'the folder the outputs were written into')
      .option('--profile <name>', 'activate a profile (repeatable)', collect, [])
      .option('--json', 'print {"removed": [...], "diagnostics": [...]}'),
  ).action(async (path: string, opts) => {
    exit.code = await runClean(io, registry, path, {
      ...opts,
      plugin: program.opts().plugin,
      config: program.opts().config,
    });
  });

  withFormatFlags(
    program
      .command('diff')
      .description('semantic diff of two definitions in any formats; exit 1 when they differ')
      .argument('<a>', 'the first definition (file or folder)')
      .argument('<b>', 'the second definition')
      .option('--from-a <format>', 'format of <a> (detected when absent)')
      .option('--from-b <format>', 'format of <b> (detected when absent)')
      .option('--profile-a <name>', 'activate a profile of <a> (repeatable)', collect, [])
      .option('--profile-b <name>', 'activate a profile of <b> (repeatable)', collect, [])
      .option('--common', 'compare only the fields both formats can express')
      .option('--json', 'print {"equal": ..., "changes": [...]}'),
  ).action(async (a: string, b: string, opts) => {
    exit.code = await runDiff(io, registry, a, b, opts);
  });

  program
    .command('plugins')
    .description('plugins: where imgc looks for them and what it found')
    .command('list')
    .description(
      'list the plugins named (--plugin, --config and its npm dependencies) and those found but not loaded',
    )
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      exit.code = runPluginsList(io, {
        ...opts,
        plugin: program.opts().plugin,
        config: program.opts().config,
      });
    });

  registerSummary(program, { io, registry, exit, withFormatFlags });
  registerPackages(program, { io, registry, exit, withFormatFlags });
  registerBoot(program, { io, registry, exit, withFormatFlags });
  registerShell(program, { io, registry, exit, withFormatFlags });
  program.addOption(new Option('--no-color', 'plain output').hideHelp());
  return { program, exit };
}

function optionValues(argv: readonly string[], name: string): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    if (a === name && argv[i + 1]) out.push(argv[i + 1]!);
    else if (a.startsWith(`${name}=`)) out.push(a.slice(name.length + 1));
  });
  return out;
}

/** `imgc plugins …` reports plugin problems itself; every other command stops on them. */
function listsPlugins(argv: readonly string[]): boolean {
  const words = argv
    .slice(2)
    .filter((a, i, all) => !a.startsWith('-') && !/^--(plugin|config)$/.test(all[i - 1] ?? ''));
  return words[0] === 'plugins';
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(
  argv: readonly string[],
  io: Io = processIo,
  registry?: FormatRegistry,
): Promise<number> {
  const formats = registry ?? new FormatRegistry();
  // Format plugins run in process and must be registered before the commands read anything.
  if (!registry) {
    const config = optionValues(argv, '--config').at(-1);
    const loaded = await addFormatPlugins(formats, {
      explicit: optionValues(argv, '--plugin'),
      ...(config ? { config } : {}),
    });
    if (!listsPlugins(argv)) {
      if (loaded.length) printDiagnostics(io, loaded);
      if (loaded.some((d) => d.severity === 'error')) return EXIT.inputErrors;
    }
  }
  const { program, exit } = buildProgram(io, formats);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv as string[]);
    return exit.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const detail = e instanceof Error ? e.message : String(e);
    const d = diag(coreCodes.internalError, { detail });
    io.stderr(`imgc: ${d.message}\n  hint: ${d.hint}\n`);
    if (debug && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
    return EXIT.usage;
  }
}
