/**
 * A bound on what a YAML document costs before the `yaml` package builds its document model,
 * which takes 330–460 bytes per lexer token (measured on `le: []` lines and a long flow list):
 * 1.4 MB of repeated lines took 1.2 GB. The lexer alone is a generator that keeps nothing, and
 * counting stops at the limit, so the check costs at most the limit's tokens.
 */
import { Lexer } from 'yaml';

/**
 * Tokens a YAML document may have: keeps the model under about 230 MB. The IR fixtures and
 * samples have at most 1,540; a list of 10,000 packages has about 40,000.
 */
export const MAX_YAML_TOKENS = 200_000;

/** Markers the lexer yields that are not text of the source. */
const ZERO_WIDTH_TOKENS = new Set(['\x02', '\x18', '\x1f']);

/** The offset where `text` passes `limit` lexer tokens, or undefined when it does not. */
export function offsetPastTokenLimit(text: string, limit: number = MAX_YAML_TOKENS): number | undefined {
  let tokens = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (++tokens > limit) return Math.min(offset, text.length);
    if (!ZERO_WIDTH_TOKENS.has(token)) offset += token.length;
  }
  return undefined;
}
