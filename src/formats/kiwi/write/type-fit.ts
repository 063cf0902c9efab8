/**
 * Makes every written <type> obey KIWI's schematron rules (type-rules.ts), which the RelaxNG
 * alone does not check and `kiwi-ng` rejects: an attribute, <bootloader> or <containerconfig>
 * that the image type may not carry is dropped and reported as a loss; a value the image type
 * must carry (the filesystem of an oem disk) is filled and reported as assumed.
 */

import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import type { ImageIR } from '../../../ir/schema.js';
import { lookupTable } from '../../../lib/lookup-table.js';
import { childElements, element, textOf, type XElement } from '../ast.js';
import { FALLBACK_IMAGE, TYPES_RAISED_FROM_IR } from './raised-types.js';
import { type TypeRules, typeRules } from './type-rules.js';

/** The root filesystem imgc's own disk output makes; KIWI needs one named on an oem type. */
export const DEFAULT_DISK_FILESYSTEM = 'ext4';

/** Where an attribute raised from the IR came from; attributes kept from a KIWI source have no IR field. */
const POINTER_OF_ATTRIBUTE: Record<string, string> = lookupTable({
  filesystem: '/outputs/0/filesystem',
  format: '/outputs/0/format',
  firmware: '/boot/firmware',
  kernelcmdline: '/system/kernel/cmdline',
  volid: '/outputs/0/volumeId',
  publisher: '/outputs/0/publisher',
  application_id: '/outputs/0/application',
  luks: '/storage/encryption',
  luks_version: '/storage/encryption/type',
  efiparttable: '/storage/partitionTable',
});

const allows = (list: string | undefined, value: string | undefined) =>
  list === undefined || (value !== undefined && list.split(' ').includes(value));

export function fitTypesToRules(
  root: XElement,
  version: string,
  ir: ImageIR,
  diagnostics: Diagnostic[],
): void {
  const rules = typeRules[version];
  if (!rules) return;
  const lost = (pointer: string, detail: string) =>
    diagnostics.push(
      diag(translateCodes.lossDetail, { pointer, target: 'kiwi', detail }, undefined, { pointer }),
    );
  const visit = (el: XElement) => {
    if (el.name === 'type') fitType(el, rules, ir, lost, diagnostics);
    for (const c of childElements(el)) visit(c);
  };
  visit(root);
}

type Lost = (pointer: string, detail: string) => void;

function fitType(
  t: XElement,
  rules: TypeRules,
  ir: ImageIR,
  reportLost: Lost,
  diagnostics: Diagnostic[],
): void {
  // a type kept from a KIWI source is extension data, whatever IR field its attribute resembles
  const fromIr = TYPES_RAISED_FROM_IR.has(t);
  const lost: Lost = (pointer, detail) => reportLost(fromIr ? pointer : '/extensions/kiwi', detail);
  const image = t.attrs.image;
  const where = `image="${image}"`;
  for (const attr of Object.keys(t.attrs)) {
    if (!allows(rules.attributeImages[attr], image)) {
      lost(
        pointerOf(attr),
        `KIWI allows ${attr} only on ${rules.attributeImages[attr]} types, not ${where}; ${shown(t, attr)} not written`,
      );
      delete t.attrs[attr];
    } else if (rules.btrfsOnly[attr] !== undefined && t.attrs.filesystem !== 'btrfs') {
      lost(
        pointerOf(attr),
        `KIWI allows ${attr} only with filesystem="btrfs"; ${shown(t, attr)} not written`,
      );
      delete t.attrs[attr];
    } else if (rules.needsOemResizeOff[attr] !== undefined && !oemResizeOff(t)) {
      lost(
        pointerOf(attr),
        `KIWI allows ${attr} only with <oem-resize>false</oem-resize>; ${shown(t, attr)} not written`,
      );
      delete t.attrs[attr];
    }
  }
  for (const [attr, images] of Object.entries(rules.requiredByImage)) {
    if (t.attrs[attr] !== undefined || !allows(images, image)) continue;
    if (attr === 'filesystem') assumeDiskFilesystem(t, ir, fromIr, diagnostics);
  }
  t.children = t.children.filter((c) => {
    if (c.kind !== 'element') return true;
    if (c.name === 'bootloader') return fitBootloader(c, rules, image, lost);
    if (c.name === 'containerconfig') return fitContainerConfig(c, rules, image, lost);
    return true;
  });
}

/** attr="value", as the report names what it dropped */
function shown(el: XElement, attr: string): string {
  return `${attr}="${el.attrs[attr]}"`;
}

