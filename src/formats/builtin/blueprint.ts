import { blueprintWriter } from '../../emitters/blueprint/index.js';
import { blueprintReader } from '../../parsers/blueprint/index.js';
import type { FormatModule } from '../contract.js';

export const blueprintFormat: FormatModule = {
  id: 'blueprint',
  name: 'osbuild blueprint (TOML)',
  detection:
    'a .toml file with blueprint keys (name, [[packages]], [customizations]); a folder with blueprint.toml or config.toml',
  patterns: ['*.toml'],
  reader: blueprintReader('toml'),
  writer: blueprintWriter('toml'),
};

export const blueprintJsonFormat: FormatModule = {
  id: 'blueprint-json',
  name: 'osbuild blueprint (JSON)',
  detection: 'a .json file with blueprint keys, a {"blueprint": ...} wrapper or an images build config',
  patterns: ['*.json'],
  reader: blueprintReader('json'),
  writer: blueprintWriter('json'),
};
