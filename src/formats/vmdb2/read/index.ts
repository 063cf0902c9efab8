/** vmdb2 reader: a `*.vmdb` / `*.yaml` specification with a `steps:` list. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import { appendAll } from '../../../input/append.js';
import { readFailure, readInputText } from '../../../input/bounded.js';
import { stackOverflowDiagnostic, tooDeepDiagnostic } from '../../../input/nesting.js';
import { inferFromRepositories } from '../../../ir/distro-defaults.js';
import type { DetectCandidate, FormatReader, ReadResult } from '../../contract.js';
import { vmdb2Codes } from '../codes.js';
import { lowerSteps } from './lower.js';
import { parseSpec } from './parse.js';

const STEP_HINT = /^\s*-\s*(mkimg|mklabel|mkpart|debootstrap|qemu-debootstrap|apt|kpartx|unpack-rootfs)\s*:/m;

function detect(c: DetectCandidate): number {
  if (c.isDirectory) return (c.entries ?? []).filter((e) => e.endsWith('.vmdb')).length === 1 ? 0.5 : 0;
  const head = c.head ?? '';
  const steps = /^steps\s*:/m.test(head);
  if (c.name.endsWith('.vmdb')) return steps ? 1 : 0.6;
  if (/\.ya?ml$/i.test(c.name) && steps && STEP_HINT.test(head)) return 0.95;
  return 0;
}

/** A folder holding exactly one *.vmdb file (what the writer makes) stands for that file. */
async function resolveFile(path: string): Promise<string> {
  if (!statSync(path).isDirectory()) return path;
  const specs = readdirSync(path).filter((e) => e.endsWith('.vmdb'));
  if (specs.length !== 1)
    throw Object.assign(new Error(`expected one *.vmdb file in the folder, found ${specs.length}`), {
      code: 'EVMDB2',
    });
  return join(path, specs[0]!);
}

async function read(given: string): Promise<ReadResult> {
  let text: string;
  let path = given;
  try {
    path = await resolveFile(given);
    text = await readInputText(path);
  } catch (e) {
    return { positions: {}, diagnostics: [readFailure(e, path)], files: [path] };
  }
  const tooDeep = tooDeepDiagnostic(text, 'yaml', path);
  if (tooDeep) return { positions: {}, diagnostics: [tooDeep], files: [path] };
  let parsed: ReturnType<typeof parseSpec>;
  try {
    parsed = parseSpec(text, path);
  } catch (e) {
    // the yaml package's parser recurses per nesting level the pre-scan cannot see
    const overflow = stackOverflowDiagnostic(e, text, 'yaml', path);
    if (!overflow) throw e;
    return { positions: {}, diagnostics: [overflow], files: [path] };
  }
  if (!parsed.ok) {
    const d =
      parsed.kind === 'syntax'
        ? diag(vmdb2Codes.syntax, { detail: parsed.detail }, parsed.at)
        : diag(vmdb2Codes.noSteps, { found: parsed.detail }, parsed.at);
    return { positions: {}, diagnostics: [d], files: [path] };
  }
  const problems = parsed.problems.map((p) => diag(vmdb2Codes.badStep, { detail: p.detail }, p.at));
  const lowered = lowerSteps(parsed.steps);
  const diagnostics = [...problems, ...lowered.diagnostics];
  appendAll(diagnostics, inferFromRepositories(lowered.ir, lowered.positions));
  if (diagnostics.some((d) => d.severity === 'error'))
    return { positions: lowered.positions, diagnostics, files: [path] };
  return { ir: lowered.ir, positions: lowered.positions, diagnostics, files: [path] };
}

export const vmdb2Reader: FormatReader = { detect, read: (path) => read(path) };
