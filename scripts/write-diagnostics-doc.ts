/** Writes docs/diagnostics.md from the diagnostic catalogue. `npm run docs`. */
import { writeFileSync } from 'node:fs';
import { diagnosticsDoc } from '../src/formats/diagnostics-doc.js';

writeFileSync(new URL('../docs/diagnostics.md', import.meta.url), diagnosticsDoc());
console.log('docs/diagnostics.md');
