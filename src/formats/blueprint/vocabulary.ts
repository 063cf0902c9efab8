/** Blueprint spellings both the reader and the writer need. */

// composer named RHEL 7–9 minors without the dot; `rhel-10` is RHEL 10 itself
const UNDOTTED_RHEL = /^rhel-([789])(\d{1,2})$/;

/** The dotted name a distro name in composer's undotted RHEL spelling stands for, if it is one. */
export function dottedRhelName(distro: string): string | undefined {
  const m = UNDOTTED_RHEL.exec(distro);
  return m ? `rhel-${m[1]}.${m[2]}` : undefined;
}
