/** KIWI JSON whose keys chain without spaces (`"a":"b":"c":...`) nests a YAML map per colon. */
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { scratchTree } from '../../../input/scratch.js';

describe('KIWI JSON nesting the pre-scan does not see', () => {
  it('is IMGC1052 at the long line, not an internal error (fuzz seed 9001, input 1077440)', async () => {
    const chain = '":'.repeat(100_000);
    const text = `{\n  "image": {\n    "@schemaversion": "7.5",\n    "description": {\n      "@type":${chain}\n    }\n  }\n}\n`;
    const dir = scratchTree({ 'config.json': text });
    const r = await loadDefinition(new FormatRegistry(), `${dir}/config.json`, { from: 'kiwi' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC1052']);
    expect(r.diagnostics[0]).toMatchObject({ line: 5, column: 1 });
  });
});

describe('KIWI JSON with a long line of errors', () => {
  it('is read in linear time (fuzz seed 9001, input 1432192: 727 KB, a minute of CPU)', async () => {
    const line = '"     '.repeat(80_000);
    const text = `{\n  "image": {\n    "@schemaversion": "7.5",\n    "description": {\n      "@type": ${line}\n    }\n  }\n}\n`;
    const dir = scratchTree({ 'config.json': text });
    const cpu = process.cpuUsage();
    const r = await loadDefinition(new FormatRegistry(), `${dir}/config.json`, { from: 'kiwi' });
    const { user, system } = process.cpuUsage(cpu);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC3015']);
    expect(r.diagnostics[0]!.message).toMatch(/at line 5, column \d+:$/);
    expect((user + system) / 1000).toBeLessThan(4_000);
  });
});

describe('KIWI YAML with complex mapping keys', () => {
  it('is IMGC3015 at the first such key (after its `? `): 24 nested `? ` keys took 0.9 s and each one more doubles it (found by the YAML mutations of fuzz seed 9201)', async () => {
    const text = `image:\n  "@name": x\n  description:\n    ${'? '.repeat(40)}x: 1\n`;
    const dir = scratchTree({ 'config.yaml': text });
    const r = await loadDefinition(new FormatRegistry(), `${dir}/config.yaml`, { from: 'kiwi' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC3015']);
    expect(r.diagnostics[0]).toMatchObject({ line: 4, column: 7 });
  });
});
