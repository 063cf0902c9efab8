import type { FormatModule } from '../contract.js';
import { blueprintCodes } from './codes.js';
import { blueprintReader } from './read/index.js';
import { blueprintWriter } from './write/index.js';

export const blueprintFormat: FormatModule = {
  id: 'blueprint',
  name: 'osbuild blueprint (TOML)',
  detection:
    'a .toml file with blueprint keys (name, [[packages]], [customizations]); a folder with blueprint.toml or config.toml',
  patterns: ['*.toml'],
  reader: blueprintReader('toml'),
  writer: blueprintWriter('toml'),
  codes: blueprintCodes,
};

export const blueprintJsonFormat: FormatModule = {
  id: 'blueprint-json',
  name: 'osbuild blueprint (JSON)',
  detection: 'a .json file with blueprint keys, a {"blueprint": ...} wrapper or an images build config',
  patterns: ['*.json'],
  reader: blueprintReader('json'),
  writer: blueprintWriter('json'),
};
