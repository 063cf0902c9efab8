/** The KIWI writer: config.xml (schema 8.5, or 7.5), hook scripts and the root/ overlay. */
import type { FormatWriter } from '../../contract.js';
import { kiwiCapabilities } from './capabilities.js';
import { writeKiwi } from './write.js';

export const kiwiWriter: FormatWriter = { capabilities: kiwiCapabilities, profiles: true, write: writeKiwi };
