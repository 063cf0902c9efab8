import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { stringify as toYaml } from 'yaml';
import { coreCodes } from '../diagnostics/codes/core.js';
import { diag } from '../diagnostics/define.js';
import { FormatRegistry } from '../formats/registry.js';
import { OUTPUT_TYPE_LIST } from '../formats/target-needs.js';
import { buildableOutputs } from '../plan/planner.js';
import { addFormatPlugins } from '../plugins/index.js';
import { registerBoot } from './boot.js';
import { runBuild } from './build.js';
import { runClean } from './clean.js';
import { runFormats, runInspect, runValidate } from './commands.js';
import { runCompletion, SHELLS } from './completion.js';
import { CommandStopped, prepareCommand } from './defaults.js';
import { runDiff } from './diff.js';
import { registerDrift } from './drift.js';
import { registerFleet } from './fleet-commands.js';
import { runInit } from './init.js';
import { LIST_TOPICS, runList } from './list.js';
import { registerLock } from './lock.js';
import { registerManifest } from './manifest.js';
import { collect } from './options.js';
import { EXIT, EXIT_CODE_TABLE, type Io, printDiagnostics, printJson, processIo } from './output.js';
import { registerPackages } from './packages.js';
import { runPlan } from './plan.js';
import { runPluginsList } from './plugins.js';
import { registerShell } from './shell.js';
import { registerSummary } from './summary.js';
import { runTranslateCommand } from './translate-batch.js';
import { readUserConfig, type UserConfig } from './user-config.js';

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
  let userConfig: UserConfig | undefined;
  const outputTypes = buildableOutputs.join(', ');
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
    .showSuggestionAfterError();

  program.hook('preAction', (_program, command) => {
    io.showSecrets = Boolean(program.opts().showSecrets);
    const notes = prepareCommand(command, {
      io,
      registry,
      userConfig: () => {
        userConfig ??= readUserConfig();
        return userConfig;
      },
      plugins: { explicit: program.opts().plugin ?? [], config: program.opts().config },
    });
    printDiagnostics(io, notes);
  });

  const withFormatFlags = (cmd: Command) =>
    cmd
      .option('--ks-version <version>', 'kickstart syntax version (F39..F45, RHEL7..RHEL10)')
      .option('--host <distro:release:arch>', 'host that mkosi [Match] sections are evaluated against')
      .option('--type <image-type>', 'KIWI build type to select')
      .option('--kiwi-schema <version>', 'KIWI schema version to write (8.5 or 7.5)')
      .option(
        '--distro <id[:release]>',
        'the distribution to use; replaces what the definition names or imgc inferred',
      )
      .option('--release <release>', 'release of the distribution, replacing the one the source names')
      .option('--arch <arch>', 'architecture for targets that need one when the source has none')
      .option(
        '-O, --format-option <key=value>',
        'a format- or backend-specific option (repeatable; `imgc list options`)',
        collect,
        [],
      );
  const outputsOption = (what: string) =>
    new Option('--output <types>', `${what} (comma-separated or repeated): ${outputTypes}`).argParser(
      collect,
    );

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
      .option('--force', 'overwrite files in the output folder that differ from what is written')
      .option(
        '--output <type[:format]>',
        `output type for targets that need one when the source has none (e.g. disk:qcow2): ${OUTPUT_TYPE_LIST}`,
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
      .addOption(outputsOption("output types to build (default: the definition's, or directory)"))
      .option(
        '--reproducible',
        "plan a reproducible build (SOURCE_DATE_EPOCH from the definition's files unless set)",
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
      .addOption(outputsOption("output types to build (default: the definition's, or directory)"))
      .option(
        '-o, --output-dir <dir>',
        'folder the outputs are written into (default $IMGC_OUTPUT_DIR, then output-dir in the user config)',
      )
      .option(
        '--cache-dir <dir>',
        'package and tree cache (default $IMGC_CACHE_DIR, then cache-dir in the user config, then /var/cache/imgc as root, else the XDG cache)',
      )
      .option('--no-tree-cache', 'neither reuse nor save tree snapshots (the package cache is still used)')
      .option(
        '--no-initrd-cache',
        'make every initrd afresh instead of reusing one a build with the same kernel, generator, configuration and tree files made',
      )
      .option(
        '--keep-trees <n>',
        'how many tree snapshots the cache keeps, the most recently used first (default 4; $IMGC_KEEP_TREES, keep-trees in the user config)',
      )
      .option('--no-tmpfs', 'build on disk under the cache dir instead of /dev/shm')
      .option(
        '--jobs <n>',
        'at most this many outputs assembled at a time from the one tree (default: one per CPU; 1 = one after another)',
      )
      .option(
        '--reproducible',
        "byte-identical outputs: SOURCE_DATE_EPOCH from the definition's files (git commit time, else newest mtime) unless set",
      )
      .option(
        '--verify-reproducible',
        'build twice in separate roots without the tree cache and compare every output (exit 4 when they differ)',
      )
      .option(
        '--locked',
        "install exactly the lock file's package set; fails naming every package the repositories no longer give alike",
      )
      .option(
        '--lock <file>',
        'the lock file for --locked (default: <name>.lock beside the definition); implies --locked',
      )
      .option(
        '--sbom <formats>',
        'also write SBOMs beside the golden manifest: spdx (SPDX 2.3 JSON), cyclonedx (CycloneDX 1.6 JSON), comma-separated',
      )
      .option('--profile <name>', 'activate a profile (repeatable)', collect, [])
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
      .addOption(outputsOption("output types whose files are removed (default: the definition's)"))
      .option('-o, --output-dir <dir>', 'the folder the outputs were written into (default as for build)')
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
  registerLock(program, { io, registry, exit, withFormatFlags });
  registerBoot(program, { io, registry, exit, withFormatFlags });
  registerShell(program, { io, registry, exit, withFormatFlags });
  registerFleet(program, { io, registry, exit, withFormatFlags });
  registerDrift(program, { io, registry, exit, withFormatFlags });
  registerManifest(program, { io, registry, exit, withFormatFlags });

  program
    .command('list')
    .description('list what imgc knows, from its registries: distributions, output types, formats, -O keys')
    .argument('<what>', LIST_TOPICS.join(', '))
    .option('--json', 'machine-readable output')
    .action(async (what: string, opts: { json?: boolean }) => {
      exit.code = await runList(io, registry, what, {
        ...opts,
        plugin: program.opts().plugin,
        config: program.opts().config,
      });
    });

  program
    .command('completion')
    .description(
      'print a shell completion script (e.g. `imgc completion bash > /etc/bash_completion.d/imgc`)',
    )
    .argument('<shell>', SHELLS.join(', '))
    .action(async (shell: string) => {
      exit.code = await runCompletion(io, program, registry, shell);
    });

  program
    .command('init')
    .description("write a new minimal definition that imgc validate and the format's own tool accept")
    .argument('[dir]', 'folder to write into (default: the current folder)', '.')
    .option('--from-format <format>', 'format of the new definition (default mkosi)')
    .option(
      '--distro <id:release>',
      'distribution it builds (default $IMGC_DISTRO, then distro in the user config)',
    )
    .option('--arch <arch>', 'architecture it builds, for formats that must name one (tdl, virt-builder)')
    .option('--force', 'write into a folder that is not empty')
    .option(
      '-O, --format-option <key=value>',
      "an option of the format's writer, e.g. mkosi-version=14",
      collect,
      [],
    )
    .option('--json', 'print {"files": [...], "diagnostics": [...]}')
    .action(async (dir: string, opts) => {
      exit.code = await runInit(io, registry, dir, opts);
    });

  for (const command of program.commands) addVerbosity(command);
  program.addHelpText(
    'after',
    `\nExit status: ${EXIT_CODE_TABLE.map((e) => `${e.code} ${e.short}`).join(', ')}.\nEvery command takes -q/--quiet and -v/--verbose; \`imgc completion bash|zsh|fish\`, \`man imgc\`.`,
  );
  program.addOption(new Option('--no-color', 'plain output').hideHelp());
  return { program, exit };
}

/** --quiet and --verbose on every command, the same meaning everywhere (README, "Verbosity"). */
function addVerbosity(command: Command): void {
  if (command.commands.length) {
    for (const sub of command.commands) addVerbosity(sub);
    return;
  }
  // a command that declares its own --verbose keeps it (it must mean the same: README, "Verbosity")
  const has = (long: string) => command.options.some((o) => o.long === long);
  if (!has('--quiet')) command.option('-q, --quiet', 'print errors only (results still go to stdout)');
  if (!has('--verbose'))
    command.option(
      '-v, --verbose',
      'also print what imgc read and decided, and every line the build tools print',
    );
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
    if (e instanceof CommandStopped) {
      if (e.output === 'json') printJson(io, { diagnostics: e.diagnostics });
      else if (e.output === 'ndjson')
        for (const diagnostic of e.diagnostics)
          io.stdout(
            `${JSON.stringify({ time: new Date().toISOString(), event: 'diagnostic', diagnostic })}\n`,
          );
      else printDiagnostics(io, e.diagnostics);
      return e.code;
    }
    const detail = e instanceof Error ? e.message : String(e);
    const d = diag(coreCodes.internalError, { detail });
    io.stderr(`imgc: ${d.message}\n  hint: ${d.hint}\n`);
    if (debug && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
    return EXIT.usage;
  }
}
