/**
 * Debian live-build configuration trees (format id `live-build`): `auto/config`'s `lb config`
 * call (or the variables a saved config holds), package lists, archives, includes.chroot and
 * chroot hooks. Writes such a tree. See docs/formats/live-build.md.
 */
import type { FormatModule } from '../contract.js';
import { liveBuildCodes } from './codes.js';
import { liveBuildReader } from './read/index.js';
import { liveBuildApproximations, liveBuildCapabilities } from './write/capabilities.js';
import { raiseLiveBuild } from './write/raise.js';

export const liveBuildFormat: FormatModule = {
  id: 'live-build',
  name: 'live-build configuration tree',
  detection:
    'a folder holding auto/ and config/, or a config folder with package-lists/, hooks/, archives/ or includes.chroot/',
  patterns: [],
  reader: liveBuildReader,
  writer: {
    capabilities: liveBuildCapabilities,
    approximations: liveBuildApproximations,
    profiles: false,
    write: (ir, options) => raiseLiveBuild(ir, options),
  },
  codes: liveBuildCodes,
};
