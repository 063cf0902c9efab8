/** live-build reader: a configuration tree (auto/config and config/, or a config folder itself). */
import { statSync } from 'node:fs';
import { diag } from '../../../diagnostics/define.js';
import { readFailure } from '../../../input/bounded.js';
import type { DetectCandidate, FormatReader, ReadResult } from '../../contract.js';
import { liveBuildCodes } from '../codes.js';
import { lowerTree } from './lower.js';
import { readTree } from './tree.js';

const CONFIG_PARTS = [
  'package-lists',
  'hooks',
  'archives',
  'includes.chroot',
  'includes.chroot_after_packages',
];

function detect(c: DetectCandidate): number {
  if (!c.isDirectory) return 0;
  const names = c.entries ?? [];
  if (names.includes('auto') && names.includes('config')) return 0.8;
  if (names.filter((n) => CONFIG_PARTS.includes(n)).length >= 2) return 0.6;
  return 0;
}

async function read(path: string): Promise<ReadResult> {
  try {
    if (!statSync(path).isDirectory())
      return {
        positions: {},
        diagnostics: [diag(liveBuildCodes.noConfig, { path }, { file: path })],
        files: [path],
      };
    const tree = await readTree(path);
    if (!tree)
      return {
        positions: {},
        diagnostics: [diag(liveBuildCodes.noConfig, { path }, { file: path })],
        files: [path],
      };
    if (tree.diagnostics.some((d) => d.severity === 'error'))
      return { positions: {}, diagnostics: tree.diagnostics, files: [path, ...tree.files] };
    const lowered = lowerTree(tree);
    const files = [path, ...tree.files];
    if (lowered.diagnostics.some((d) => d.severity === 'error'))
      return { positions: lowered.positions, diagnostics: lowered.diagnostics, files };
    return { ...lowered, files };
  } catch (e) {
    return { positions: {}, diagnostics: [readFailure(e, path)], files: [path] };
  }
}

export const liveBuildReader: FormatReader = { detect, read: (path) => read(path) };
