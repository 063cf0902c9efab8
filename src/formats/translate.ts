import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { coreCodes } from '../diagnostics/codes/core.js';
import { translateCodes } from '../diagnostics/codes/translate.js';
import { diag } from '../diagnostics/define.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import { appendAll } from '../input/append.js';
import { MAX_NESTING } from '../input/bounded.js';
import { valueDepthExceeds } from '../input/nesting.js';
import { uncoveredPointers } from '../ir/losses.js';
import { escapeToken, getAt } from '../ir/pointer.js';
import { type PositionTable, positionOf, type SourcePosition } from '../ir/positions.js';
import { applyOverlay, mergeProfiles, resolveActiveProfiles } from '../ir/profiles.js';
import type { ImageIR } from '../ir/schema.js';
import type { FormatModule, FormatOptions, OutputFile } from './contract.js';
import { previewValue } from './shared/preview-value.js';
import { applyTargetDefaults } from './target-needs.js';

export interface TranslateInput {
  ir: ImageIR;
  positions: PositionTable;
  sourceDir?: string;
  target: FormatModule;
  options?: FormatOptions;
}

export interface TranslateResult {
  files: OutputFile[];
  diagnostics: Diagnostic[];
  /** the IR that was handed to the writer (profiles merged when the target has none) */
  written: ImageIR;
}

/**
 * IR → target files, with a loss report: each IR field outside the target's capability
 * table becomes an IMGC6001 diagnostic pointing at the source line it came from. Values the
 * target needs and the source lacks are filled from flags or defaults (IMGC6003), and the
 * writer's own approximations (IMGC6002) get the source position of their pointer.
 */
export async function translateIr(input: TranslateInput): Promise<TranslateResult> {
  const { target } = input;
  const writer = target.writer;
  if (!writer)
    return {
      files: [],
      diagnostics: [diag(coreCodes.formatCannotWrite, { id: target.id })],
      written: input.ir,
    };
  // writers and printers recurse: an IR deeper than any reader makes is refused, not overflowed
  if (valueDepthExceeds(input.ir))
    return {
      files: [],
      diagnostics: [diag(coreCodes.inputTooDeep, { what: 'the IR to translate', limit: MAX_NESTING })],
      written: input.ir,
    };
  const diagnostics: Diagnostic[] = [];
  let ir = input.ir;
  let positions = input.positions;
  if (!writer.profiles && ir.profiles.length > 0) {
    diagnostics.push(flattenedProfiles(ir, target.id, writer.profilesNote, positions));
    positions = { ...positions, ...mergedProfilePositions(ir, positions) };
    ir = mergeProfiles(ir);
  }
  const filled = applyTargetDefaults(ir, target.id, input.options, positions);
  ir = filled.ir;
  appendAll(diagnostics, filled.diagnostics);
  if (hasErrors(filled.diagnostics)) return { files: [], diagnostics, written: ir };
  // the nearest positions are built on the first pointer without a position of its own: most
  // translations have none
  const locate = (ptr: string) =>
    positions[ptr] ??
    nearestPositionsOnce(positions).get(ptr) ??
    positionOf(positions, ptr) ??
    scriptFilePosition(ir, ptr, input.sourceDir);
  // irVersion describes the IR itself, not the image: no format carries it
  const capabilities = writer.capabilitiesFor?.(input.options) ?? writer.capabilities;
  for (const ptr of uncoveredPointers(ir, capabilities).filter((p) => p !== '/irVersion')) {
    const at = locate(ptr);
    diagnostics.push(
      diag(
        translateCodes.loss,
        { pointer: ptr, target: target.id, value: previewValue(getAt(ir, ptr)) },
        at,
        {
          pointer: ptr,
          source: 'translate',
        },
      ),
    );
  }
  const written = await writer.write(ir, { positions, sourceDir: input.sourceDir, options: input.options });
  for (const d of written.diagnostics) {
    const at = d.file === undefined && d.pointer !== undefined ? locate(d.pointer) : undefined;
    // the writer's own diagnostics, made for this call: located in place, not copied
    diagnostics.push(at ? Object.assign(d, { file: at.file, line: at.line, column: at.column }) : d);
  }
  return { files: written.files, diagnostics, written: ir };
}

// `imgc translate --to all` (and the fuzz harness) translate one reading to every format: the
// position table is the same object each time, and large (100,000 entries for a 600 KB file)
const nearestByTable = new WeakMap<PositionTable, Map<string, SourcePosition>>();

function nearestPositionsOnce(positions: PositionTable): Map<string, SourcePosition> {
  let near = nearestByTable.get(positions);
  if (!near) {
    near = nearestPositions(positions);
    nearestByTable.set(positions, near);
  }
  return near;
}

