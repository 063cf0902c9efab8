/**
 * Hides secrets in text that imgc prints (code frames, plan JSON): values after a key that
 * names a password or secret, kickstart `rootpw` and `--password`, crypt(3) hashes and the
 * password in a URL's user info. Step hashes are computed before this, so they still cover
 * the secrets.
 */
export const REDACTED = '<redacted>';

const CRYPT_HASH = /\$(?:1|2[abxy]?|5|6|y|gy|7|sha1|md5)\$[^\s"'<>,;]+/g;
// Linear on any text (a fuzzed input is a megabyte on one line): a key name only starts a match
// when no key name comes before it in the same word, since every start in one word ends the
// same way; the separator is one of two unambiguous shapes; a URL's scheme is checked looking
// back from its `:` rather than tried from every letter of a dotted word.
const KEY_NAME = '(?:password|passwd|passphrase|secret)';
const KEYED = new RegExp(
  `(${KEY_NAME}(?<!${KEY_NAME}[\\w-]*?${KEY_NAME})[\\w-]*["']?(?:\\s*[=:]\\s*|\\s+))("[^"]*"|'[^']*'|[^\\s,;}\\]>]+)`,
  'gi',
);
const KICKSTART_ROOTPW = /(\brootpw\b(?:\s+--(?:iscrypted|plaintext|lock|allow-ssh))*\s+)(?!--)(\S+)/g;
const URL_PASSWORD = /(:(?<=\b[a-z][\w+.-]*:)\/\/[^\s/:@]+:)[^\s/@]+@/gi;

export function redactSecrets(text: string): string {
  return text
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(KICKSTART_ROOTPW, `$1${REDACTED}`)
    .replace(KEYED, (_, key: string, value: string) =>
      value.startsWith('"')
        ? `${key}"${REDACTED}"`
        : value.startsWith("'")
          ? `${key}'${REDACTED}'`
          : `${key}${REDACTED}`,
    )
    .replace(CRYPT_HASH, REDACTED);
}
