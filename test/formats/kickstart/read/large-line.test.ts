/**
 * A fuzzed kickstart line of 2 MB with 300,000 unknown options (issue 14) took 9 s and 650 MB:
 * the file names no release, so it is read under every candidate version, each splitting the
 * words again and making a diagnostic per bad word. Words are now split once per option set and
 * a line lists at most MAX_PROBLEMS_PER_LINE problems, counting the rest (IMGC1060).
 */
import { describe, expect, it } from 'vitest';
import { MAX_LINES_COMPARED } from '../../../../src/formats/kickstart/read/infer-version.js';
import { MAX_PROBLEMS_PER_LINE } from '../../../../src/formats/kickstart/read/lower.js';
import { readInferred, readText } from './helpers.js';

const BAD_WORDS = 5_000;
const line = `ostreesetup --osname=fedora --url=http://x --ref=f/x ${'--nogpg --bogus '.repeat(BAD_WORDS)}`;

describe('a kickstart line with thousands of bad options', () => {
  it('lists the first problems and counts the rest as one error', () => {
    const result = readText(`${line}\n`);
    const unknown = result.diagnostics.filter((d) => d.code === 'IMGC5006');
    const capped = result.diagnostics.filter((d) => d.code === 'IMGC1060');
    expect(unknown).toHaveLength(MAX_PROBLEMS_PER_LINE);
    expect(capped).toHaveLength(1);
    expect(capped[0]).toMatchObject({ severity: 'error', line: 1 });
    expect(capped[0]!.message).toContain(`${BAD_WORDS - MAX_PROBLEMS_PER_LINE} more problem(s)`);
    expect(capped[0]!.message).toContain(`(${BAD_WORDS - MAX_PROBLEMS_PER_LINE} of them errors)`);
  });

  it('is read under every candidate version with bounded diagnostics', () => {
    // no #version= and no URL naming a release: every version is tried
    const result = readInferred(`${line}\n`);
    expect(result.diagnostics.some((d) => d.code === 'IMGC5030')).toBe(true);
    expect(result.diagnostics.length).toBeLessThan(MAX_PROBLEMS_PER_LINE + 10);
  });

  it('keeps the problems of a line that has fewer than the limit, and no count', () => {
    const result = readText('ostreesetup --osname=f --url=http://x --ref=r --bogus --worse\n');
    expect(result.diagnostics.filter((d) => d.code === 'IMGC5006')).toHaveLength(2);
    expect(result.diagnostics.some((d) => d.code === 'IMGC1060')).toBe(false);
  });
});

describe('a kickstart with more lines than versions are compared on', () => {
  // fuzz: 26,369 lines of an unknown command took 3 s, read under every version
  it('keeps the newest syntax and says why, with the flag that chooses another', () => {
    const result = readInferred('reed\n'.repeat(MAX_LINES_COMPARED + 1));
    const note = result.diagnostics.find((d) => d.code === 'IMGC5030');
    expect(note?.message).toContain('F45');
    expect(note?.message).toContain(`${MAX_LINES_COMPARED + 1} lines`);
    expect(note?.message).toContain('--ks-version');
  });

  it('still compares versions on a file at the limit', () => {
    const result = readInferred(`${'reed\n'.repeat(MAX_LINES_COMPARED - 1)}`);
    const note = result.diagnostics.find((d) => d.code === 'IMGC5030');
    expect(note?.message).not.toContain('--ks-version');
  });
});

describe('a kickstart repo URL of 330 KB', () => {
  it('is read in linear time and names no release (fuzz seed 9001, input 665826: 57 s of CPU)', () => {
    const url = `https://mirrors.${'fedoraproj.'.repeat(30_000)}org/metalink?repo=x`;
    const cpu = process.cpuUsage();
    const result = readInferred(`repo --name=updates --metalink="${url}"\n%packages\n%end\n`);
    const { user, system } = process.cpuUsage(cpu);
    expect(result.diagnostics.some((d) => d.code === 'IMGC1009')).toBe(false);
    expect((user + system) / 1000).toBeLessThan(4_000);
  });
});
