import type { XElement } from '../ast.js';

/**
 * Which <type> elements the writer raised from the IR, shared by the raiser and the type fitter.
 * The <type> elements that carry the IR's outputs, boot and storage; the others are kept KIWI data.
 */
export const TYPES_RAISED_FROM_IR = new WeakSet<XElement>();

/**
 * The IR field each attribute of a raised element holds (elements other than <type>, e.g. a
 * <partition>), so a schema drop of that attribute is reported as the loss of that field.
 * Attributes kept from a KIWI source are not listed: they are extension data.
 */
export const ATTRIBUTE_POINTERS = new WeakMap<XElement, Record<string, string>>();

/** The build type written for an output KIWI has no type for: a tarball of the root tree. */
export const FALLBACK_IMAGE = 'tbz';
