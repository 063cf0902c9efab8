/**
 * diskimage-builder's own expansion (python3-diskimage-builder) on the authored fixture elements,
 * including what the corpus never shows: a thing provided twice, an asked-for element another
 * provides. imgc's expansion must reach the same elements and refuse the same sets.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandElements, findElements } from '../../../../src/formats/dib/read/expand.js';
import { DIB_ELEMENTS } from '../../../helpers/dib-elements.js';
import { fixturesDirOf, repoRoot } from '../../../helpers/shared.js';

const hasDib =
  existsSync(DIB_ELEMENTS) &&
  spawnSync('/usr/bin/python3', ['-c', 'import diskimage_builder.element_dependencies']).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'imgc-dib-oracle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Verdict {
  elements?: string[];
  missingOs?: boolean;
  error?: string;
}

function dibExpands(path: string, sets: string[][]): Verdict[] {
  const run = spawnSync('/usr/bin/python3', [join(repoRoot, 'test/formats/dib/oracle/expand.py')], {
    input: JSON.stringify({ path, sets }),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Verdict[];
}

function imgcExpands(path: string, sets: string[][]): Verdict[] {
  const { found } = findElements(path.split(':'));
  return sets.map((set) => {
    const e = expandElements(set, found);
    if (e.missing.length) return { error: 'MissingElementException' };
    if (e.conflicts.length) return { error: 'AlreadyProvidedException' };
    const elements = e.elements.map((x) => x.name).sort();
    return e.provided.has('operating-system') ? { elements } : { missingOs: true, elements };
  });
}

describe.skipIf(!hasDib)('element expansion agrees with diskimage-builder', () => {
  it('on the fixture elements and dib’s own, including refusals', () => {
    const elements = join(fixturesDirOf('dib'), 'elements');
    const twice = mkdtempSync(join(scratch, 'twice-'));
    cpSync(elements, twice, { recursive: true });
    writeFileSync(join(twice, 'install-static', 'element-provides'), 'block-device\n');
    const cases: [string, string[][]][] = [
      [
        elements,
        [
          ['web'],
          ['disk-layout'],
          ['ubuntu-lite', 'install-static'],
          ['web', 'disk-layout'],
          ['web', 'block-device'],
          ['nope'],
        ],
      ],
      [twice, [['web']]],
      [
        `${elements}:${DIB_ELEMENTS}`,
        [
          ['web', 'vm'],
          ['ubuntu-minimal', 'vm', 'block-device-efi'],
        ],
      ],
    ];
    for (const [path, sets] of cases) {
      const dib = dibExpands(path, sets).map((v) => (v.error ? { error: v.error } : v));
      expect(imgcExpands(path, sets), `${path}: ${JSON.stringify(sets)}`).toEqual(dib);
    }
  });
});
