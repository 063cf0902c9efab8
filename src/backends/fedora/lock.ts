/** Locking with dnf: its resolution, with URL, SHA-256 and size from the repositories' rpm-md metadata. */
import { lockFromRpmMd } from '../common/rpm-md-lock.js';
import type { LockResolution, PackageRequest, ResolveContext } from '../contract.js';
import { resolveWithDnf } from './resolve.js';

export async function lockWithDnf(request: PackageRequest, context: ResolveContext): Promise<LockResolution> {
  return lockFromRpmMd(await resolveWithDnf(request, context), request);
}
