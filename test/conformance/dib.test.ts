/**
 * Conformance over ../shared/corpus/dib and the dib oracle (issue 20). Every `main` entry (an
 * element folder, or an image list) is read with the corpus' element folders and
 * diskimage-builder's own installed elements on the search path: none may crash, at least 98 %
 * read without errors, every failure printed. Then the oracle: Debian's python3-diskimage-builder
 * expands the same element sets on the same search path with its own element_dependencies
 * module (which reads element-deps and element-provides only), and imgc's expansion must agree
 * on every set: the same elements, the same missing operating system, the same refusal.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandElements, findElements } from '../../src/formats/dib/read/expand.js';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { corpusElementsPath, DIB_ELEMENTS } from '../helpers/dib-elements.js';
import { corpusDir, corpusMissingMessage, readManifest, repoRoot } from '../helpers/shared.js';
import { rowPath } from './translate-matrix.js';

const dir = corpusDir('dib');
const registry = new FormatRegistry();
const hasDib =
  existsSync(DIB_ELEMENTS) &&
  spawnSync('/usr/bin/python3', ['-c', 'import diskimage_builder.element_dependencies']).status === 0;

describe('dib corpus and oracle', () => {
  if (!dir) {
    console.warn(corpusMissingMessage('dib'));
    it.skip('corpus absent', () => {});
    return;
  }
  const elementsPath = corpusElementsPath(dir);
  const sets: { label: string; elements: string[] }[] = [];

  it('reads every main entry: no crash, ≥ 98 % without errors', async () => {
    const c = { main: 0, missing: 0, clean: 0, errors: 0, crashes: 0, invalid: 0, invalidPositioned: 0 };
    const failures: string[] = [];
    for (const row of readManifest('dib')) {
      const path = rowPath(dir, row);
      const label = `${row.repo}/${row.path}`;
      if (row.kind === 'main') c.main++;
      if (row.kind === 'invalid') c.invalid++;
      if (!path) {
        c.missing++;
        failures.push(`NO FILE ${label}`);
        continue;
      }
      let loaded: Awaited<ReturnType<typeof loadDefinition>>;
      try {
        loaded = await loadDefinition(registry, path, { from: 'dib', options: { elementsPath } });
      } catch (e) {
        c.crashes++;
        failures.push(`CRASH ${label}: ${String(e)}`);
        continue;
      }
      const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
      if (row.kind === 'invalid') {
        if (errors.length && errors.every((d) => d.file && d.line)) c.invalidPositioned++;
        else failures.push(`INVALID READ WITHOUT A POSITIONED ERROR ${label}`);
        continue;
      }
      if (row.kind !== 'main') continue;
      const ext = loaded.ir?.extensions.dib as { asked?: string[] } | undefined;
      sets.push({ label, elements: ext?.asked ?? [basename(path)] });
      if (errors.length || !loaded.ir) {
        c.errors++;
        failures.push(
          `ERRORS ${label}: ${errors.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`).join('; ')}`,
        );
        continue;
      }
      c.clean++;
    }
    console.log(
      `dib corpus: main ${c.clean}/${c.main} read without errors, ${c.errors} with errors, ${c.crashes} crashes, ${c.missing} listed but absent; invalid ${c.invalidPositioned}/${c.invalid} with a positioned error`,
    );
    if (failures.length) console.log(failures.join('\n'));
    expect(c.crashes).toBe(0);
    expect(c.main).toBeGreaterThan(0);
    expect(c.clean / c.main).toBeGreaterThanOrEqual(0.98);
    expect(c.invalidPositioned).toBe(c.invalid);
  }, 120_000);

  it('expands every corpus element set as diskimage-builder does', () => {
    if (!hasDib) {
      console.warn(
        'python3-diskimage-builder is not installed (scripts/host-packages.txt): the oracle is not run',
      );
      return;
    }
    expect(sets.length).toBeGreaterThan(0);
    const run = spawnSync('/usr/bin/python3', [join(repoRoot, 'test/formats/dib/oracle/expand.py')], {
      input: JSON.stringify({ path: elementsPath, sets: sets.map((s) => s.elements) }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const verdicts = JSON.parse(run.stdout) as {
      elements?: string[];
      missingOs?: boolean;
      error?: string;
      message?: string;
    }[];
    const { found } = findElements(elementsPath.split(':'));
    const disagree: string[] = [];
    const outcomes = new Map<string, number>();
    sets.forEach((set, i) => {
      const dib = verdicts[i]!;
      const ours = expandElements(set.elements, found);
      const oursOs = ours.provided.has('operating-system');
      const oursNames = ours.elements.map((e) => e.name).sort();
      const outcome = dib.error ?? (dib.missingOs ? 'MissingOSException' : 'expanded');
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      let problem: string | undefined;
      if (dib.error === 'MissingElementException') {
        const name = /'(.+)'/.exec(dib.message ?? '')?.[1];
        if (!ours.missing.some((m) => m.name === name))
          problem = `dib misses ${name}, imgc misses ${ours.missing.map((m) => m.name).join(',') || 'nothing'}`;
      } else if (dib.error === 'AlreadyProvidedException') {
        if (!ours.conflicts.length) problem = 'dib finds an element provided twice, imgc does not';
      } else if (dib.error) problem = `dib: ${dib.error} ${dib.message}`;
      else if (ours.missing.length || ours.conflicts.length)
        problem = `imgc: missing ${ours.missing.map((m) => m.name).join(',')} conflicts ${ours.conflicts.map((c) => c.what).join(',')}`;
      else if (!!dib.missingOs === oursOs)
        problem = `operating-system provided: dib ${!dib.missingOs}, imgc ${oursOs}`;
      else if (JSON.stringify(dib.elements) !== JSON.stringify(oursNames))
        problem = `dib ${dib.elements?.join(' ')} ≠ imgc ${oursNames.join(' ')}`;
      if (problem) disagree.push(`${set.label} [${set.elements.join(' ')}]: ${problem}`);
    });
    console.log(
      `dib oracle (python3-diskimage-builder element_dependencies): ${sets.length - disagree.length}/${sets.length} element sets expanded alike (dib's outcomes: ${[...outcomes].map(([k, n]) => `${n} ${k}`).join(', ')})`,
    );
    if (disagree.length) console.log(disagree.join('\n'));
    expect(disagree).toEqual([]);
  }, 120_000);
});
