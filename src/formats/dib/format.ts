import type { FormatModule } from '../contract.js';
import { dibCodes } from './codes.js';
import { dibReader } from './read/index.js';

/** Read only: an element list describes an image together with dib's own elements, so there is no writer. */
export const dibFormat: FormatModule = {
  id: 'dib',
  name: 'diskimage-builder element folder or image list (read only)',
  detection:
    'a folder with element-deps, element-provides, package-installs.yaml/.json or pkg-map (or only *.d phase folders); a .yaml image list (imagename/elements, or disk_images:)',
  patterns: ['*/', '*.yaml', '*.yml'],
  reader: dibReader,
  codes: dibCodes,
};
