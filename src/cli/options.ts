import type { FormatOptions } from '../formats/contract.js';

/** Options shared by the commands that read or write definitions. */
export interface FormatFlags {
  ksVersion?: string;
  host?: string;
  type?: string;
  kiwiSchema?: string;
  distro?: string;
  release?: string;
  arch?: string;
  formatOption?: string[];
  /** IMGC_DISTRO or the user config's distro: fills a missing distribution only */
  defaultDistro?: string;
  defaultDistroFrom?: string;
}

/** Named flags and repeated `-O key=value` become one options map handed to readers and writers. */
export function formatOptionsFrom(flags: FormatFlags): FormatOptions {
  const options: FormatOptions = {
    ksVersion: flags.ksVersion,
    host: flags.host,
    kiwiType: flags.type,
    kiwiSchema: flags.kiwiSchema,
    distro: flags.distro,
    release: flags.release,
    arch: flags.arch,
    defaultDistro: flags.defaultDistro,
    defaultDistroFrom: flags.defaultDistroFrom,
  };
  for (const pair of flags.formatOption ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 0) options[pair] = true;
    else options[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return options;
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];
