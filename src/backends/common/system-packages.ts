/** The package choices every family makes the same way, with each family's own package names. */
import type { ImageIR } from '../../ir/schema.js';

export interface BootloaderPackages {
  grub: string[];
  systemdBoot: string[];
}

/** systemd-boot unless the IR names another loader; `none` and `custom` install nothing. */
export function bootloaderPackagesFrom(packages: BootloaderPackages) {
  return (ir: ImageIR): string[] => {
    const loader = ir.boot?.bootloader ?? 'systemd-boot';
    if (loader === 'grub') return [...packages.grub];
    if (loader === 'none' || loader === 'custom') return [];
    return [...packages.systemdBoot];
  };
}

/** The image's default locale and its extra ones. */
export function localesOf(ir: ImageIR): string[] {
  return [ir.system.locale, ...(ir.system.extraLocales ?? [])].filter((l): l is string => Boolean(l));
}

/** What the timezone and CA-certificate settings need in the image, under the family's name for tzdata. */
export function timezoneAndCertificatePackages(ir: ImageIR, tzdata: string): string[] {
  const out: string[] = [];
  if (ir.system.timezone) out.push(tzdata);
  if (ir.system.caCertificates?.length) out.push('ca-certificates');
  return out;
}
