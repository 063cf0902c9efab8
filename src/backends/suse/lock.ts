/** Locking with zypper: its resolution, with URL, SHA-256 and size from the repositories' rpm-md metadata. */
import { lockFromRpmMd } from '../common/rpm-md-lock.js';
import type { LockResolution, PackageRequest, ResolveContext } from '../contract.js';
import { resolveWithZypper } from './resolve.js';

export async function lockWithZypper(
  request: PackageRequest,
  context: ResolveContext,
): Promise<LockResolution> {
  return lockFromRpmMd(await resolveWithZypper(request, context), request);
}
