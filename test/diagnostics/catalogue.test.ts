import { describe, expect, it } from 'vitest';
import { allCodes, catalogue } from '../../src/formats/catalogue.js';

const RANGES: Record<string, number> = {
  core: 1,
  blueprint: 2,
  kiwi: 3,
  mkosi: 4,
  kickstart: 5,
  translate: 6,
  build: 7,
  disk: 7,
  outputs: 7,
  backends: 7,
  scripts: 7,
  plugins: 8,
  containerfile: 9,
  cli: 9,
  discovery: 1,
  resolve: 7,
  lock: 7,
  commands: 9,
  batch: 9,
  vmdb2: 3,
  packer: 3,
  'live-build': 3,
  fleet: 8,
  treefile: 2,
  tdl: 2,
  'virt-builder': 2,
  dib: 3,
  reproducible: 7,
  golden: 7,
  parallel: 7,
  ostree: 7,
  initrd: 7,
};

describe('diagnostic catalogue', () => {
  it('has unique, well-formed codes', () => {
    const codes = allCodes().map((c) => c.code);
    expect(codes.length).toBeGreaterThan(20);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^IMGC\d{4}$/);
  });

  it('keeps each area in its number range', () => {
    for (const [area, entries] of Object.entries(catalogue)) {
      const digit = RANGES[area];
      expect(digit, `area ${area} has a range`).toBeDefined();
      for (const def of Object.values(entries))
        expect(def.code.slice(4, 5), `${def.code} in ${area}`).toBe(String(digit));
    }
  });

  it('gives every code a summary', () => {
    for (const def of allCodes()) expect(def.summary.length, def.code).toBeGreaterThan(5);
  });
});
