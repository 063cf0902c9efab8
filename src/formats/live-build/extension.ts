/** What the live-build reader keeps in `extensions.live-build` for the writer. */
export interface LiveBuildExtension {
  /** lb config options imgc does not map, in order, as written */
  options?: { name: string; value: string }[];
  /** auto/config's shell lines before the lb config call (the variables its options use) */
  preamble?: string;
  /** auto/config's #! line when it has a preamble and is not /bin/sh */
  shebang?: string;
}
