/**
 * KIWI as the judge of imgc's /.profile: the sample translated to a KIWI 7.5 description is
 * loaded by the KIWI installed on this host (its Python API, as `kiwi-ng` loads a
 * description), and every variable imgc writes must have the value KIWI's Profile gives it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../src/formats/load.js';
import { FormatRegistry } from '../../../src/formats/registry.js';
import { translateIr } from '../../../src/formats/translate.js';
import { writeOutputFiles } from '../../../src/formats/write-files.js';
import { kiwiProfileVariables } from '../../../src/ir/kiwi-script-env/index.js';

const PYTHON = '/usr/bin/python3';
const hasKiwi = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import kiwi.system.profile']).status === 0;
if (!hasKiwi) console.warn("SKIPPED: /.profile against KIWI's: Debian's kiwi package is not installed");
const maybe = hasKiwi ? it : it.skip;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Our own few lines that ask KIWI's API for the profile of a description. */
const ASK_KIWI = `
import sys, json, logging
logging.disable(logging.CRITICAL)
from kiwi.xml_description import XMLDescription
from kiwi.xml_state import XMLState
from kiwi.system.profile import Profile
state = XMLState(XMLDescription(sys.argv[1]).load())
print(json.dumps({k: '' if v is None else str(v).lower() if isinstance(v, bool) else str(v)
                  for k, v in Profile(state).get_settings().items()}))
`;

describe("imgc's /.profile against KIWI's", () => {
  maybe('gives every variable the value KIWI gives it, for the sample', async () => {
    const registry = new FormatRegistry();
    const loaded = await loadDefinition(registry, 'samples/kiwi/debian-minimal');
    const out = mkdtempSync(join(tmpdir(), 'imgc-profile-oracle-'));
    dirs.push(out);
    const translated = await translateIr({
      ir: loaded.ir!,
      positions: loaded.positions,
      sourceDir: 'samples/kiwi/debian-minimal',
      target: registry.get('kiwi')!,
      options: { kiwiSchema: '7.5' },
    });
    await writeOutputFiles(out, translated.files);
    const ask = join(out, 'ask.py');
    writeFileSync(ask, ASK_KIWI);
    const r = spawnSync(PYTHON, [ask, join(out, 'config.xml')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const kiwi = JSON.parse(r.stdout) as Record<string, string>;
    const ours = kiwiProfileVariables(loaded.ir!);
    const compared = Object.keys(ours).filter((k) => k in kiwi);
    expect(compared.length).toBe(Object.keys(ours).length);
    expect(Object.fromEntries(compared.map((k) => [k, ours[k]]))).toEqual(
      Object.fromEntries(compared.map((k) => [k, kiwi[k]])),
    );
  });
});
