/**
 * mkosi (systemd/mkosi) configuration trees.
 *
 * Reads: the modern format (v15–v26: mkosi.conf, mkosi.conf.d/, mkosi.local.conf, mkosi/,
 * Include=, mkosi.profiles/, mkosi.images/, [Match]/[TriggerMatch]/[Assert], specifiers,
 * every setting of current mkosi) and, with warnings, the v14-and-older layout and keys.
 * Resolution follows mkosi's own order against an explicit host (`--host`, default
 * debian:bookworm:x86-64). Writes: one modern mkosi.conf plus the conventional files
 * (mkosi.extra/, scripts, mkosi.repart/, mkosi.sandbox/, mkosi.images/).
 */

import type { FormatModule } from '../contract.js';
import { mkosiCodes } from './codes.js';
import { mkosiReader } from './read/index.js';
import { mkosiWriter } from './write/index.js';

export const mkosiFormat: FormatModule = {
  id: 'mkosi',
  name: 'mkosi configuration tree',
  detection:
    'a folder with mkosi.conf, mkosi.conf.d/, mkosi/mkosi.conf or (legacy) mkosi.default; or an mkosi.conf file',
  patterns: ['mkosi.conf', 'mkosi.conf.d/*.conf', 'mkosi.default', 'mkosi/mkosi.conf'],
  reader: mkosiReader,
  writer: mkosiWriter,
  codes: mkosiCodes,
};
