/**
 * For targets with no distribution field (KIWI, kickstart), whose readers infer it from what
 * is written: compares what a reader would infer back with the IR's distribution and reports
 * the part that would not come back as an approximation (IMGC6002).
 */
import { translateCodes } from '../../diagnostics/codes/translate.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import type { ImageIR } from '../../ir/schema.js';

export interface CarriedWording {
  /** why nothing written names the distribution (`id` wanted, `readsAs` what would be inferred) */
  unnamed: (id: string, readsAs: string | undefined) => string;
  /** why nothing written names the release */
  noRelease: (release: string, id: string) => string;
}

export function distributionNotCarried(
  ir: ImageIR,
  target: string,
  back: { id?: string; release?: string } | undefined,
  wording: CarriedWording,
): Diagnostic[] {
  const { id, release } = ir.distribution;
  const report = (pointer: string, detail: string) =>
    diag(translateCodes.lossDetail, { pointer, target, detail }, undefined, { pointer });
  // a release without a distribution: nothing written can name it
  if (!id)
    return release !== undefined && back?.release !== release
      ? [report('/distribution/release', wording.noRelease(release, 'an unnamed distribution'))]
      : [];
  if (back?.id !== id) return [report('/distribution', wording.unnamed(id, back?.id))];
  if (release !== undefined && back.release !== release)
    return [report('/distribution/release', wording.noRelease(release, id))];
  return [];
}
