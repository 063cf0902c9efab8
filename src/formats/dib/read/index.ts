/**
 * diskimage-builder reader: an element folder (the element and what it pulls in) or an image
 * list (YAML with `elements:` per image). Elements are looked up on the search path given with
 * `-O elementsPath=DIR[:DIR...]`, then ELEMENTS_PATH, as disk-image-create does; for an element
 * folder its parent folder comes first. Nothing an element holds is run.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { readFailure, readInputText } from '../../../input/bounded.js';
import type { PositionTable, SourcePosition } from '../../../ir/positions.js';
import type { DetectCandidate, FormatReader, ReadOptions, ReadResult } from '../../contract.js';
import { dibCodes } from '../codes.js';
import { type DibExtension, EXTENSION_ID } from '../extension.js';
import { ELEMENT_MARKERS, PHASES } from '../vocabulary.js';
import type { Known } from './environment.js';
import { type ImageEntry, type ImageList, positionIn, readImageList } from './image-list.js';
import { type ListInput, lowerElementList } from './lower.js';
import { isRecord, isScalar } from './yaml.js';

const PHASE_DIRS = new Set([...PHASES.map((p) => p.dir), 'environment.d']);
/** Other formats' folders hold these; such a folder is theirs. */
const OTHER_FORMATS = /^(mkosi\.conf|config\.xml|config\.kiwi|auto|Containerfile|Dockerfile|template\.tdl)$/;

function isElementFolder(entries: readonly string[]): boolean {
  return entries.some((e) => ELEMENT_MARKERS.includes(e) || PHASE_DIRS.has(e));
}

function detect(c: DetectCandidate): number {
  if (c.isDirectory) {
    const entries = c.entries ?? [];
    if (entries.some((e) => OTHER_FORMATS.test(e))) return 0;
    if (entries.some((e) => ELEMENT_MARKERS.includes(e))) return 0.6;
    return isElementFolder(entries) ? 0.3 : 0;
  }
  if (!/\.ya?ml$/i.test(c.name)) return 0;
  const head = c.head ?? '';
  if (/^disk_images\s*:/m.test(head)) return 0.85;
  if (/^-\s+imagename\s*:/m.test(head) || (/^\s+imagename\s*:/m.test(head) && /^\s+elements\s*:/m.test(head)))
    return 0.8;
  return 0;
}

function pathList(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(':')
        .filter(Boolean)
        .map((p) => resolve(p))
    : [];
}

function searchPathOf(options: ReadOptions, first: string[]): { path: string[]; from: string } {
  const flag = pathList(options.options?.elementsPath);
  const fromEnv = pathList(process.env.ELEMENTS_PATH);
  const path = [...new Set([...first, ...flag, ...fromEnv])];
  const from = [
    first.length ? "the element folder's parent" : '',
    flag.length ? '-O elementsPath' : '',
    fromEnv.length ? 'ELEMENTS_PATH' : '',
  ]
    .filter(Boolean)
    .join(', ');
  return { path, from: from || 'nothing given' };
}

function finish(
  lowered: ReturnType<typeof lowerElementList>,
  diagnostics: Diagnostic[],
  files: string[],
): ReadResult {
  const all = [...diagnostics, ...lowered.diagnostics];
  const failed = all.some((d) => d.severity === 'error');
  return {
    ...(failed ? {} : { ir: lowered.ir }),
    positions: lowered.positions,
    diagnostics: all,
    files: [...new Set([...files, ...lowered.files])],
  };
}

function readElementFolder(dir: string, options: ReadOptions): ReadResult {
  const entries = readdirSync(dir);
  const at: SourcePosition = { file: dir, line: 1, column: 1 };
  if (!isElementFolder(entries))
    return { positions: {}, files: [dir], diagnostics: [diag(dibCodes.notAnElement, { path: dir }, at)] };
  const search = searchPathOf(options, [dirname(dir)]);
  const diagnostics = [
    diag(dibCodes.searchPath, { path: `${search.path.join(':')} (from ${search.from})` }, at),
  ];
  const input: ListInput = {
    asked: [{ name: basename(dir), at }],
    searchPath: search.path,
    given: new Map(),
    extraPackages: [],
    sourceDir: dir,
    at,
    ...(typeof options.options?.arch === 'string' ? { archFlag: options.options.arch } : {}),
  };
  return finish(lowerElementList(input), diagnostics, [dir]);
}

const IMAGE_KEYS_READ = new Set([
  'imagename',
  'elements',
  'packages',
  'environment',
  'type',
  'distro',
  'release',
  'arch',
]);

/** disk-image-create -t types → IR outputs. */
function outputOf(type: string): { type: 'disk' | 'tar' | 'directory' | 'oci'; format?: string } | undefined {
  if (['qcow2', 'raw', 'vhd', 'vmdk', 'vdi', 'qed'].includes(type)) return { type: 'disk', format: type };
  if (type === 'tar' || type === 'tgz') return { type: 'tar' };
  if (type === 'docker') return { type: 'oci' };
  return undefined;
}

