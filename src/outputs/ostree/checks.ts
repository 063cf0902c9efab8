import { ostreeCodes } from '../../diagnostics/codes/ostree.js';
import { outputError } from '../shared/errors.js';
import { isValidRef } from './commit.js';

export function badRef(ref: string, output: string): void {
  if (!isValidRef(ref)) throw outputError(ostreeCodes.badRef, { ref }, output);
}
