/**
 * The one catalogue of diagnostic codes: the areas outside the formats plus the codes each
 * built-in format carries on its module, keyed by format id.
 */
import { areaCatalogue } from '../diagnostics/catalogue.js';
import type { CodeDef } from '../diagnostics/define.js';
import { builtinFormats } from './registry.js';

type Area = [name: string, codes: Record<string, CodeDef<any>>];

const firstCode = ([, codes]: Area): string =>
  Object.values(codes)
    .map((def) => def.code)
    .sort()[0] ?? '';

/** Areas in the order of their code ranges, so docs/diagnostics.md reads 1xxx to 9xxx. */
export const catalogue: Record<string, Record<string, CodeDef<any>>> = Object.fromEntries(
  [
    ...Object.entries(areaCatalogue),
    ...builtinFormats.flatMap((f): Area[] => (f.codes ? [[f.id, { ...f.codes }]] : [])),
  ].sort((a, b) => firstCode(a).localeCompare(firstCode(b))),
);

export function allCodes(): CodeDef<any>[] {
  return Object.values(catalogue).flatMap((area) => Object.values(area));
}
