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

export interface KiwiExtension extends KiwiScopeExtension {
  /** `<!-- OBS-ExclusiveArch: ... -->` style comments, in document order */
  obs?: ObsDirective[];
}

export const KIWI_EXTENSION = 'kiwi';
