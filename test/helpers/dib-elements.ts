import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { rowPath } from '../conformance/translate-matrix.js';
import { readManifest } from './shared.js';

/** Where Debian's python3-diskimage-builder keeps dib's own elements. */
export const DIB_ELEMENTS = '/usr/lib/python3/dist-packages/diskimage_builder/elements';

/**
 * The element search path the dib corpus is read with: the folders holding its element
 * entries, the repository roots its image lists sit under (their elements are there), then
 * dib's own installed elements.
 */
export function corpusElementsPath(corpus: string): string {
  const folders = new Set<string>();
  const paths = readManifest('dib')
    .map((row) => rowPath(corpus, row))
    .filter((p): p is string => !!p);
  for (const path of paths) if (statSync(path).isDirectory()) folders.add(dirname(path));
  for (const path of paths) if (!statSync(path).isDirectory()) folders.add(dirname(dirname(path)));
  return [...folders, ...(existsSync(DIB_ELEMENTS) ? [DIB_ELEMENTS] : [])].join(':');
}
