/** `imgc summary <def>`: the resolved definition as sections a person reads, or `--json`. */
import type { Command } from 'commander';
import { loadDefinition } from '../formats/load.js';
import type { FormatRegistry } from '../formats/registry.js';
import { type Summary, summarize } from '../ir/summary.js';
import { collect, type FormatFlags, formatOptionsFrom } from './options.js';
import { exitFor, type Io, printDiagnostics, printJson, shown } from './output.js';
import type { CommandContext } from './register.js';

export interface SummaryFlags extends FormatFlags {
  from?: string;
  profile?: string[];
  json?: boolean;
}

const LABEL = 16;
const row = (label: string, value: string | number | undefined) =>
  value === undefined || value === '' ? '' : `${label.padStart(LABEL)}: ${value}\n`;
const list = (values: readonly string[], none = 'none') => (values.length ? values.join(' ') : none);

function section(title: string, body: string): string {
  return `${title.toUpperCase()}:\n${body || `${''.padStart(LABEL)}  (none)\n`}\n`;
}

export function renderSummary(s: Summary): string {
  const d = s.distribution;
  return [
    section(
      'source',
      row('Path', s.source.path) +
        row('Format', s.source.format ?? 'unknown') +
        row('Files read', s.source.files.length > 1 ? s.source.files.length : undefined) +
        row('Image name', s.name),
    ),
    section(
      'distribution',
      row('Distribution', d.id ?? 'unknown') +
        row('Release', d.release ?? 'unknown') +
        row('Architecture', d.architecture ?? 'the host’s') +
        row('How', d.how),
    ),
    section(
      'repositories',
      (s.repositories.length
        ? ''
        : row('None stated', 'the build uses the distribution’s own (imgc plan shows them)')) +
        s.repositories
          .map((r) =>
            row(
              r.id,
              [r.type, ...r.urls, ...(r.suites ?? []), ...(r.components ?? [])].filter(Boolean).join(' '),
            ),
          )
          .join(''),
    ),
    section(
      'packages',
      row('Install', `${s.packages.install.length}: ${list(s.packages.install)}`) +
        (s.packages.groups.length ? row('Groups', list(s.packages.groups)) : '') +
        (s.packages.exclude.length ? row('Exclude', list(s.packages.exclude)) : '') +
        (s.packages.remove.length ? row('Remove', list(s.packages.remove)) : ''),
    ),
    section(
      'users',
      s.users
        .map((u) =>
          row(
            u.name,
            [
              u.uid !== undefined ? `uid ${u.uid}` : undefined,
              u.login,
              u.groups.length ? `groups ${u.groups.join(',')}` : undefined,
              u.shell ? `shell ${u.shell}` : undefined,
              u.sshKeys ? `${u.sshKeys} ssh key${u.sshKeys > 1 ? 's' : ''}` : undefined,
            ]
              .filter(Boolean)
              .join(', '),
          ),
        )
        .join(''),
    ),
    section(
      'services',
      (s.services.enable.length ? row('Enable', list(s.services.enable)) : '') +
        (s.services.disable.length ? row('Disable', list(s.services.disable)) : '') +
        (s.services.mask.length ? row('Mask', list(s.services.mask)) : ''),
    ),
    section('outputs', row('Outputs', s.outputs.length ? s.outputs.join(', ') : undefined)),
    section(
      'disk layout',
      s.disk
        ? row('Partition table', s.disk.partitionTable) +
            row('Mode', s.disk.mode) +
            s.disk.partitions
              .map((p) =>
                row(
                  p.mountpoint ?? p.role ?? 'partition',
                  [p.role, p.filesystem, p.size].filter(Boolean).join(', '),
                ),
              )
              .join('')
        : '',
    ),
    section(
      'scripts',
      s.scripts
        .map((x) =>
          row(
            x.phase,
            [x.name, x.where, x.source ? `file ${x.source}` : `${x.lines} lines`].filter(Boolean).join(', '),
          ),
        )
        .join(''),
    ),
    section(
      'profiles',
      s.profiles
        .map((p) =>
          row(
            p.name,
            [p.active ? 'active' : 'inactive', p.default ? 'default' : '', p.description ?? '']
              .filter(Boolean)
              .join(', '),
          ),
        )
        .join(''),
    ),
  ]
    .join('')
    .trimEnd()
    .concat('\n');
}

export async function runSummary(
  io: Io,
  registry: FormatRegistry,
  path: string,
  opts: SummaryFlags,
): Promise<number> {
  const loaded = await loadDefinition(registry, path, {
    from: opts.from,
    profiles: opts.profile ?? [],
    options: formatOptionsFrom(opts),
  });
  const summary = loaded.ir
    ? summarize({
        path,
        format: loaded.format?.id ?? null,
        files: loaded.files,
        ir: loaded.ir,
        positions: loaded.positions,
        diagnostics: loaded.diagnostics,
      })
    : undefined;
  if (opts.json) printJson(io, { summary: summary ?? null, diagnostics: loaded.diagnostics });
  else {
    // the summary holds no password; repository URLs may carry one in their user info
    if (summary) io.stdout(renderSummary(shown(io, summary)));
    printDiagnostics(io, loaded.diagnostics);
  }
  return exitFor(loaded.diagnostics, [path], !summary);
}

export function registerSummary(program: Command, ctx: CommandContext): void {
  ctx
    .withFormatFlags(
      program
        .command('summary')
        .description('a readable, resolved view of a definition (as mkosi summary, kiwi-ng image info)')
        .argument('<path>', 'a definition file, or a folder holding one')
        .option('--from <format>', 'input format (detected when absent)')
        .option('--profile <name>', 'activate a profile (repeatable)', collect, [])
        .option('--json', 'print {"summary": ..., "diagnostics": [...]}'),
    )
    .action(async (path: string, opts: SummaryFlags) => {
      ctx.exit.code = await runSummary(ctx.io, ctx.registry, path, opts);
    });
}
