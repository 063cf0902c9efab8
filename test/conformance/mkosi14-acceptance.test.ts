/**
 * Issue 15: mkosi accepts what imgc writes. Every readable corpus definition (kiwi, mkosi,
 * kickstart, blueprint, bootc) is translated with `-O mkosi-version=14`, all files written, and
 * Debian's mkosi 14 runs `mkosi summary` in each tree. A source that names no distribution is
 * translated with --distro, as the error asks and a user does (the translation matrix's value).
 * A rejection counts as the corpus's own when mkosi names a path that the source references and
 * the corpus left out (the file does not exist beside the source either); every other rejection
 * fails the test. Figures and each rejection are printed. IMGC_MATRIX_LIMIT=n reads n files per corpus.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatRegistry } from '../../src/formats/registry.js';
import { writeOutputFiles } from '../../src/formats/write-files.js';
import { corpusDir, corpusMissingMessage } from '../helpers/shared.js';
import { translateAsUser } from '../translate/matrix-helpers.js';
import { corpusEntries } from './translate-matrix.js';

const limit = Number(process.env.IMGC_MATRIX_LIMIT ?? 0) || Number.POSITIVE_INFINITY;
const version = spawnSync('mkosi', ['--version'], { encoding: 'utf8' });
const haveMkosi14 = version.status === 0 && /^mkosi 14\b/m.test(version.stdout);
const haveCorpus = corpusDir('mkosi') !== undefined;

interface Tree {
  label: string;
  sourceDir: string;
  dir: string;
}

interface Census {
  written: Tree[];
  unreadable: string[];
  refused: string[];
}

async function translateCorpora(out: string): Promise<Census> {
  const registry = new FormatRegistry();
  const target = registry.get('mkosi')!;
  const census: Census = { written: [], unreadable: [], refused: [] };
  for await (const { label, sourceDir, loaded } of corpusEntries(registry, limit)) {
    if (!loaded) {
      census.unreadable.push(label);
      continue;
    }
    const input = { ir: loaded.ir, positions: loaded.positions, sourceDir, target };
    try {
      const t = await translateAsUser({ ...input, options: { 'mkosi-version': '14' } });
      const error = t.diagnostics.find((d) => d.severity === 'error');
      if (error) {
        census.refused.push(`${label}: ${error.code} ${error.message}`);
        continue;
      }
      const tree = join(out, String(census.written.length));
      mkdirSync(tree, { recursive: true });
      await writeOutputFiles(tree, t.files);
      census.written.push({ label, sourceDir, dir: tree });
    } catch (e) {
      census.refused.push(`${label}: crash ${String(e)}`);
    }
  }
  return census;
}

interface Verdict {
  ok: boolean;
  error?: string;
}

function summary(dir: string): Promise<Verdict> {
  return new Promise((resolve) => {
    const child = spawn('mkosi', ['summary'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => {
      stderr += String(b);
    });
    child.on('close', (code) =>
      resolve(
        code === 0 ? { ok: true } : { ok: false, error: stderr.trim().split('\n').at(-1) ?? `exit ${code}` },
      ),
    );
  });
}

/** mkosi's verdicts, two at a time (the machines this runs on are small). */
async function judge(trees: Tree[]): Promise<Map<Tree, Verdict>> {
  const verdicts = new Map<Tree, Verdict>();
  let next = 0;
  const worker = async () => {
    while (next < trees.length) {
      const tree = trees[next++]!;
      verdicts.set(tree, await summary(tree.dir));
    }
  };
  await Promise.all([worker(), worker()]);
  return verdicts;
}

/** The path mkosi 14 says is missing, when that is its complaint. */
function missingPath(error: string | undefined): string | undefined {
  return /([^\s:'"]+) does not exist/.exec(error ?? '')?.[1];
}

describe.skipIf(!haveCorpus || !haveMkosi14)('Debian’s mkosi 14 accepts every corpus translation', () => {
  const out = mkdtempSync(join(tmpdir(), 'imgc-mkosi14-acceptance-'));
  let census: Census;
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  beforeAll(async () => {
    census = await translateCorpora(out);
    console.log(
      `corpus → mkosi 14: ${census.written.length} trees written, ${census.unreadable.length} definitions unreadable, ${census.refused.length} refused by translate`,
    );
    if (census.refused.length) console.log(`  refused:\n    ${census.refused.join('\n    ')}`);
  }, 1_800_000);

  it('mkosi summary accepts every tree, apart from paths the corpus left out', {
    timeout: 1_800_000,
  }, async () => {
    expect(census.written.length).toBeGreaterThan(0);
    const verdicts = await judge(census.written);
    const corpusGaps: string[] = [];
    const rejected: string[] = [];
    for (const tree of census.written) {
      const v = verdicts.get(tree)!;
      if (v.ok) continue;
      const missing = missingPath(v.error);
      const gap =
        missing !== undefined &&
        !existsSync(join(tree.dir, missing)) &&
        !existsSync(join(tree.sourceDir, missing));
      (gap ? corpusGaps : rejected).push(`${tree.label}: ${v.error}`);
    }
    const total = census.written.length;
    const accepted = total - corpusGaps.length - rejected.length;
    console.log(
      `mkosi 14 summary: ${accepted}/${total} accepted (${((100 * accepted) / total).toFixed(1)} %); ${corpusGaps.length} rejected for a path the corpus left out; ${rejected.length} other rejections`,
    );
    if (corpusGaps.length) console.log(`  the corpus lacks:\n    ${corpusGaps.join('\n    ')}`);
    if (rejected.length) console.log(`  rejected:\n    ${rejected.join('\n    ')}`);
    expect(rejected).toEqual([]);
    expect(census.refused.filter((r) => r.includes(': crash '))).toEqual([]);
  });
});

if (!haveCorpus) console.warn(corpusMissingMessage('mkosi'));
