/** What only a virt-builder definition says, kept under `extensions["virt-builder"]`. */
export interface IndexEntry {
  id: string;
  /** keys as written; notes with its continuation lines joined by \n */
  keys: Record<string, string>;
}

export interface VirtBuilderExtension {
  /** every [template] of an index, in order (the IR describes the first) */
  entries?: IndexEntry[];
  /** virt-customize commands with no IR field, in order, as `command argument` */
  commands?: string[];
  /** preseed questions with no IR field: `owner question type value` lines */
  preseed?: string[];
}

export const EXTENSION_ID = 'virt-builder';
