/** The KIWI schema versions imgc checks against, by schemaversion. */

import { lookupTable } from '../../../lib/lookup-table.js';
import { kiwiSchema75 } from './kiwi-7.5.js';
import { kiwiSchema85 } from './kiwi-8.5.js';
import type { SchemaTable } from './table.js';

export const schemaTables: Record<string, SchemaTable> = lookupTable({
  '8.5': kiwiSchema85,
  '7.5': kiwiSchema75,
});
