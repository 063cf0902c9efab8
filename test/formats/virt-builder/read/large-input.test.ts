/**
 * Fuzz run 8 (seed 9202) found virt-builder indexes that hung the reader: input 230794, a notes
 * continuation line with a 466 KB run of spaces inside it, took over 60 s, and input 274150, a
 * `name=` line with a 122 KB run, 13.5 s. Every line went through replace(/\s+$/, ''), which
 * retries from each space of a run that something else follows: quadratic in the run. The same
 * held for the duplicate-key check (a scan of the section's keys per key), for preseed
 * continuations (the joined line copied and rescanned per line, and /\s*\\\s*$/ retried from
 * every space before the "\"), for a preseed value that (.*) cannot take to the end, and for
 * virt-customize continuations (the joined line copied per line: 200,000 lines took 15 s).
 *
 * These inputs are sized so that the old code takes a minute or more each (failing on the
 * suite's 30 s test timeout) and the linear code well under a second; the assertions are
 * about what is read, so that the work stays the same on a normal file.
 */
import { describe, expect, it } from 'vitest';
import { parseCommands } from '../../../../src/formats/virt-builder/read/commands.js';
import { parseIndex } from '../../../../src/formats/virt-builder/read/index-file.js';
import { lowerIndex } from '../../../../src/formats/virt-builder/read/lower.js';
import { parsePreseed } from '../../../../src/formats/virt-builder/read/preseed.js';

const RUN = 200_000;
const spaces = ' '.repeat(RUN);

describe('a virt-builder index with a long run of spaces inside a line', () => {
  it('keeps the run inside a notes continuation line (fuzz input 230794)', () => {
    const text = `[fedora-40]\nosinfo=fedora40\nnotes=Fedora 40\n \n This image contain${spaces}s only @Core.\n`;
    const parsed = parseIndex(text, 'f.index');
    expect(parsed.diagnostics).toEqual([]);
    const notes = parsed.sections[0]!.keys.find((k) => k.key === 'notes');
    expect(notes?.value).toBe(`Fedora 40\n\nThis image contain${spaces}s only @Core.`);
    expect(notes?.at.line).toBe(3);
  });

  it('keeps the run inside a value and drops the spaces after it (fuzz input 274150)', () => {
    const text = `[fedora-40]\nname=Fedora®${spaces}40 Server${spaces}\nosinfo=fedora40\n`;
    const parsed = parseIndex(text, 'f.index');
    expect(parsed.diagnostics).toEqual([]);
    const lowered = lowerIndex(parsed.sections);
    expect(lowered.ir.metadata?.description).toBe(`Fedora®${spaces}40 Server`);
    expect(lowered.positions['/metadata/description']?.line).toBe(2);
  });

  it('still refuses words with a run of spaces between them that are no key=value, at their line', () => {
    const parsed = parseIndex(`[a]\nfile=x\nx${spaces}y\n`, 'f.index');
    expect(parsed.diagnostics.map((d) => [d.code, d.line])).toEqual([['IMGC2701', 3]]);
  });
});

describe('a virt-builder index section with very many keys', () => {
  const KEYS = 100_000;
  it('reports the one repeated key, at its line', () => {
    const keys = Array.from({ length: KEYS }, (_, i) => `k${i}=v`).join('\n');
    const parsed = parseIndex(`[a]\n${keys}\nk7=again\n`, 'f.index');
    expect(parsed.sections[0]!.keys).toHaveLength(KEYS + 1);
    expect(parsed.diagnostics.map((d) => [d.code, d.line])).toEqual([['IMGC2702', KEYS + 2]]);
    expect(parsed.diagnostics[0]!.message).toContain('key k7 in [a]');
  });
});

describe('a preseed with long continued lines', () => {
  const LINES = 100_000;
  it('joins many continued lines into one answer at its first line', () => {
    const text = `d-i pkgsel/include string a \\\n${'b \\\n'.repeat(LINES)}c\nd-i time/zone string UTC\n`;
    const parsed = parsePreseed(text, 'x.preseed');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.answers.map((a) => a.at.line)).toEqual([1, LINES + 3]);
    expect(parsed.answers[0]!.value).toBe(`a ${'b '.repeat(LINES)}c`);
  });

  it('drops the spaces before a trailing "\\" however many there are', () => {
    const parsed = parsePreseed(`d-i a/b string x${spaces}y${spaces}\\  \n  z\n`, 'x.preseed');
    expect(parsed.answers.map((a) => a.value)).toEqual([`x${spaces}y z`]);
  });

  it('still refuses a value with a lone carriage return after a long run of spaces', () => {
    const parsed = parsePreseed(`d-i a/b string${spaces}x\ry\nd-i c/d string e\n`, 'x.preseed');
    expect(parsed.diagnostics.map((d) => [d.code, d.line])).toEqual([['IMGC2709', 1]]);
    expect(parsed.answers.map((a) => a.value)).toEqual(['e']);
  });
});

describe('a virt-customize command file with many continued lines', () => {
  it('joins them into one command, an empty line after "\\\\" continuing the one before', () => {
    const LINES = 400_000;
    const parsed = parseCommands(`run-command echo \\\n${'a\\\n'.repeat(LINES)}b\\\\\n\nc\n`, 'x');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.commands).toHaveLength(1);
    expect(parsed.commands[0]!.argument).toBe(`echo ${'a'.repeat(LINES)}bc`);
  });
});
