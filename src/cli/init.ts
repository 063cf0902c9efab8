/**
 * `imgc init [--from-format F] [DIR]`: a new, minimal definition — a distribution, a hostname
 * and a disk output — written by the format's own writer (so every writable format is
 * covered, and the file is what imgc would translate to), then read back as `imgc validate`
 * would. A folder that is not empty is refused without --force.
 */
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { cliCodes } from '../diagnostics/codes/cli.js';
import { coreCodes } from '../diagnostics/codes/core.js';
import { discoveryCodes } from '../diagnostics/codes/discovery.js';
import { diag } from '../diagnostics/define.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import { loadDefinition } from '../formats/load.js';
import type { FormatRegistry } from '../formats/registry.js';
import { translateIr } from '../formats/translate.js';
import { writeOutputFiles } from '../formats/write-files.js';
import { appendAll } from '../input/append.js';
import { reasonOf } from '../input/reason.js';
import { parseDistroFlag } from '../ir/distro-defaults.js';
import { emptyIr } from '../ir/empty.js';
import type { ImageIR } from '../ir/schema.js';
import { formatOptionsFrom } from './options.js';
import { exitFor, type Io, printDiagnostics, printJson, say } from './output.js';

export interface InitFlags {
  fromFormat?: string;
  distro?: string;
  defaultDistro?: string;
  defaultDistroFrom?: string;
  force?: boolean;
  json?: boolean;
  formatOption?: string[];
  /** the architecture, for formats that must name one (TDL, virt-builder) */
  arch?: string;
}

/** The format written when --from-format is not given; said so in a note. */
export const INIT_DEFAULT_FORMAT = 'mkosi';

export async function runInit(io: Io, registry: FormatRegistry, dir: string, flags: InitFlags) {
  const diagnostics: Diagnostic[] = [];
  const finish = (files: string[], done?: string) => {
    if (flags.json) printJson(io, { files, diagnostics });
    else {
      printDiagnostics(io, diagnostics);
      for (const f of files) io.stdout(`${f}\n`);
      if (done) say(io, done);
    }
    return exitFor(diagnostics);
  };
  const formatId = flags.fromFormat ?? INIT_DEFAULT_FORMAT;
  if (!flags.fromFormat)
    diagnostics.push(
      diag(discoveryCodes.defaultFromConfig, {
        flag: '--from-format',
        value: formatId,
        from: "init's default; --from-format names another",
      }),
    );
  const format = registry.get(formatId);
  if (!format?.writer || !format.reader) {
    const known = registry
      .list()
      .filter((f) => f.writer && f.reader)
      .map((f) => f.id)
      .join(', ');
    diagnostics.push(
      format
        ? diag(coreCodes.formatCannotWrite, { id: formatId })
        : diag(coreCodes.unknownFormat, { id: formatId, known }),
    );
    return finish([]);
  }
  const distroText = flags.distro ?? flags.defaultDistro;
  const distro = distroText ? parseDistroFlag(distroText) : undefined;
  if (!distroText) diagnostics.push(diag(cliCodes.initNeedsDistro, undefined));
  else if (!distro) diagnostics.push(diag(coreCodes.badDistroFlag, { value: distroText }));
  else if (!flags.distro && flags.defaultDistroFrom)
    diagnostics.push(
      diag(discoveryCodes.defaultFromConfig, {
        flag: '--distro',
        value: distroText,
        from: flags.defaultDistroFrom,
      }),
    );
  if (!distro) return finish([]);

  const target = resolve(dir);
  const entries = await readdir(target).catch(() => [] as string[]);
  if (entries.length && !flags.force) {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
    diagnostics.push(diag(cliCodes.initFolderNotEmpty, { path: target, entries: shown }));
    return finish([]);
  }

  const translated = await translateIr({
    ir: starterIr(distro, flags.arch),
    positions: {},
    sourceDir: target,
    target: format,
    options: formatOptionsFrom({ formatOption: flags.formatOption ?? [] }),
  });
  appendAll(diagnostics, translated.diagnostics);
  if (hasErrors(diagnostics)) return finish([]);
  let files: string[];
  try {
    files = await writeOutputFiles(target, translated.files);
  } catch (e) {
    diagnostics.push(diag(coreCodes.outputNotWritable, { path: target, reason: reasonOf(e) }));
    return finish([]);
  }
  // read back as `imgc validate` does: a scaffold imgc cannot read is a bug, reported as such
  const back = await loadDefinition(registry, target, { from: format.id });
  appendAll(
    diagnostics,
    back.diagnostics.filter((d) => d.severity !== 'info'),
  );
  const what = [distro.id, distro.release].filter(Boolean).join(' ');
  const done = `wrote a new ${format.name} definition for ${what} into ${target}`;
  return finish(files, hasErrors(diagnostics) ? undefined : done);
}

/** What every new definition says: the distribution, a hostname, and a disk to build. */
function starterIr(distro: { id: string; release?: string }, arch?: string): ImageIR {
  const ir = emptyIr();
  ir.distribution = {
    id: distro.id,
    ...(distro.release ? { release: distro.release } : {}),
    ...(arch ? { architecture: arch } : {}),
  };
  ir.system.hostname = 'imgc-image';
  ir.outputs.push({ type: 'disk' });
  return ir;
}
