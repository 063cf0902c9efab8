/** The shape of one mkosi setting, as `settings-table.ts` lists them and `settings.ts` reads them. */
export type Section =
  | 'Include'
  | 'Config'
  | 'Distribution'
  | 'Output'
  | 'Content'
  | 'Validation'
  | 'Build'
  | 'Runtime';
export type Scope =
  | 'local'
  | 'universal'
  | 'multiversal'
  | 'inherit'
  | 'main'
  | 'tools'
  | 'initrd'
  | 'initrd_inherit';
export type Kind = 'string' | 'bool' | 'feature' | 'enum' | 'enumBool' | 'list' | 'dict' | 'path';

export interface SettingSpec {
  name: string;
  section: Section | string;
  kind: Kind;
  scope: Scope | string;
  /** list items: plain strings, paths (resolved against the current directory) or trees (`src[:dst]`) */
  value?: 'path' | 'tree';
  /** list splitting: default commas and whitespace; `space` = spaces and newlines */
  delimiter?: 'space';
  globs?: boolean;
  /** false: an empty assignment does not reset the list (Include=) */
  reset?: boolean;
  sortPackages?: boolean;
  unescape?: boolean;
  enum?: string;
  /** conventional `mkosi.<name>` paths that assign the setting when they exist */
  paths?: string[];
  /** `mkosi.<glob>` paths whose matches are appended in order */
  recursive?: string[];
  /** the conventional file's content (or an executable's output) is the value */
  readText?: boolean;
  specifier?: string;
  match?: boolean;
  /** mkosi's literal default (computed defaults are in resolve.ts) */
  default?: SettingValue;
}

export type SettingValue = string | boolean | string[] | Record<string, string> | null;