function readImage(
  file: string,
  list: ImageList,
  image: ImageEntry,
  options: ReadOptions,
  diagnostics: Diagnostic[],
): ReadResult {
  const f = image.fields;
  const at = (...keys: (string | number)[]) =>
    positionIn(list, image, ...keys) ?? { file, line: 1, column: 1 };
  const asked: ListInput['asked'] = [];
  const elements = Array.isArray(f.elements) ? f.elements : [];
  elements.forEach((e, i) => {
    if (typeof e === 'string' && e.trim()) asked.push({ name: e.trim(), at: at('elements', i) });
  });
  if (typeof f.distro === 'string' && !asked.some((a) => a.name === f.distro))
    asked.push({ name: f.distro, at: at('distro') });
  if (!asked.length) {
    diagnostics.push(diag(dibCodes.noElements, { image: image.name }, at()));
    return { positions: {}, files: [file], diagnostics };
  }
  const given = new Map<string, Known>();
  const scalar = (v: unknown, what: string, where: SourcePosition): v is string | number | boolean => {
    if (isScalar(v)) return true;
    diagnostics.push(diag(dibCodes.badShape, { what, expected: 'a string, number or boolean' }, where));
    return false;
  };
  if (isRecord(f.environment))
    for (const [k, v] of Object.entries(f.environment))
      if (v !== null && v !== undefined && scalar(v, `environment ${k}`, at('environment', k)))
        given.set(k, { value: String(v), at: at('environment', k), from: 'image' });
  if (f.release !== undefined && f.release !== null && !given.has('DIB_RELEASE'))
    if (scalar(f.release, 'release', at('release')))
      given.set('DIB_RELEASE', { value: String(f.release), at: at('release'), from: 'image' });
  if (typeof f.arch === 'string' && !given.has('ARCH'))
    given.set('ARCH', { value: f.arch, at: at('arch'), from: 'image' });
  const extraPackages = (Array.isArray(f.packages) ? f.packages : [])
    .map((p, i) => ({
      name: scalar(p, `packages entry ${i + 1}`, at('packages', i)) ? String(p) : '',
      at: at('packages', i),
    }))
    .filter((p) => p.name.trim());
  const search = searchPathOf(options, []);
  diagnostics.push(
    diag(dibCodes.searchPath, { path: `${search.path.join(':') || '(empty)'} (from ${search.from})` }, at()),
  );
  const lowered = lowerElementList({
    asked,
    searchPath: search.path,
    given,
    extraPackages,
    sourceDir: dirname(file),
    at: at(),
    ...(typeof options.options?.arch === 'string' ? { archFlag: options.options.arch } : {}),
  });
  const ir = lowered.ir;
  const positions: PositionTable = lowered.positions;
  if (typeof f.imagename === 'string') {
    ir.metadata = { name: f.imagename };
    positions['/metadata/name'] = at('imagename');
  }
  const types = typeof f.type === 'string' ? f.type.split(',').map((t) => t.trim()) : [];
  if (!types.length) {
    ir.outputs.push({ type: 'disk', format: 'qcow2' });
    lowered.diagnostics.push(
      diag(
        dibCodes.outputType,
        { type: 'disk (qcow2)', how: 'the image names no type; disk-image-create makes qcow2 without -t' },
        at(),
      ),
    );
  }
  const ext = ir.extensions[EXTENSION_ID] as DibExtension;
  for (const t of types) {
    const out = outputOf(t);
    if (out) {
      positions[`/outputs/${ir.outputs.length}`] = at('type');
      ir.outputs.push({ ...out, ...(typeof f.imagename === 'string' ? { name: f.imagename } : {}) });
    } else {
      ext.image = { ...ext.image, type: t };
      lowered.diagnostics.push(diag(dibCodes.imageKey, { key: `type ${t}` }, at('type')));
    }
  }
  for (const [k, v] of Object.entries(f)) {
    if (IMAGE_KEYS_READ.has(k)) continue;
    ext.image = { ...ext.image, [k]: v };
    lowered.diagnostics.push(diag(dibCodes.imageKey, { key: k }, at(k)));
  }
  return finish(lowered, diagnostics, [file]);
}

async function readImageListFile(file: string, options: ReadOptions): Promise<ReadResult> {
  const text = await readInputText(file);
  const diagnostics: Diagnostic[] = [];
  const list = readImageList(text, file, diagnostics);
  if (!list) return { positions: {}, files: [file], diagnostics };
  if (!list.images.length) {
    if (!diagnostics.length)
      diagnostics.push(
        diag(
          dibCodes.badShape,
          { what: 'the image list', expected: 'at least one image' },
          { file, line: 1, column: 1 },
        ),
      );
    return { positions: {}, files: [file], diagnostics };
  }
  const wanted = typeof options.options?.dibImage === 'string' ? options.options.dibImage : undefined;
  const image = wanted ? list.images.find((i) => i.name === wanted) : list.images[0];
  if (!image) {
    diagnostics.push(
      diag(
        dibCodes.unknownImage,
        { image: wanted!, known: list.images.map((i) => i.name).join(', ') },
        { file, line: 1, column: 1 },
      ),
    );
    return { positions: {}, files: [file], diagnostics };
  }
  if (!wanted && list.images.length > 1)
    diagnostics.push(
      diag(
        dibCodes.imageChosen,
        {
          image: image.name,
          others: list.images
            .slice(1)
            .map((i) => i.name)
            .join(', '),
        },
        positionIn(list, image) ?? { file, line: 1, column: 1 },
      ),
    );
  return readImage(file, list, image, options, diagnostics);
}

async function read(input: string, options: ReadOptions): Promise<ReadResult> {
  try {
    if (statSync(input).isDirectory()) return readElementFolder(input, options);
    return await readImageListFile(input, options);
  } catch (e) {
    return { positions: {}, files: [], diagnostics: [readFailure(e, input)] };
  }
}

export const dibReader: FormatReader = { detect, read };
