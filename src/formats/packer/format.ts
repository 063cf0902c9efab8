/**
 * Packer templates (format id `packer`): HCL2 template folders (`*.pkr.hcl`, with
 * `*.auto.pkrvars.hcl`) and legacy JSON templates. Reads the first builder as the image (disk
 * size, format, name, the distribution from its ISO), shell provisioners as scripts and
 * packages, file provisioners as files; everything else is kept as Packer data. Writes HCL2,
 * `image.pkr.hcl`. See docs/formats/packer.md.
 */
import type { FormatModule } from '../contract.js';
import { packerCodes } from './codes.js';
import { packerReader } from './read/index.js';
import { packerApproximations, packerCapabilities } from './write/capabilities.js';
import { raisePacker } from './write/raise.js';

export const packerFormat: FormatModule = {
  id: 'packer',
  name: 'Packer template',
  detection:
    'a *.pkr.hcl file or a folder holding them (HCL2), a *.pkr.json file, or a JSON file with a "builders" list (legacy)',
  patterns: ['*.pkr.hcl', '*.pkr.json', '*.json'],
  reader: packerReader,
  writer: {
    capabilities: packerCapabilities,
    approximations: packerApproximations,
    profiles: false,
    write: (ir, options) => raisePacker(ir, options),
  },
  codes: packerCodes,
};
