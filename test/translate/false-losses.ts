/**
 * Checks a loss report against what the target's reader takes back from the written files:
 * a field reported lost (IMGC6001) must not come back. The field is looked up in the re-read
 * IR at the same place, list items matched by identity (name, id, path, ...) rather than by
 * index, since a writer may reorder them.
 */
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { getAt, parsePointer } from '../../src/ir/pointer.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { contains } from './matrix-helpers.js';

export interface LossCheck {
  /** IMGC6001 reports whose value could be looked up */
  checked: number;
  /** `pointer: value` of reports whose value the target's reader took back */
  falseLosses: string[];
}

const IDENTITY_KEYS = ['name', 'id', 'path', 'mountpoint', 'source', 'destination', 'label'];

export function checkReportedLosses(
  written: ImageIR,
  reread: ImageIR,
  diagnostics: readonly Diagnostic[],
): LossCheck {
  const result: LossCheck = { checked: 0, falseLosses: [] };
  for (const d of diagnostics) {
    if (d.code !== 'IMGC6001' || !d.pointer) continue;
    const lost = getAt(written, d.pointer);
    if (lost === undefined) continue;
    result.checked++;
    if (cameBack(written, reread, parsePointer(d.pointer), lost))
      result.falseLosses.push(`${d.pointer}: ${JSON.stringify(lost).slice(0, 120)}`);
  }
  return result;
}

/** Does the re-read IR hold `lost` at the place `tokens` names in the written IR? */
function cameBack(written: unknown, reread: unknown, tokens: string[], lost: unknown): boolean {
  let w = written;
  let candidates: unknown[] = [reread];
  for (const [depth, token] of tokens.entries()) {
    const last = depth === tokens.length - 1;
    const next: unknown[] = [];
    if (Array.isArray(w)) {
      const item = w[Number(token)];
      for (const c of candidates) {
        if (!Array.isArray(c)) continue;
        if (last) next.push(...c);
        else next.push(...counterparts(item, c, Number(token), tokens[depth + 1]));
      }
      w = item;
    } else {
      for (const c of candidates)
        if (c !== null && typeof c === 'object') next.push((c as Record<string, unknown>)[token]);
      w = w !== null && typeof w === 'object' ? (w as Record<string, unknown>)[token] : undefined;
    }
    candidates = next.filter((c) => c !== undefined);
  }
  return candidates.some((c) => c !== undefined && contains(lost, c) && !isBlank(lost));
}

/** The items of `got` that `item` may have become: same identity key value, else the same index. */
function counterparts(item: unknown, got: unknown[], index: number, field: string | undefined): unknown[] {
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    const rec = item as Record<string, unknown>;
    for (const k of IDENTITY_KEYS) {
      if (k === field || rec[k] === undefined) continue;
      const same = got.filter(
        (g) => g !== null && typeof g === 'object' && (g as Record<string, unknown>)[k] === rec[k],
      );
      if (same.length) return same;
    }
  }
  return got[index] === undefined ? [] : [got[index]];
}

function isBlank(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (v !== null && typeof v === 'object') return Object.values(v).every((x) => x === undefined);
  return false;
}

/** `pointer` with list indices as `*`, for counting reports by field. */
export function pointerPattern(pointer: string): string {
  return pointer.replace(/\/\d+(?=\/|$)/g, '/*');
}
