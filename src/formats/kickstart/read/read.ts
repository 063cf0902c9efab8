/** Reads a kickstart file: includes, sections, version checks, lowering. Never throws. */

import { coreCodes } from '../../../diagnostics/codes/core.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { inferFromRepositories } from '../../../ir/distro-defaults.js';
import type { ReadOptions, ReadResult } from '../../contract.js';
import { kickstartCodes } from '../codes.js';
import { type KsVersion, resolveVersion, SUPPORTED_VERSIONS } from '../versions.js';
import { chooseVersion } from './infer-version.js';
import { loadSource, type SourceOptions } from './source.js';

/** The version named with --ks-version, if any; an unknown name is an error. */
export function versionFromOptions(options: ReadOptions['options']): {
  version?: KsVersion;
  error?: string;
} {
  const requested = options?.ksVersion;
  if (typeof requested !== 'string' || requested === '') return {};
  const version = resolveVersion(requested);
  return version ? { version } : { error: requested };
}

export function readKickstartFile(
  path: string,
  options: ReadOptions = {},
  source: SourceOptions = {},
): ReadResult {
  const { version: explicit, error } = versionFromOptions(options.options);
  if (error !== undefined) {
    return {
      positions: {},
      files: [],
      diagnostics: [diag(kickstartCodes.unknownVersion, { name: error, known: SUPPORTED_VERSIONS })],
    };
  }
  try {
    const includePath = source.includePath ?? splitPath(options.options?.includePath);
    const loaded = loadSource(path, { ...source, includePath });
    if (loaded.files.length === 0 || loaded.refused)
      return { positions: {}, files: loaded.files, diagnostics: loaded.diagnostics };
    const { reading, note } = chooseVersion(loaded.lines, path, explicit);
    const { doc, lowered, version } = reading;
    const comment = doc.versionComment;
    if (explicit && comment !== undefined && resolveVersion(comment) !== version) {
      const line = loaded.lines.find((l) => l.file === path && l.text.trim().startsWith('#version='));
      doc.diagnostics.push(
        diag(
          kickstartCodes.versionCommentDiffers,
          { comment, version },
          { file: path, line: line?.line ?? 1, column: 1 },
        ),
      );
    }
    // made for this reading only, so tagged in place: a copy of each doubled the peak on long files
    const diagnostics: Diagnostic[] = [note];
    for (const list of [loaded.diagnostics, doc.diagnostics, lowered.diagnostics])
      appendAll(diagnostics, list);
    for (const d of diagnostics) d.source ??= 'kickstart';
    for (const name of options.profiles ?? []) {
      diagnostics.push(diag(coreCodes.unknownProfile, { name, known: '' }, { file: path }));
    }
    appendAll(diagnostics, inferFromRepositories(lowered.ir, lowered.positions));
    return { ir: lowered.ir, positions: lowered.positions, diagnostics, files: loaded.files };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return {
      positions: {},
      files: [path],
      diagnostics: [diag(coreCodes.internalError, { detail }, { file: path })],
    };
  }
}

function splitPath(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? value.split(':') : [];
}
