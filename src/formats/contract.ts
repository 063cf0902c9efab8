/**
 * What a format module provides. Built-in formats and format plugins implement exactly this.
 *
 * A reader turns a definition on disk (a file, or a folder holding one definition) into the
 * IR plus a position table and diagnostics; a writer turns an IR into files and reports, as
 * diagnostics, whatever it cannot express beyond what its capability table already says.
 */
import type { CodeDef } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { PositionTable } from '../ir/positions.js';
import type { ImageIR } from '../ir/schema.js';

export type FormatOptions = Record<string, string | boolean | undefined>;

export interface DetectCandidate {
  /** path as given */
  path: string;
  isDirectory: boolean;
  /** base name */
  name: string;
  /** for a folder: its entry names */
  entries?: string[];
  /** for a file: its first 8 KiB as text */
  head?: string;
}

export interface ReadOptions {
  /** profiles chosen with --profile (the format's own defaults apply when empty) */
  profiles?: string[];
  /** format-specific settings, e.g. ksVersion, host, kiwiType */
  options?: FormatOptions;
}

export interface ReadResult {
  /** absent when errors prevented lowering */
  ir?: ImageIR;
  positions: PositionTable;
  diagnostics: Diagnostic[];
  /** every file that was read, the main one first */
  files: string[];
}

export interface OutputFile {
  /** relative to the output folder, `/`-separated */
  path: string;
  content?: string | Uint8Array;
  /** copy this file or folder from disk instead of writing content */
  copyFrom?: string;
  /** permission bits, e.g. 0o755 for scripts */
  mode?: number;
}

export interface WriteOptions {
  /** folder of the source definition: IR `source` paths are relative to it */
  sourceDir?: string;
  /** where IR fields came from, so diagnostics can point at the source */
  positions?: PositionTable;
  options?: FormatOptions;
}

export interface WriteResult {
  files: OutputFile[];
  /** losses and approximations beyond the capability table, with pointers */
  diagnostics: Diagnostic[];
}

export interface FormatReader {
  /** 0 = not this format; 1 = certainly this format */
  detect(candidate: DetectCandidate): number;
  read(path: string, options: ReadOptions): Promise<ReadResult>;
}

export interface FormatWriter {
  /**
   * JSON Pointer patterns (`*` one token, `**` any depth) of the IR fields this format can
   * express. Whatever the IR holds outside them is reported as a loss by `translate`, and
   * the round-trip tests check that whatever is inside them survives.
   */
  capabilities: readonly string[];
  /** the capability table of a dialect chosen by a format option (mkosi-version=14), if it differs */
  capabilitiesFor?(options: FormatOptions | undefined): readonly string[] | undefined;
  /**
   * Patterns inside `capabilities` whose values the writer can express only in some cases and
   * reports itself (IMGC6002) otherwise; round-trip checks do not require them to survive.
   */
  approximations?: readonly string[];
  /** true when the format can write profiles; otherwise active profiles are merged first */
  profiles: boolean;
  /** why the writer writes no profiles, when it is not that the format has none (IMGC6004) */
  profilesNote?: string;
  write(ir: ImageIR, options: WriteOptions): WriteResult | Promise<WriteResult>;
}

export interface FormatModule {
  /** stable id used by --from/--to: kiwi, mkosi, kickstart, blueprint, blueprint-json, containerfile, ir */
  id: string;
  /** human name */
  name: string;
  /** how the reader recognises its input, for `imgc formats` */
  detection: string;
  /** file name patterns it reads */
  patterns: string[];
  reader?: FormatReader;
  writer?: FormatWriter;
  /** the format's diagnostic codes, joined into the catalogue under its id (docs/diagnostics.md) */
  codes?: Readonly<Record<string, CodeDef<any>>>;
}
