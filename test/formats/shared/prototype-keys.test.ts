/**
 * Names a definition may hold that are also Object.prototype's keys (fuzz seed 9104, input
 * 213125: a Containerfile FROM ...:__proto__ crashed the TDL writer, whose codename table
 * answered Object.prototype). Every writer translates such an image, or reports what it
 * cannot write; none throws.
 */
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../src/formats/load.js';
import { FormatRegistry } from '../../../src/formats/registry.js';
import { translateIr } from '../../../src/formats/translate.js';
import { scratchTree } from '../../input/scratch.js';

const registry = new FormatRegistry();
const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const writers = registry.list().filter((f) => f.writer);

async function translatedEverywhere(entry: string, from: string) {
  const read = await loadDefinition(registry, entry, { from });
  expect(read.ir, read.diagnostics.map((d) => d.message).join('\n')).toBeDefined();
  const internal: string[] = [];
  for (const target of writers) {
    const r = await translateIr({ ir: read.ir!, positions: read.positions, target });
    for (const d of r.diagnostics) if (d.code === 'IMGC1009') internal.push(`${target.id}: ${d.message}`);
  }
  return internal;
}

describe('prototype key names in a definition', () => {
  it('covers several writers', () => {
    expect(writers.length).toBeGreaterThan(8);
  });

  for (const key of KEYS) {
    it(`a bootc base image tagged ${key} translates to every format`, async () => {
      const dir = scratchTree({
        Containerfile: `FROM quay.io/fedora/fedora-bootc:${key}\nRUN dnf -y install ${key} && dnf clean all\n`,
      });
      expect(await translatedEverywhere(`${dir}/Containerfile`, 'containerfile')).toEqual([]);
    });

    it(`a kickstart with user, group and package ${key} translates to every format`, async () => {
      const dir = scratchTree({
        'a.ks': `lang ${key}\ntimezone ${key}\nkeyboard ${key}\nuser --name=${key} --groups=${key}\n%packages\n${key}\n%end\n`,
      });
      expect(await translatedEverywhere(`${dir}/a.ks`, 'kickstart')).toEqual([]);
    });
  }
});
