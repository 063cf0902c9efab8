/**
 * The dnf `.repo` keys that map one to one onto IR repository fields, for every reader that
 * meets .repo files (a Containerfile's COPY, an mkosi tree's mkosi.repos.d/ or sandbox tree).
 */
import { appendToField } from '../../input/append.js';
import type { Repository } from '../../ir/schema.js';

const words = (v: string) => v.split(/[\s,]+/).filter(Boolean);

/**
 * Sets the field `key` stands for and says whether it knew the key. `isTrue` is the reader's
 * own reading of a boolean value.
 */
export function applyPlainRepoKey(
  r: Repository,
  key: string,
  value: string,
  isTrue: (v: string) => boolean,
): boolean {
  switch (key) {
    case 'mirrorlist':
      r.mirrorlist = value;
      return true;
    case 'metalink':
      r.metalink = value;
      return true;
    case 'enabled':
      r.enabled = isTrue(value);
      return true;
    case 'gpgcheck':
      r.gpgCheck = isTrue(value);
      return true;
    case 'repo_gpgcheck':
      r.repoGpgCheck = isTrue(value);
      return true;
    case 'gpgkey':
      appendToField(r, 'gpgKeys', words(value));
      return true;
    case 'sslverify':
      r.sslVerify = isTrue(value);
      return true;
    case 'module_hotfixes':
      r.moduleHotfixes = isTrue(value);
      return true;
    case 'includepkgs':
      appendToField(r, 'includePackages', words(value));
      return true;
    case 'excludepkgs':
    case 'exclude':
      appendToField(r, 'excludePackages', words(value));
      return true;
    default:
      return false;
  }
}
