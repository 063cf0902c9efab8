/** `imgc manifest <tree>`: the golden manifest of an existing tree, as the build writes it. */
import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { goldenCodes } from '../diagnostics/codes/golden.js';
import { diag } from '../diagnostics/define.js';
import { toAideConf } from '../golden/aide.js';
import { buildManifest, serializeManifest } from '../golden/manifest.js';
import { toMtree } from '../golden/mtree.js';
import { kindOf, TargetError } from '../golden/target.js';
import { XattrToolMissing } from '../golden/xattrs.js';
import { EXIT, type Io, printDiagnostics } from './output.js';
import type { CommandContext } from './register.js';

export interface ManifestFlags {
  output?: string;
  format?: string;
}

export async function runManifest(io: Io, tree: string, flags: ManifestFlags): Promise<number> {
  const format = flags.format ?? 'json';
  try {
    if (kindOf(tree) !== 'directory')
      throw new TargetError('unknown-kind', `${tree} is not a directory: imgc manifest reads a tree`);
    const m = await buildManifest(tree);
    const text = format === 'mtree' ? toMtree(m) : format === 'aide' ? toAideConf(m) : serializeManifest(m);
    if (flags.output) await writeFile(flags.output, text);
    else io.stdout(text);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof XattrToolMissing) printDiagnostics(io, [diag(goldenCodes.xattrToolMissing, undefined)]);
    else if (e instanceof TargetError)
      printDiagnostics(io, [
        e.reason === 'missing'
          ? diag(goldenCodes.targetMissing, { path: tree }, { file: tree })
          : diag(goldenCodes.targetUnknown, { reason: e.message }, { file: tree }),
      ]);
    else throw e;
    return EXIT.inputErrors;
  }
}

export function registerManifest(program: Command, { io, exit }: CommandContext): void {
  program
    .command('manifest')
    .description(
      'write the golden manifest of a directory tree (what `imgc build` writes beside its outputs)',
    )
    .argument('<tree>', 'the root of an image tree')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addOption(
      new Option(
        '--format <format>',
        'json (the manifest), mtree (mtree v2 spec) or aide (AIDE configuration)',
      )
        .choices(['json', 'mtree', 'aide'])
        .default('json'),
    )
    .action(async (tree: string, opts: ManifestFlags) => {
      exit.code = await runManifest(io, tree, opts);
    });
}
