/**
 * Where the distribution of each corpus definition comes from, per corpus: named by the
 * definition, inferred (with a positioned note), or unknown (then inspect, translate, plan
 * and build ask for --distro). Done-criteria of issue 15: no silent default, so every mkosi,
 * Containerfile and KIWI definition whose IR names no distribution carries a note saying why.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { corpusDir, readManifest } from '../helpers/shared.js';
import { CORPORA } from './translate-matrix.js';

const registry = new FormatRegistry();

/** Notes that a reader gives when it infers a distribution, or finds none to infer. */
const INFERRED = new Set(['IMGC3030', 'IMGC4030', 'IMGC9020', 'IMGC1024']);
const EXPLAINED_UNKNOWN = new Set(['IMGC3032', 'IMGC4031', 'IMGC9009', 'IMGC9008']);

function rowPath(dir: string, row: Record<string, string>): string | undefined {
  const candidates = [
    row.staged_path,
    row.path,
    row.repo && row.path ? `${row.repo.replace('/', '+')}/${row.path}` : undefined,
  ];
  for (const c of candidates) if (c && existsSync(join(dir, c))) return join(dir, c);
  return undefined;
}

describe('distribution sources over the corpora', () => {
  for (const corpus of ['kiwi', 'mkosi', 'bootc', 'kickstart', 'blueprint'] as const) {
    const dir = corpusDir(corpus);
    it.skipIf(!dir)(`${corpus}: named, inferred or asked for, never defaulted`, async () => {
      const counts = { files: 0, named: 0, inferred: 0, unknownExplained: 0, unknownSilent: 0, unread: 0 };
      const silent: string[] = [];
      for (const row of readManifest(corpus)) {
        const reader = CORPORA[corpus]!(row);
        const path = reader ? rowPath(dir!, row) : undefined;
        if (!reader || !path) continue;
        counts.files++;
        const loaded = await loadDefinition(registry, path, { from: reader });
        const codes = new Set(loaded.diagnostics.map((d) => d.code));
        if (!loaded.ir) counts.unread++;
        else if (loaded.ir.distribution.id) {
          if ([...codes].some((c) => INFERRED.has(c))) counts.inferred++;
          else counts.named++;
        } else if ([...codes].some((c) => EXPLAINED_UNKNOWN.has(c))) counts.unknownExplained++;
        else {
          counts.unknownSilent++;
          silent.push(path.slice(dir!.length + 1));
        }
      }
      console.log(
        `${corpus}: ${counts.files} definitions, ${counts.named} name the distribution, ${counts.inferred} inferred with a note, ` +
          `${counts.unknownExplained} unknown with a note, ${counts.unknownSilent} unknown without a reader note (--distro asked at use), ${counts.unread} unreadable` +
          (silent.length ? `\n  ${silent.slice(0, 20).join('\n  ')}` : ''),
      );
      expect(counts.files).toBeGreaterThan(0);
      // kickstart and blueprints name no distribution by design; the others must say why they do not
      if (corpus === 'kiwi' || corpus === 'mkosi') expect(counts.unknownSilent).toBe(0);
    });
  }
});
