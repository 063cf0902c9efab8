/**
 * imgc's own IR as a format (id `ir`): JSON or YAML documents holding the IR, bare or as the
 * `imgc inspect --json` envelope. Reading checks the document against the IR schema with
 * positioned errors (IMGC1011–IMGC1014); writing gives `image.ir.json`, losing nothing.
 * See docs/formats/ir.md.
 */

import type { FormatModule } from '../contract.js';
import { irReader } from './read/index.js';
import { irWriter } from './write/index.js';

export const irFormat: FormatModule = {
  id: 'ir',
  name: 'imgc IR (JSON or YAML)',
  detection:
    'a *.ir.json / *.ir.yaml file; a JSON or YAML file with a top-level irVersion (bare or inside the {"ir": ...} of `imgc inspect --json`); a folder holding one *.ir.json when no other format claims it',
  patterns: ['*.ir.json', '*.ir.yaml', '*.ir.yml'],
  reader: irReader,
  writer: irWriter,
};
