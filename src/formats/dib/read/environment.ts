/**
 * environment.d files read statically: `[export] NAME=value` lines whose value is plain text
 * or `${NAME:-default}` / `${NAME:=default}` / `${NAME-default}` of such text. Anything else
 * (conditionals, command substitution, other expansions) is left alone and reported; element
 * code is never run.
 */
import type { SourcePosition } from '../../../ir/positions.js';

export interface Assignment {
  name: string;
  /** the value as written, quotes removed */
  written: string;
  /** the value when it could be worked out from what is known so far */
  value?: string;
  /** true when the value only applies if the variable was unset before */
  isDefault: boolean;
  at: SourcePosition;
}

const ASSIGN = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
const DEFAULTED = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?[-=](.*)\}$/;

function unquote(text: string): string | undefined {
  const t = text.trim().replace(/\s+#.*$/, '');
  if (/^"[^"`$\\]*"$/.test(t) || /^'[^']*'$/.test(t)) return t.slice(1, -1);
  if (/^[^\s"'`$\\;&|<>()]*$/.test(t)) return t;
  return undefined;
}

export interface EnvironmentFile {
  assignments: Assignment[];
  /** the first line that is more than an assignment, a comment or blank */
  logicAt?: SourcePosition;
}

export function readEnvironmentFile(text: string, file: string): EnvironmentFile {
  const assignments: Assignment[] = [];
  let logicAt: SourcePosition | undefined;
  let depth = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const at = { file, line: i + 1, column: raw.indexOf(line) + 1 };
    if (/^(if|case|for|while|until)\b/.test(line) || /\{\s*$/.test(line)) depth++;
    if (/^(fi|esac|done)\b/.test(line) || /^\}/.test(line)) depth = Math.max(0, depth - 1);
    const m = ASSIGN.exec(line);
    if (!m || depth > 0) {
      if (!/^(set|shopt)\s/.test(line)) logicAt ??= at;
      return;
    }
    const [, name, rest] = m as unknown as [string, string, string];
    const inner = DEFAULTED.exec(rest.trim().replace(/^"(.*)"$/, '$1'));
    if (inner && inner[1] === name) {
      const value = unquote(inner[2]!);
      assignments.push({
        name,
        written: rest,
        isDefault: true,
        at,
        ...(value !== undefined ? { value } : {}),
      });
      if (value === undefined) logicAt ??= at;
      return;
    }
    const value = unquote(rest);
    assignments.push({
      name,
      written: rest,
      isDefault: false,
      at,
      ...(value !== undefined ? { value } : {}),
    });
    if (value === undefined) logicAt ??= at;
  });
  return { assignments, ...(logicAt ? { logicAt } : {}) };
}

/** A variable's value and where it was set. */
export interface Known {
  value: string;
  at: SourcePosition;
  /** `image` when the image list set it, else the element whose environment.d did */
  from: string;
}

/**
 * Applies the assignments of every environment.d file in the order disk-image-create sources
 * them (by file name over all elements) on top of what the image list sets.
 */
export function resolveEnvironment(
  files: readonly { element: string; name: string; parsed: EnvironmentFile }[],
  given: ReadonlyMap<string, Known>,
): Map<string, Known> {
  const env = new Map(given);
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of sorted)
    for (const a of f.parsed.assignments) {
      if (a.isDefault && (env.has(a.name) || a.value === '')) continue;
      if (a.value === undefined) env.delete(a.name);
      else env.set(a.name, { value: a.value, at: a.at, from: f.element });
    }
  return env;
}
