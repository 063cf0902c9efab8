/**
 * KIWI image descriptions (kiwi-ng), format id `kiwi`.
 *
 * Reads: config.xml / *.kiwi in XML (schema 5.x–8.5, older ones upgraded to 8.5 as KIWI's
 * XSL chain does) or KIWI's YAML/JSON markup; top-level includes (one level, symlinks
 * followed); profiles with import= and <requires>; arch= filters; build-type selection
 * (--type, primary, first); the description folder's hook scripts and root/ overlay.
 * Writes: config.xml at schema 8.5 (or 7.5 with --kiwi-schema 7.5), hook scripts and the
 * root/ overlay. Everything without an IR field travels in `extensions.kiwi`; see
 * docs/formats/kiwi.md for the mapping and the known gaps.
 */

import type { FormatModule } from '../contract.js';
import { kiwiCodes } from './codes.js';
import { kiwiReader } from './read/index.js';
import { kiwiWriter } from './write/index.js';

export const kiwiFormat: FormatModule = {
  id: 'kiwi',
  name: 'KIWI image description',
  detection:
    'a folder with config.xml or *.kiwi; an XML file whose root is <image schemaversion=...>; KIWI YAML/JSON',
  patterns: ['config.xml', '*.kiwi', '*.kiwi.yaml', '*.kiwi.json'],
  reader: kiwiReader,
  writer: kiwiWriter,
  codes: kiwiCodes,
};
