import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lexLine, quoteWord } from '../../../../src/formats/kickstart/lexer.js';

/** Inputs and the words Python's shlex.split(line, comments=True) gives for them (recorded with Python 3.11). */
const SHLEX_CASES: [string, string[]][] = [
  ['rootpw --plaintext abc#def', ['rootpw', '--plaintext', 'abc']],
  ['rootpw --plaintext "abc#def"', ['rootpw', '--plaintext', 'abc#def']],
  ["rootpw --plaintext 'abc#def'", ['rootpw', '--plaintext', 'abc#def']],
  ['bootloader --append="console=ttyS0 quiet"', ['bootloader', '--append=console=ttyS0 quiet']],
  ['bootloader --append="a \\"b\\" c"', ['bootloader', '--append=a "b" c']],
  ['x "a\\b" "a\\\\b" a\\b', ['x', 'a\\b', 'a\\b', 'ab']],
  ["sshkey --username=u 'ssh-ed25519 AAAA me@host'", ['sshkey', '--username=u', 'ssh-ed25519 AAAA me@host']],
  ['part / --size=5120 # trailing comment', ['part', '/', '--size=5120']],
  ['a\tb  c', ['a', 'b', 'c']],
  ['--opt="" x', ['--opt=', 'x']],
  ['mid"dle"word', ['middleword']],
  ["a'b\"c'd", ['ab"cd']],
  ['x#y z', ['x']],
  ['"#" # c', ['#']],
  ['a\\ b\\#c', ['a b#c']],
  ["\\'x", ["'x"]],
];

describe('kickstart lexer', () => {
  it.each(SHLEX_CASES)('splits %j as shlex does', (line, words) => {
    const lexed = lexLine(line);
    expect(lexed.problem).toBeUndefined();
    expect(lexed.words.map((w) => w.value)).toEqual(words);
  });

  it('gives 1-based columns of the raw words', () => {
    expect(lexLine('  part  /boot --size=1').words.map((w) => w.column)).toEqual([3, 9, 15]);
  });

  it('reports an unterminated quote at the quote', () => {
    expect(lexLine('rootpw "abc').problem).toEqual({ kind: 'unterminated-quote', column: 8 });
    expect(lexLine("a b'c d").problem).toEqual({ kind: 'unterminated-quote', column: 4 });
    expect(lexLine("a b'c d").words.map((w) => w.value)).toEqual(['a']);
  });

  it('reports a trailing backslash: kickstart has no line continuation', () => {
    expect(lexLine('bootloader --append="a" \\').problem?.kind).toBe('trailing-backslash');
  });

  it('quoteWord gives back any value through lexLine', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', '#', '"', "'", '\\', '$', '=', '-', '\t', 'é') }),
        (value) => {
          const lexed = lexLine(`cmd ${quoteWord(value)}`);
          expect(lexed.problem).toBeUndefined();
          expect(lexed.words.map((w) => w.value)).toEqual(['cmd', value]);
        },
      ),
    );
  });

  it('never throws on arbitrary lines', () => {
    fc.assert(
      fc.property(fc.string(), (line) => {
        const lexed = lexLine(line.replace(/\n/g, ' '));
        expect(Array.isArray(lexed.words)).toBe(true);
      }),
    );
  });
});
