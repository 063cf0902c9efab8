/**
 * Detection runs every reader's patterns over the first 8 KiB of any file. Patterns of the form
 * /^\s*X/m went back over every following blank line from each line start (quadratic), and one
 * with two `\s*` in a row was cubic: fuzz seed 9001 found a 5.6 KB blueprint.json of blank lines
 * that took 90 s of CPU to detect.
 */
import { describe, expect, it } from 'vitest';
import type { DetectCandidate } from '../../src/formats/contract.js';
import { FormatRegistry } from '../../src/formats/registry.js';

const registry = new FormatRegistry();
const readers = registry.list().filter((f) => f.reader);
const candidate = (name: string, head: string): DetectCandidate => ({
  path: `/nonexistent/${name}`,
  isDirectory: false,
  name,
  head,
});

const HEADS = {
  'blank lines': '\n'.repeat(8192),
  'CRLF lines': '\r\n'.repeat(4096),
  'space lines': ' \n'.repeat(4096),
  'the seed 9001 input': `{"blueprint": {"customizations": {}}\n${'\n'.repeat(8000)}`,
};
const NAMES = ['blueprint.json', 'config.toml', 'Containerfile', 'a.ks', 'mkosi.extra', 'a.conf', 'noext'];

describe('format detection on hostile heads', () => {
  it('takes milliseconds for 8 KiB of blank lines under every name', () => {
    const cpu = process.cpuUsage();
    for (const head of Object.values(HEADS))
      for (const name of NAMES) for (const f of readers) f.reader!.detect(candidate(name, head));
    const { user, system } = process.cpuUsage(cpu);
    // 4 heads x 7 names x every reader; was minutes for one of them
    expect((user + system) / 1000).toBeLessThan(1_500);
  });

  it('still finds keywords after blank and indented lines', () => {
    const score = (id: string, name: string, head: string) =>
      registry.get(id)!.reader!.detect(candidate(name, head));
    expect(score('containerfile', 'build.txt', '\n\n  FROM fedora\n\t RUN true\n')).toBe(0.5);
    expect(score('containerfile', 'x.toml', '\r\n  kargs = ["a"]')).toBe(0.9);
    expect(score('containerfile', 'x.json', '{\n "customizations": {},\n \n  "name": "x"}')).toBe(0);
    expect(score('containerfile', 'x.json', '{\n "customizations": {}}')).toBe(0.3);
    expect(score('kickstart', 'a.cfg', '\n\n   %packages\n')).toBe(0.6);
    expect(score('mkosi', 'mkosi.extra', '\n \n  [Distribution]  \n')).toBe(0.8);
    expect(score('kiwi', 'a.yaml', '\n\n  image:\n    "@schemaversion": 7.5')).toBe(0.9);
    expect(score('blueprint', 'b.toml', '\n\n  name = "x"')).toBe(0.9);
  });
});
