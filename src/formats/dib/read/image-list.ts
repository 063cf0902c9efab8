/**
 * A diskimage-builder image list: the YAML `diskimage-builder` takes (a list of images with
 * `imagename`, `elements`, `packages`, `environment`, ...), or TripleO's `disk_images:` list that
 * `openstack overcloud image build` hands to disk-image-create.
 */
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { escapeToken } from '../../../ir/pointer.js';
import type { PositionTable, SourcePosition } from '../../../ir/positions.js';
import { dibCodes } from '../codes.js';
import { isRecord, parseDibYaml } from './yaml.js';

export interface ImageEntry {
  name: string;
  /** pointer of the image in the file */
  ptr: string;
  fields: Record<string, unknown>;
}

export interface ImageList {
  images: ImageEntry[];
  positions: PositionTable;
}

export function readImageList(text: string, file: string, diagnostics: Diagnostic[]): ImageList | undefined {
  const parsed = parseDibYaml(text, file);
  if (!parsed.ok) {
    diagnostics.push(
      diag(
        dibCodes.malformed,
        { what: 'the image list', detail: parsed.message },
        { file, line: parsed.line, column: parsed.column },
      ),
    );
    return undefined;
  }
  const top = parsed.value;
  const list = Array.isArray(top)
    ? top
    : isRecord(top) && Array.isArray(top.disk_images)
      ? top.disk_images
      : undefined;
  const base = Array.isArray(top) ? '' : '/disk_images';
  if (!list) {
    diagnostics.push(
      diag(
        dibCodes.badShape,
        { what: 'the image list', expected: 'a list of images, or disk_images: with one' },
        parsed.positions[''] ?? { file, line: 1, column: 1 },
      ),
    );
    return undefined;
  }
  const images: ImageEntry[] = [];
  list.forEach((item, i) => {
    const ptr = `${base}/${i}`;
    if (!isRecord(item)) {
      diagnostics.push(
        diag(
          dibCodes.badShape,
          { what: `image ${i + 1}`, expected: 'a map with imagename and elements' },
          parsed.positions[ptr] ?? { file, line: 1, column: 1 },
        ),
      );
      return;
    }
    const name = typeof item.imagename === 'string' ? item.imagename : `image ${i + 1}`;
    images.push({ name, ptr, fields: item });
  });
  return { images, positions: parsed.positions };
}

export function positionIn(
  list: ImageList,
  image: ImageEntry,
  ...keys: (string | number)[]
): SourcePosition | undefined {
  return list.positions[[image.ptr, ...keys.map(escapeToken)].join('/')];
}
