/**
 * KIWI's script environment over the real-world corpus: every script of ../shared/corpus/kiwi
 * is scanned for what it uses of /.kconfig and /.profile. Printed: how many use it, each
 * helper with its call count and fidelity in imgc, and the scripts that call a function KIWI
 * removed (they stop there, in KIWI and in imgc). Checked: every KIWI-looking function a
 * script calls and does not define itself is one imgc's /.kconfig defines, and every script
 * still parses (bash -n) with the helpers inlined as the writers of other formats write it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELPERS, inlineKiwiEnv, kiwiEnvUsage, usesKiwiEnv } from '../../src/ir/kiwi-script-env/index.js';
import { corpusDir, corpusMissingMessage } from '../helpers/shared.js';

const dir = corpusDir('kiwi');
if (!dir) console.warn(corpusMissingMessage('kiwi'));
const maybe = dir ? it : it.skip;

function scripts(root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(root)) {
    const p = join(root, e);
    if (statSync(p).isDirectory()) out.push(...scripts(p));
    else if (e.endsWith('.sh')) out.push(p);
  }
  return out.sort();
}

/** KIWI-style function names in command position that the script does not define itself. */
function kiwiLookingCalls(body: string): string[] {
  const defined = new Set([...body.matchAll(/^\s*(?:function\s+)?(\w+)\s*\(\)/gm)].map((m) => m[1]!));
  const code = body
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');
  const called = [
    ...code.matchAll(
      /(?:^|[;&|({!`]|\b(?:then|do|else|if)\b)\s*((?:base|suse|rhel|debian)[A-Z]\w*)\b(?!=)/gm,
    ),
  ];
  return [...new Set(called.map((m) => m[1]!))].filter((n) => !defined.has(n));
}

describe('KIWI script environment over the corpus', () => {
  maybe('covers every helper the corpus calls, and inlines into scripts that still parse', () => {
    const files = scripts(dir!);
    const calls = new Map<string, number>();
    const undefinedCalls: string[] = [];
    const stopping: string[] = [];
    const unparsable: string[] = [];
    let using = 0;
    let parsedBefore = 0;
    for (const file of files) {
      const body = readFileSync(file, 'utf8');
      const name = relative(dir!, file);
      for (const fn of kiwiLookingCalls(body)) if (!(fn in HELPERS)) undefinedCalls.push(`${name}: ${fn}`);
      const usage = kiwiEnvUsage(body);
      if (!usesKiwiEnv(usage)) continue;
      using++;
      for (const f of usage.functions) calls.set(f.name, (calls.get(f.name) ?? 0) + 1);
      if (usage.functions.some((f) => HELPERS[f.name]!.fidelity === 'removed')) stopping.push(name);
      if (spawnSync('bash', ['-n'], { input: body }).status !== 0) continue;
      parsedBefore++;
      if (spawnSync('bash', ['-n'], { input: inlineKiwiEnv(body, {}).body }).status !== 0)
        unparsable.push(name);
    }
    const byFidelity = (f: string) =>
      [...calls].filter(([n]) => HELPERS[n]!.fidelity === f).reduce((sum, [, c]) => sum + c, 0);
    console.log(
      [
        `KIWI corpus scripts: ${files.length}; using /.kconfig or /.profile: ${using}`,
        `helpers called (scripts): ${[...calls]
          .sort((a, b) => b[1] - a[1])
          .map(([n, c]) => `${n} ${c} (${HELPERS[n]!.fidelity})`)
          .join(', ')}`,
        `calls by fidelity: exact ${byFidelity('exact')}, approximate ${byFidelity('approximate')}, internal ${byFidelity('internal')}, removed by KIWI ${byFidelity('removed')}`,
        `scripts that stop at a function KIWI removed (in KIWI and in imgc): ${stopping.length}`,
        `scripts that parse with the helpers inlined: ${parsedBefore - unparsable.length}/${parsedBefore}`,
      ].join('\n'),
    );
    expect(undefinedCalls).toEqual([]);
    expect(unparsable).toEqual([]);
    expect(using).toBeGreaterThan(0);
  });
});
