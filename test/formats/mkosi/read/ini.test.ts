import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type IniAssignment, parseIni } from '../../../../src/formats/mkosi/read/ini.js';

const assigns = (text: string) =>
  parseIni(text).events.filter((e): e is IniAssignment => e.kind === 'assign');

describe('mkosi INI dialect', () => {
  it('drops everything after the first # on any line, values included', () => {
    const a = assigns('[Content]\nPackages=kmod # for modules\n# whole line\nBootable=yes#no\n');
    expect(a.map((e) => [e.key, e.value])).toEqual([
      ['Packages', 'kmod'],
      ['Bootable', 'yes'],
    ]);
  });

  it('joins indented continuation lines with newlines and records where each line starts', () => {
    const [p] = assigns('[Content]\nPackages=a\n    b c\n\tdd\nOther=x\n');
    expect(p!.value).toBe('a\nb c\ndd');
    expect(p!.lineStarts).toEqual([
      { line: 2, column: 10 },
      { line: 3, column: 5 },
      { line: 4, column: 2 },
    ]);
  });

  it('keeps an empty first line of a multi-line value', () => {
    const [p] = assigns('[Content]\nPackages=\n  a\n  b\n');
    expect(p!.value).toBe('\na\nb');
  });

  it('allows repeated keys and sections and ends each section with an event', () => {
    const r = parseIni('[Match]\nDistribution=fedora\n[Content]\nPackages=a\n[Match]\nRelease=40\n');
    expect(r.events.map((e) => (e.kind === 'end' ? `end:${e.section}` : `${e.section}.${e.key}`))).toEqual([
      'Match.Distribution',
      'end:Match',
      'Content.Packages',
      'end:Content',
      'Match.Release',
      'end:Match',
    ]);
  });

  it('dedents the whole file first', () => {
    const a = assigns('    [Output]\n    Format=tar\n');
    expect(a.map((e) => [e.section, e.key, e.value])).toEqual([['Output', 'Format', 'tar']]);
  });

  it('gives the key and value positions (1-based)', () => {
    const [a] = assigns('[Output]\n  \nFormat =  disk\n');
    expect(a!.keyAt).toEqual({ line: 3, column: 1 });
    expect(a!.valueAt).toEqual({ line: 3, column: 11 });
  });

  it('reports a key outside any section, a key without "=" and a broken header with positions', () => {
    const r = parseIni('Format=disk\n[Output\n[Content]\nPackages\n');
    expect(r.errors.map((e) => [e.at.line, e.at.column])).toEqual([
      [1, 1],
      [2, 1],
      [4, 1],
    ]);
  });

  it('reads CRLF and a byte order mark like plain LF', () => {
    const plain = parseIni('[Content]\nPackages=a\n  b\n');
    expect(parseIni('\uFEFF[Content]\r\nPackages=a\r\n  b\r\n')).toEqual(plain);
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        parseIni(text);
      }),
      { numRuns: 500 },
    );
  });
});
