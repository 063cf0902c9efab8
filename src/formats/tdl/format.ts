import type { FormatModule } from '../contract.js';
import { tdlCodes } from './codes.js';
import { tdlReader } from './read/index.js';
import { tdlWriter } from './write/index.js';

export const tdlFormat: FormatModule = {
  id: 'tdl',
  name: 'ImageFactory / Oz TDL template (XML)',
  detection: 'a .tdl file, or a .xml file whose root is <template> with an <os>; a folder with template.tdl',
  patterns: ['*.tdl', '*.xml'],
  reader: tdlReader,
  writer: tdlWriter,
  codes: tdlCodes,
};
