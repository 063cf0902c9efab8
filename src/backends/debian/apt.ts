/**
 * What apt spells and supports, as the Debian backend declares it through the backend
 * contract: package references, repository types, and the IR fields apt has no answer for.
 */
import { buildCodes } from '../../diagnostics/codes/build.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import type { ImageIR, PackageRef } from '../../ir/schema.js';

export const APT_REPOSITORY_TYPES: readonly string[] = ['apt', 'apt-deb822'];

/** apt's `name:arch=version` */
export function aptPackageSpec(p: PackageRef): string {
  return `${p.name}${p.arch ? `:${p.arch}` : ''}${p.version ? `=${p.version}` : ''}`;
}

/** The family-specific IR fields the Debian backend does not apply, each with its reason. */
export function aptUnappliedFields(ir: ImageIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ignore = (pointer: string, field: string, reason: string) =>
    out.push(diag(buildCodes.fieldIgnored, { field, reason }, {}, { pointer, severity: 'warning' }));
  ir.packages.groups.forEach((g, i) => {
    ignore(
      `/packages/groups/${i}`,
      `package group ${g.name}`,
      'apt has no package groups; list the packages (or a task-* package)',
    );
  });
  for (const [i, m] of ir.packages.modules.entries()) {
    ignore(`/packages/modules/${i}`, `module ${m.name}`, 'apt has no module streams');
  }
  if (ir.system.selinux)
    ignore('/system/selinux', 'system.selinux', 'the Debian backend does not configure SELinux');
  if (ir.system.firewall)
    ignore('/system/firewall', 'system.firewall', 'the Debian backend does not configure a firewall');
  if (ir.system.fips) ignore('/system/fips', 'system.fips', 'no FIPS mode on Debian');
  ir.repositories.forEach((r, i) => {
    if (r.usage && r.usage !== 'build-and-image')
      ignore(
        `/repositories/${i}/usage`,
        `repository ${r.id} usage`,
        'every build repository is also configured in the image',
      );
  });
  return out;
}
