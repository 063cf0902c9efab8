import type { FormatModule } from '../contract.js';
import { treefileCodes } from './codes.js';
import { treefileReader } from './read/index.js';
import { treefileWriter } from './write/index.js';

export const treefileFormat: FormatModule = {
  id: 'treefile',
  name: 'rpm-ostree treefile (YAML or JSON)',
  detection:
    'a .yaml/.yml/.json file with treefile keys (ref, include, postprocess, exclude-packages, releasever, ...); includes are resolved as rpm-ostree does',
  patterns: ['*.yaml', '*.yml', '*.json'],
  reader: treefileReader,
  writer: treefileWriter,
  codes: treefileCodes,
};
