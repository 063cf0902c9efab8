import type { XElement } from '../ast.js';

/**
 * Which <type> elements the writer raised from the IR, shared by the raiser and the type fitter.
 * The <type> elements that carry the IR's outputs, boot and storage; the others are kept KIWI data.
 */
export const TYPES_RAISED_FROM_IR = new WeakSet<XElement>();

/** The build type written for an output KIWI has no type for: a tarball of the root tree. */
export const FALLBACK_IMAGE = 'tbz';