function pointerOf(attr: string): string {
  return POINTER_OF_ATTRIBUTE[attr] ?? '/extensions/kiwi';
}

/** The IR field an attribute of a <type> holds: its own for a type raised from the IR, else extension data. */
export function typeAttributePointer(t: XElement, attr: string): string {
  return TYPES_RAISED_FROM_IR.has(t) ? pointerOf(attr) : '/extensions/kiwi';
}

function oemResizeOff(t: XElement): boolean {
  const oem = childElements(t).find((c) => c.name === 'oemconfig');
  const resize = oem ? childElements(oem).find((c) => c.name === 'oem-resize') : undefined;
  return resize !== undefined && textOf(resize)?.trim() === 'false';
}

function assumeDiskFilesystem(t: XElement, ir: ImageIR, fromIr: boolean, diagnostics: Diagnostic[]): void {
  const partitions = ir.storage?.partitions ?? [];
  const rootIndex = partitions.findIndex((p) => p.role === 'root');
  const irPointer = rootIndex >= 0 ? `/storage/partitions/${rootIndex}/filesystem` : '/storage';
  const pointer = fromIr ? irPointer : '/extensions/kiwi';
  const named = partitions[rootIndex]?.filesystem;
  t.attrs.filesystem = named ?? DEFAULT_DISK_FILESYSTEM;
  diagnostics.push(
    diag(
      translateCodes.assumedDefault,
      {
        field: `${pointer} (<type image="${t.attrs.image}" filesystem>)`,
        value: t.attrs.filesystem,
        from: named
          ? "KIWI requires the filesystem on every disk type; the root partition's"
          : "KIWI requires the root filesystem of a disk type; the one imgc's own disk output makes",
      },
      undefined,
      { pointer, source: 'kiwi' },
    ),
  );
}

function fitBootloader(bl: XElement, rules: TypeRules, image: string | undefined, lost: Lost): boolean {
  if (!allows(rules.bootloaderImages.name, image)) {
    lost(
      '/boot/bootloader',
      `KIWI allows <bootloader> only on ${rules.bootloaderImages.name} types, not image="${image}"; <bootloader ${Object.keys(
        bl.attrs,
      )
        .map((a) => shown(bl, a))
        .join(' ')}> not written`,
    );
    return false;
  }
  for (const attr of Object.keys(bl.attrs)) {
    if (attr === 'name') continue;
    if (!allows(rules.bootloaderImages[attr], image) || !allows(rules.bootloaderNames[attr], bl.attrs.name)) {
      const pointer = attr === 'timeout' ? '/boot/timeout' : '/extensions/kiwi';
      lost(
        pointer,
        `KIWI's ${bl.attrs.name} bootloader on image="${image}" takes no ${attr}; ${shown(bl, attr)} not written`,
      );
      delete bl.attrs[attr];
    }
  }
  return true;
}

function fitContainerConfig(c: XElement, rules: TypeRules, image: string | undefined, lost: Lost): boolean {
  const refused = Object.keys(c.attrs).filter((a) => !allows(rules.containerImages[a], image));
  if (refused.length === 0) return true;
  lost(
    '/outputs/0/container',
    `KIWI takes <containerconfig> ${refused.join(', ')} only on ${rules.containerImages[refused[0]!]} types, not image="${image}"; <containerconfig ${Object.keys(
      c.attrs,
    )
      .map((a) => shown(c, a))
      .join(' ')}> not written`,
  );
  return false;
}

/**
 * KIWI refuses a description without a build type; when the target schema dropped the type
 * of the IR's output, its plain root archive stands in. An IR without outputs gets none here:
 * translate fills an output for KIWI first (IMGC6003), so only a KIWI source whose types
 * imgc could not read arrives without one, and its type is kept in a comment.
 */
export function ensureBuildType(
  root: XElement,
  ir: ImageIR,
  version: string,
  diagnostics: Diagnostic[],
): void {
  if (ir.outputs.length === 0) return;
  const hasType = (el: XElement): boolean => el.name === 'type' || childElements(el).some((c) => hasType(c));
  if (hasType(root)) return;
  const base = childElements(root).find((c) => c.name === 'preferences' && c.attrs.profiles === undefined);
  if (!base) return;
  base.children.push(element('type', { image: FALLBACK_IMAGE }));
  diagnostics.push(
    diag(
      translateCodes.lossDetail,
      {
        pointer: '/outputs/0/type',
        target: 'kiwi',
        detail: `schema ${version} has no type for this output; written as image="${FALLBACK_IMAGE}", a tarball of the root tree`,
      },
      undefined,
      { pointer: '/outputs/0/type' },
    ),
  );
}