/**
 * Where a pointer came from: its own position, else the first position recorded inside it
 * (a dropped subtree such as `/boot` points at its first line), else its nearest ancestor's.
 */
export function positionNear(positions: PositionTable, ptr: string): SourcePosition | undefined {
  if (positions[ptr]) return positions[ptr];
  let first: SourcePosition | undefined;
  const prefix = `${ptr}/`;
  for (const [key, pos] of Object.entries(positions)) {
    if (!key.startsWith(prefix)) continue;
    if (!first || pos.file < first.file || (pos.file === first.file && pos.line < first.line)) first = pos;
  }
  return first ?? positionOf(positions, ptr);
}

/**
 * positionNear for every pointer at once: each ancestor of a recorded pointer maps to the first
 * position inside it. One pass over the table, instead of one per loss (thousands of losses
 * times thousands of positions took 11 s on a 19 KB Containerfile).
 */
export function nearestPositions(positions: PositionTable): Map<string, SourcePosition> {
  const first = new Map<string, SourcePosition>();
  for (const [key, pos] of Object.entries(positions)) {
    for (let cut = key.lastIndexOf('/'); cut >= 0; cut = cut > 0 ? key.lastIndexOf('/', cut - 1) : -1) {
      const prefix = key.slice(0, cut);
      const seen = first.get(prefix);
      if (!seen || pos.file < seen.file || (pos.file === seen.file && pos.line < seen.line))
        first.set(prefix, pos);
    }
  }
  return first;
}

/** A script that came from a file of its own (config.sh, mkosi.postinst) is located at its first line. */
function scriptFilePosition(ir: ImageIR, ptr: string, sourceDir?: string): SourcePosition | undefined {
  const m = /^\/scripts\/(\d+)(\/|$)/.exec(ptr);
  const script = m ? ir.scripts[Number(m[1])] : undefined;
  const rel = script?.source ?? script?.name;
  if (!rel || !sourceDir) return undefined;
  const file = join(sourceDir, rel);
  return existsSync(file) ? { file, line: 1, column: 1 } : undefined;
}

/**
 * Where the fields a merged profile contributed came from: the merged image's pointer (a list
 * item appended after the image's own) → the position recorded under the profile's overlay.
 */
export function mergedProfilePositions(ir: ImageIR, positions: PositionTable): PositionTable {
  const out: PositionTable = {};
  let merged: ImageIR = structuredClone(ir);
  for (const profile of resolveActiveProfiles(ir)) {
    const prefix = `/profiles/${ir.profiles.indexOf(profile)}/overlay`;
    const walk = (node: unknown, from: string, to: string, base: unknown) => {
      const at = positions[`${prefix}${from}`];
      // a node the profile adds or replaces is located in the profile; one it extends keeps its own
      const replaces = base === undefined || node === null || typeof node !== 'object';
      if (at && to !== '' && replaces) out[to] = at;
      if (Array.isArray(node)) {
        const offset = Array.isArray(base) ? base.length : 0;
        for (const [j, item] of node.entries()) walk(item, `${from}/${j}`, `${to}/${offset + j}`, undefined);
      } else if (node !== null && typeof node === 'object')
        for (const [k, v] of Object.entries(node)) {
          const key = escapeToken(k);
          const below =
            base !== null && typeof base === 'object' ? (base as Record<string, unknown>)[k] : undefined;
          walk(v, `${from}/${key}`, `${to}/${key}`, below);
        }
    };
    walk(profile.overlay, '', '', merged);
    merged = applyOverlay(merged, profile.overlay);
  }
  return out;
}

/**
 * IMGC6004 for a target that writes no profiles: which were merged, and what each dropped
 * one held (its overlay's sections), at the first profile's position.
 */
function flattenedProfiles(
  ir: ImageIR,
  target: string,
  note: string | undefined,
  positions: PositionTable,
): Diagnostic {
  const active = new Set(ir.activeProfiles);
  const describe = (p: ImageIR['profiles'][number]) => {
    const sections = Object.entries(p.overlay)
      .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
      .map(([k]) => k);
    return sections.length ? `${p.name} (${sections.join(', ')})` : p.name;
  };
  const params = {
    target,
    reason: note ?? `${target} has no profiles`,
    merged: ir.profiles
      .filter((p) => active.has(p.name))
      .map((p) => p.name)
      .join(', '),
    dropped: ir.profiles
      .filter((p) => !active.has(p.name))
      .map(describe)
      .join(', '),
  };
  return diag(translateCodes.profileFlattened, params, positionNear(positions, '/profiles'), {
    pointer: '/profiles',
    source: 'translate',
  });
}
