/** What only a treefile says, kept under `extensions.treefile` so a treefile target writes it back. */
export interface TreefileExtension {
  /** documented keys with no IR field, merged as rpm-ostree merges them, values as written */
  keys?: Record<string, unknown>;
  /** keys rpm-ostree does not document, as written: reported, never written back (it refuses unknown keys) */
  unknown?: Record<string, unknown>;
  /** `repos` names no .repo file beside the treefile defines: the IR has no source for them */
  unresolvedRepos?: string[];
  /** `variables` after include resolution (basearch and releasever left out: they are derived) */
  variables?: Record<string, string | number | boolean>;
  /** packages-<arch> lists and arch-include entries for other architectures than the one read */
  otherArch?: Record<string, unknown>;
}

export const EXTENSION_ID = 'treefile';
