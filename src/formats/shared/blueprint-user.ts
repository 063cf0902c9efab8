/** What a blueprint's `[[customizations.user]]` and bootc-image-builder's config.toml user table share. */
import type { User } from '../../ir/schema.js';

/** The user fields both tables copy from the IR unchanged, in the order both writers emit them. */
export function putPlainUserFields(u: User, out: Record<string, unknown>): void {
  if (u.sshKeys.length) out.key = u.sshKeys.join('\n');
  if (u.home !== undefined) out.home = u.home;
  if (u.shell !== undefined) out.shell = u.shell;
  if (u.groups.length) out.groups = u.groups;
  if (u.uid !== undefined) out.uid = u.uid;
  if (u.gid !== undefined) out.gid = u.gid;
  if (u.expireDate !== undefined) out.expiredate = u.expireDate;
}
