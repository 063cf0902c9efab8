/** The user docs name only flags that exist: every `--flag` in an imgc command or flag span is in the command tree. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { programModel, valueSources } from '../../src/cli/command-model.js';
import { buildProgram } from '../../src/cli/main.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { repoRoot } from '../helpers/shared.js';

const registry = new FormatRegistry();
const model = programModel(buildProgram(undefined, registry).program, valueSources(registry));
const known = new Set(
  [...model.options, ...model.commands.flatMap((c) => c.options)].flatMap((o) => [o.long, o.short]),
);
known.add('--help');

/** Flags inside code spans that are an imgc command line or start with a flag (other tools' spans are theirs). */
function documentedFlags(text: string): string[] {
  const spans = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  return spans
    .filter((s) => s.startsWith('imgc ') || s.startsWith('-'))
    .flatMap((s) => [...s.matchAll(/(?:^|[\s[(|/])(--?[a-zA-Z][\w-]*)/g)].map((m) => m[1]!));
}

describe.each(['docs/translate.md', 'README.md'])('%s', (doc) => {
  it('documents only flags that exist', () => {
    const flags = documentedFlags(readFileSync(join(repoRoot, doc), 'utf8'));
    expect(flags.length).toBeGreaterThan(3);
    expect(flags.filter((f) => !known.has(f))).toEqual([]);
  });
});
