/** The KIWI reader: detection of a description (folder, XML, YAML or JSON markup) and reading it. */
import type { DetectCandidate, FormatReader } from '../../contract.js';
import { readKiwi } from './read.js';

function detect(c: DetectCandidate): number {
  if (c.isDirectory) {
    const entries = c.entries ?? [];
    if (entries.includes('config.xml') || entries.some((e) => e.endsWith('.kiwi'))) return 0.8;
    return 0;
  }
  const head = c.head ?? '';
  const xmlImage = /<image[\s>][^>]*schemaversion=/.test(head);
  if (c.name.endsWith('.kiwi')) return 1;
  if (xmlImage) return 0.95;
  if (/^[^\S\n\r\u2028\u2029]*image\s*:/m.test(head) && /['"]?@schemaversion['"]?\s*:/.test(head)) return 0.9;
  if (/"image"\s*:\s*\{/.test(head) && /"@schemaversion"/.test(head)) return 0.9;
  if (c.name === 'config.xml' && /<image[\s>]/.test(head)) return 0.9;
  return 0;
}

export const kiwiReader: FormatReader = { detect, read: readKiwi };
