/** What only a TDL says, kept under `extensions.tdl`. */
export interface TdlInstall {
  type: 'url' | 'iso';
  url?: string;
  iso?: string;
  checksum?: { kind: 'md5sum' | 'sha1sum' | 'sha256sum'; value: string };
  extras?: { kind: 'directory' | 'file'; source: string; destination: string }[];
}

export interface TdlExtension {
  /** <os><name>/<version> as written (the IR's distribution is derived from them) */
  os?: { name: string; version: string };
  install?: TdlInstall;
  key?: string;
  icicle?: string;
  /** <disk><size> as written: Oz's disk size, G unless T */
  diskSize?: string;
  /** per package: <repository>, <file>, <arguments> */
  packageDetails?: Record<string, { repository?: string; file?: string; arguments?: string }>;
  /** url-type commands (the IR's scripts name files, not URLs), in their section's order */
  urlCommands?: { section: 'commands' | 'precommands'; name: string; url: string }[];
  /** elements and attributes tdl.rng does not define, as path → text */
  unknown?: Record<string, string>;
}

export const EXTENSION_ID = 'tdl';
