/**
 * Values a translation target needs that a source may not give: the distribution (a
 * blueprint may have none, a Containerfile's base image may be unknown), its release, and an
 * output type (a kickstart has none). They come from `--distro id[:release]`, `--release`,
 * `--arch` and `--output type[:format]`; every filled value is reported as IMGC6003 so the
 * report says where it came from. There is no default distribution or release: a target that
 * needs one the source and flags do not give stops with IMGC1021/IMGC1022.
 */

import { translateCodes } from '../diagnostics/codes/translate.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { appendAll } from '../input/append.js';
import { missingDistribution, parseDistroFlag } from '../ir/distro-defaults.js';
import type { PositionTable } from '../ir/positions.js';
import { type ImageIR, OUTPUT_TYPES, type Output, type OutputType } from '../ir/schema.js';
import { lookupTable } from '../lib/lookup-table.js';
import type { FormatOptions } from './contract.js';

export type Need = 'distribution' | 'release' | 'output';

/** What each built-in target cannot do without; formats not listed need nothing. */
export const TARGET_NEEDS: Record<string, readonly Need[]> = lookupTable({
  kiwi: ['distribution', 'release', 'output'],
  mkosi: ['distribution', 'output'],
  containerfile: ['distribution', 'release'],
  tdl: ['distribution', 'release'],
});

/** Needs a target meets in another way: a Containerfile read with an unknown base image keeps it. */
const MET_OTHERWISE: Record<string, (ir: ImageIR) => Need[]> = {
  containerfile: (ir) => {
    const ext = ir.extensions.containerfile as { from?: unknown } | undefined;
    return typeof ext?.from === 'string' && !ir.distribution.id ? ['distribution', 'release'] : [];
  },
};

/** The output type assumed per target when neither the source nor --output names one. */
export const DEFAULT_OUTPUT: Output = { type: 'disk' };

const OUTPUT_TYPE_SET: ReadonlySet<string> = new Set(OUTPUT_TYPES);

export const OUTPUT_TYPE_LIST = OUTPUT_TYPES.join(', ');

export function parseOutputFlag(value: string): Output | undefined {
  const [type, format] = value.split(':');
  if (!type || !OUTPUT_TYPE_SET.has(type)) return undefined;
  return format ? { type: type as OutputType, format } : { type: type as OutputType };
}

/**
 * Fills what `target` needs and the IR lacks. Flags apply to every target when the source is
 * silent; the documented defaults only where the target needs the value.
 */
export function applyTargetDefaults(
  input: ImageIR,
  target: string,
  options: FormatOptions = {},
  positions: PositionTable = {},
): { ir: ImageIR; diagnostics: Diagnostic[] } {
  const met = new Set(MET_OTHERWISE[target]?.(input) ?? []);
  const needs = new Set((TARGET_NEEDS[target] ?? []).filter((n) => !met.has(n)));
  const diagnostics: Diagnostic[] = [];
  // only the distribution and the outputs are filled: the rest is the caller's, shared (writers
  // do not change their input; a clone per writer cost seconds on a large IR)
  const ir: ImageIR = { ...input, distribution: { ...input.distribution }, outputs: [...input.outputs] };
  const d = ir.distribution;
  const report = (pointer: string, value: string, from: string) =>
    diagnostics.push(
      diag(translateCodes.assumedDefault, { field: pointer, value, from }, undefined, {
        pointer,
        source: 'translate',
      }),
    );
  const flag = typeof options.distro === 'string' ? options.distro : undefined;
  const { id: flagId, release: flagRelease } = (flag && parseDistroFlag(flag)) || {};
  const releaseFlag = typeof options.release === 'string' ? options.release : flagRelease;
  if (!d.id) {
    if (flagId) {
      d.id = flagId;
      report('/distribution/id', flagId, '--distro');
    }
  }
  if (d.id && !d.release) {
    if (releaseFlag && (!flagId || flagId === d.id)) {
      d.release = releaseFlag;
      report('/distribution/release', releaseFlag, flag ? '--distro' : '--release');
    }
  }
  if (needs.has('distribution'))
    appendAll(diagnostics, missingDistribution(ir, positions, `writing ${target}`, needs.has('release')));
  if (!d.architecture && typeof options.arch === 'string') {
    d.architecture = options.arch;
    report('/distribution/architecture', options.arch, '--arch');
  }
  if (ir.outputs.length === 0) {
    const given = typeof options.output === 'string' ? parseOutputFlag(options.output) : undefined;
    if (given) {
      ir.outputs.push(given);
      report('/outputs/0', options.output as string, '--output');
    } else if (needs.has('output')) {
      ir.outputs.push({ ...DEFAULT_OUTPUT });
      report(
        '/outputs/0',
        DEFAULT_OUTPUT.type,
        `${target} needs an output type and the source names none; default (choose with --output)`,
      );
    }
  }
  return { ir, diagnostics };
}
