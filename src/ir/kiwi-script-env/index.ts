/**
 * KIWI's script environment, as imgc provides it: `/.kconfig` (helper functions) and
 * `/.profile` (`kiwi_*` variables) for the scripts of a KIWI description, in imgc builds and
 * in what the writers of other formats produce. See docs/formats/kiwi.md#script-helpers.
 */
export { type Fidelity, HELPER_NAMES, HELPERS, type Helper, kconfigText, shellQuote } from './helpers.js';
export { BEGIN_MARK, END_MARK, type Inlined, inlineKiwiEnv, withoutInlinedEnv } from './inline.js';
export { kiwiProfileVariables, profileText } from './profile.js';
export { type KiwiEnvUsage, kiwiEnvUsage, type Use, usesKiwiEnv } from './usage.js';
