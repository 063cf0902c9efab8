import type { FormatModule } from '../contract.js';
import { virtBuilderCodes } from './codes.js';
import { virtBuilderReader } from './read/index.js';
import { virtBuilderWriter } from './write/index.js';

export const virtBuilderFormat: FormatModule = {
  id: 'virt-builder',
  name: 'virt-builder index, virt-customize command file, preseed template',
  detection:
    'a file named index, index.asc, *.index or *.index-fragment ([template] sections of key=value); a *.virt-customize command file; a *.preseed; a folder with index and/or customize.virt-customize (what imgc writes)',
  patterns: ['index', 'index.asc', '*.index', '*.index-fragment', '*.virt-customize', '*.preseed'],
  reader: virtBuilderReader,
  writer: virtBuilderWriter,
  codes: virtBuilderCodes,
};
