/**
 * What a kickstart says that the IR has no field for, kept in `ir.extensions.kickstart` so that
 * kickstart → IR → kickstart loses nothing.
 */

export interface KsRawCommand {
  name: string;
  /** the words after the command name, unquoted */
  args: string[];
}

export interface KsRawSection {
  /** `%addon`, `%anaconda`, `%certificate` */
  name: string;
  args: string[];
  body: string;
}

export interface KickstartExtension {
  /** commands kept as written: installer directives, payloads (ostreesetup, bootc, liveimg…), reqpart, btrfs… */
  commands?: KsRawCommand[];
  sections?: KsRawSection[];
  /** options of lowered commands that the IR has no field for, by the IR pointer they belong to */
  options?: Record<string, string[]>;
  /** the kickstart name of a partition, volume or RAID device where it is not a mount point (`pv.01`, `swap`, `none`) */
  refs?: Record<string, string>;
  /** the repository written as `url` */
  installSource?: string;
  /** `timezone --nontp` / `timesource --ntp-disable` */
  ntpDisabled?: boolean;
}

export const EXTENSION_KEY = 'kickstart';

/** Pointers under which `options` are kept for single commands. */
export const OPTION_POINTERS = {
  packages: '/packages',
  bootloader: '/boot',
  firewall: '/system/firewall',
  keyboard: '/system/keymap',
  lang: '/system/locale',
  timezone: '/system/timezone',
  root: '/accounts/root',
  clearpart: '/storage/clear',
  autopart: '/storage/mode',
  selinux: '/system/selinux',
  services: '/system/services',
} as const;
