/**
 * Hides secrets in what imgc prints (code frames, diagnostics, the IR of `inspect`, plans,
 * diffs): values after a key that names a password or secret, kickstart `rootpw` and
 * `--password`, crypt(3) hashes and the password in a URL's user info. Step hashes are
 * computed before this, so they still cover the secrets. `--show-secrets` prints values
 * unredacted (decision 0075).
 */
export const REDACTED = '<redacted>';

// The body must hold a letter or digit: `$6$...` in a hint is an example, not a hash.
const CRYPT_HASH = /\$(?:1|2[abxy]?|5|6|y|gy|7|sha1|md5)\$(?=[^\s"'<>,;]*[A-Za-z0-9])[^\s"'<>,;]+/g;
// `RootPassword=`, `--password=`, `password = "…"`, `"password": "…"`, `passwd.hashed-password.root=`,
// KIWI's `luks="<passphrase>"`;
// an object or list after the key is left to the keys inside it.
// Linear on any text (a fuzzed input is a megabyte on one line): a key name only starts a match
// when no key name comes before it in the same word, since every start in one word ends the
// same way, and the separator is one of two shapes that cannot match the same spaces twice
// (80 KB of `a.a.` or `password` and 40,000 spaces took seconds; issue 14).
const KEY_NAME = '(?:password|passwd|passphrase|secret)';
const KEYED = new RegExp(
  `((?:${KEY_NAME}(?<!${KEY_NAME}[\\w.-]*?${KEY_NAME})[\\w.-]*|\\bluks)["']?(?:\\s*[=:]\\s*|\\s+))(?![{[])("[^"]*"|'[^']*'|[^\\s,;}\\]>]+)`,
  'gi',
);
// an IR password object written as YAML or JSON: `plain: …`, `"hash": "…"`
const IR_PASSWORD = /(\b(?:plain|hash)["']?\s*:\s*)(?![{[])("[^"]*"|'[^']*'|[^\s,;}\]>]+)/g;
// a kickstart line whose password is a positional word: every word after the command that is not an option
// (spaces before the command stay on its line: `^\s*` ran over every following blank line)
const KICKSTART_PASSWORD_COMMAND = /^([^\S\n]*(?:rootpw|sshpw)\b)([^\n]*)/gm;
const KICKSTART_PASSWORD_COMMANDS = new Set(['rootpw', 'sshpw']);
// the scheme is checked looking back from its `:`, not tried from every letter of a dotted word
const URL_PASSWORD = /(:(?<=\b[a-z][\w+.-]*:)\/\/[^\s/:@]+:)[^\s/@]+@/gi;

// Every pattern above needs one of these words or marks: a text without any is returned as it is
// (most of what imgc prints; five regular-expression passes per string were 4 % of a batch translation).
const MAY_HOLD_SECRET = /:\/\/|rootpw|sshpw|pass|secret|luks|plain|hash|\$/i;

export function redactSecrets(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  return text
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(
      KICKSTART_PASSWORD_COMMAND,
      (_, command: string, rest: string) => command + positionalsHidden(rest),
    )
    .replace(KEYED, keepQuotes)
    .replace(IR_PASSWORD, keepQuotes)
    .replace(CRYPT_HASH, REDACTED);
}

function positionalsHidden(words: string): string {
  return words.replace(/(^|\s)(?!--)([^\s"'<>]+)/g, `$1${REDACTED}`);
}

function keepQuotes(_: string, key: string, value: string): string {
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
  return `${key}${quote}${REDACTED}${quote}`;
}

/** A key whose value is a secret wherever it appears: `password`, `RootPassword`, `proxy_password`, `passphrase`, `secret`. */
const SECRET_KEY = /pass(?:word|wd|phrase)|secret/i;
const PASSWORD_OBJECT_KEYS = new Set(['plain', 'hash', 'locked', 'empty', 'forceChange']);

/**
 * A JSON-like value as it may be shown: every string under a secret key becomes the marker
 * (booleans such as `locked` stay: they are not secret), `plain` and `hash` of a password
 * object too, and every other string goes through `redactSecrets`.
 */
export function redactValue<T>(value: T): T {
  // the same string is redacted once per call: 30,000 diagnostics share a hint, a file, a code
  const seen = new Map<string, string>();
  const redacted = (text: string) => {
    let out = seen.get(text);
    if (out === undefined) {
      out = redactSecrets(text);
      seen.set(text, out);
    }
    return out;
  };
  return walk(value, false, redacted) as T;
}

function walk(value: unknown, inSecret: boolean, redacted: (text: string) => string): unknown {
  if (typeof value === 'string') return inSecret ? REDACTED : redacted(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, inSecret, redacted));
  if (value && typeof value === 'object') {
    if (isKickstartPasswordCommand(value)) return { ...value, args: value.args.map(hideUnlessOption) };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, inSecret || isSecretKey(k, value), redacted);
    return out;
  }
  return value;
}

/** A kickstart command kept as extension data, `{name: "sshpw", args: [..., "<password>"]}`. */
function isKickstartPasswordCommand(value: object): value is { name: string; args: unknown[] } {
  const v = value as { name?: unknown; args?: unknown };
  return typeof v.name === 'string' && KICKSTART_PASSWORD_COMMANDS.has(v.name) && Array.isArray(v.args);
}

function hideUnlessOption(arg: unknown): unknown {
  return typeof arg === 'string' && arg.startsWith('--') ? redactSecrets(arg) : REDACTED;
}

/** `plain` and `hash` are secrets inside a password object only; a step's own hash fields are not. */
function isSecretKey(key: string, owner: object): boolean {
  if (key === 'plain' || key === 'hash') return isPasswordObject(owner);
  return SECRET_KEY.test(key);
}

function isPasswordObject(owner: object): boolean {
  return Object.keys(owner).every((k) => PASSWORD_OBJECT_KEYS.has(k));
}

/** A path such as `password/hash` or `/accounts/root/password/plain` that leads to a secret. */
export function isSecretPath(path: string): boolean {
  return path.split('/').some((segment) => SECRET_KEY.test(segment));
}
