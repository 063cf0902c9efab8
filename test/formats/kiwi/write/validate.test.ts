/**
 * Everything the writer produces for the KIWI fixtures validates against the RelaxNG schema
 * of its version: 8.5 (../shared/reference/schemas) and 7.5 (Debian's kiwi package).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKiwi } from '../../../../src/formats/kiwi/read/read.js';
import { writeKiwi } from '../../../../src/formats/kiwi/write/write.js';
import { fixtureCases, inputOf } from '../../../harness/fixtures.js';
import { fixturesDirOf } from '../../../helpers/shared.js';
import { ensureKiwiTools, KIWI_75_RNG, KIWI_85_RNG, relaxngErrors } from '../../../setup/kiwi-tools.js';

const fixtures = fixturesDirOf('kiwi');
const cases = fixtureCases(fixtures).filter((c) => !c.startsWith('_errors_'));
const tmp = mkdtempSync(join(tmpdir(), 'imgc-kiwi-validate-'));
beforeAll(() => ensureKiwiTools());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each([
  ['8.5', KIWI_85_RNG],
  ['7.5', KIWI_75_RNG],
])('written KIWI %s validates', (version, rng) => {
  it.each(cases)('%s', async (name) => {
    const read = await readKiwi(inputOf(join(fixtures, name)), { options: { arch: 'x86_64' } });
    const { files } = writeKiwi(read.ir!, { options: { kiwiSchema: version } });
    const path = join(tmp, `${name}-${version}.xml`);
    writeFileSync(path, String(files.find((f) => f.path === 'config.xml')!.content));
    expect(relaxngErrors(rng, path)).toBeUndefined();
  });
});
