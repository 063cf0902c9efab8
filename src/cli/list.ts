/** `imgc list distros|outputs|formats|options`: what imgc knows, read from its registries. */
import { cliCodes } from '../diagnostics/codes/cli.js';
import { diag } from '../diagnostics/define.js';
import type { FormatRegistry } from '../formats/registry.js';
import { OUTPUT_TYPES, OutputType } from '../ir/schema.js';
import { buildableOutputs } from '../plan/planner.js';
import { openBackends } from '../plugins/index.js';
import { runFormats } from './commands.js';
import { FORMAT_OPTION_KEYS } from './format-option-keys.js';
import { EXIT, type Io, printDiagnostics, printJson } from './output.js';

export const LIST_TOPICS = ['distros', 'outputs', 'formats', 'options'] as const;

interface ListFlags {
  json?: boolean;
  plugin?: string[];
  config?: string;
}

export async function runList(io: Io, registry: FormatRegistry, topic: string, flags: ListFlags) {
  switch (topic) {
    case 'distros':
      return listDistros(io, flags);
    case 'outputs':
      return listOutputs(io, flags);
    case 'formats':
      return runFormats(io, registry, flags);
    case 'options':
      return listOptions(io, flags);
    default:
      printDiagnostics(io, [diag(cliCodes.unknownListTopic, { topic, known: LIST_TOPICS.join(', ') })]);
      return EXIT.usage;
  }
}

/** Each distribution id a backend builds, with the releases it knows. */
export function distributionRows(flags: ListFlags = {}) {
  const opened = openBackends({
    explicit: flags.plugin ?? [],
    ...(flags.config ? { config: flags.config } : {}),
  });
  const rows = opened.registry.list().flatMap((backend) =>
    backend.distributions.map((id) => ({
      id,
      backend: backend.id,
      releases: [...backend.releases(id)],
    })),
  );
  return { rows, opened };
}

async function listDistros(io: Io, flags: ListFlags): Promise<number> {
  const { rows, opened } = distributionRows(flags);
  await opened.close();
  if (flags.json) printJson(io, { distributions: rows, diagnostics: opened.diagnostics });
  else {
    const width = Math.max(...rows.map((r) => r.id.length));
    const backendWidth = Math.max(...rows.map((r) => r.backend.length));
    for (const r of rows)
      io.stdout(
        `${r.id.padEnd(width)}  ${r.backend.padEnd(backendWidth)}  ${r.releases.join(' ') || '(any release)'}\n`,
      );
    printDiagnostics(io, opened.diagnostics);
  }
  return opened.diagnostics.some((d) => d.severity === 'error') ? EXIT.inputErrors : EXIT.ok;
}

/** The IR schema's description of output types, "a/b: text; c: text", split per type. */
function outputDescriptions(): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (OutputType.description ?? '').split('; ')) {
    const colon = part.indexOf(': ');
    if (colon < 0) continue;
    for (const type of part.slice(0, colon).split('/')) map.set(type, part.slice(colon + 2));
  }
  return map;
}

export function outputRows() {
  const descriptions = outputDescriptions();
  return [...OUTPUT_TYPES].map((type) => ({
    type,
    buildable: (buildableOutputs as readonly string[]).includes(type),
    description: descriptions.get(type) ?? '',
  }));
}

function listOutputs(io: Io, flags: ListFlags): number {
  const rows = outputRows();
  if (flags.json) printJson(io, { outputs: rows });
  else {
    const width = Math.max(...rows.map((r) => r.type.length));
    for (const r of rows)
      io.stdout(`${r.type.padEnd(width)}  ${r.buildable ? 'build    ' : 'translate'}  ${r.description}\n`);
  }
  return EXIT.ok;
}

function listOptions(io: Io, flags: ListFlags): number {
  if (flags.json) printJson(io, { options: FORMAT_OPTION_KEYS });
  else {
    const width = Math.max(...FORMAT_OPTION_KEYS.map((k) => k.key.length));
    for (const k of FORMAT_OPTION_KEYS)
      io.stdout(`-O ${k.key.padEnd(width)}  ${k.description} (${k.readBy})\n`);
  }
  return EXIT.ok;
}
