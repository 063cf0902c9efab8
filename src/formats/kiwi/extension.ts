/**
 * The shape of `ir.extensions.kiwi` (and of `profile.overlay.extensions.kiwi` for what a
 * profile's sections hold). The reader keeps here exactly what it could not lower to IR
 * fields; the writer puts it back, so KIWI → IR → KIWI → IR is the identity.
 *
 * Leftovers are keyed by a logical name of the element they belong to: `image`,
 * `description`, `preferences`, `type`, `bootloader`, `containerconfig`, `systemdisk`,
 * `volume:<name>`, `partition:<name>`, `user:<name>`, `users`, `repository:<id>`,
 * `source:<id>`, `packages:<type>`, `package:<type>:<name>`, `profile:<name>`, ...
 */
import type { XJson } from './ast.js';

export interface KiwiScopeExtension {
  /** attributes of lowered elements that no IR field holds */
  attrs?: Record<string, Record<string, string>>;
  /** child elements of lowered elements that no IR field holds */
  children?: Record<string, XJson[]>;
  /** whole top-level sections kept as written (drivers, strip, containers, other types' packages, other arches, ...) */
  sections?: XJson[];
  /** which `<type>` among this scope's kept preferences children is the one lowered to outputs/boot/storage */
  selectedType?: number;
  /** packages.remove entries that came from `<packages type="delete">` (forced removal) */
  forcedRemove?: string[];
  /** the tail of packages.install that came from `<packages type="<image type>">` sections */
  typePackages?: { type: string; names: string[] }[];
}

export interface ObsDirective {
  key: string;
  value: string;
}

/** Something schema 8.5 does not allow, taken out of the tree before lowering so it is not lost. */
export interface UnsupportedConstruct {
  /** where it was: element path such as image/preferences/type[@image='oem'] */
  in: string;
  reason: string;
  attribute?: { name: string; value: string };
  element?: XJson;
}

export interface KiwiExtension extends KiwiScopeExtension {
  /** `<!-- OBS-ExclusiveArch: ... -->` style comments, in document order */
  obs?: ObsDirective[];
  /** constructs the schema does not allow; the writer keeps them in comments so the XML stays valid */
  unsupported?: UnsupportedConstruct[];
}

/** Prolog comments the writer uses for unsupported constructs. */
export const UNSUPPORTED_COMMENT = 'imgc-unsupported ';

export function unsupportedToComment(u: UnsupportedConstruct): string {
  return ` ${UNSUPPORTED_COMMENT}${JSON.stringify(u).replaceAll('-', '\\u002d')} `;
}

export function unsupportedFromComment(text: string): UnsupportedConstruct | undefined {
  const t = text.trim();
  if (!t.startsWith(UNSUPPORTED_COMMENT.trim())) return undefined;
  try {
    const value = JSON.parse(t.slice(UNSUPPORTED_COMMENT.length)) as UnsupportedConstruct;
    return typeof value.in === 'string' && typeof value.reason === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export const KIWI_EXTENSION = 'kiwi';
