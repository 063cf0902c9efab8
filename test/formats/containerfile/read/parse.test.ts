import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContainerfile, positionInArgs } from '../../../../src/formats/containerfile/read/parse.js';
import { splitCommands, tokenize } from '../../../../src/formats/containerfile/shell.js';

const parse = (text: string) => parseContainerfile(text, 'Containerfile');

describe('parseContainerfile', () => {
  it('joins continuations, skipping comment and blank lines inside them, and keeps positions', () => {
    const { ast, diagnostics } = parse(
      'FROM x\nRUN dnf -y install \\\n# a comment\n\n    vim \\\n    tmux\n',
    );
    expect(diagnostics).toEqual([]);
    const run = ast.instructions[1]!;
    expect(run).toMatchObject({ keyword: 'RUN', line: 2, endLine: 6 });
    expect(run.args).toBe('dnf -y install vim tmux');
    expect(positionInArgs(run, run.args.indexOf('vim'))).toEqual({ line: 5, column: 5 });
    expect(positionInArgs(run, run.args.indexOf('tmux'))).toEqual({ line: 6, column: 5 });
    expect(positionInArgs(run, 0)).toEqual({ line: 2, column: 5 });
  });

  it('honours the escape directive', () => {
    const { ast } = parse('# escape=`\nFROM x\nRUN echo a `\n  b\n');
    expect(ast.directives.escape).toBe('`');
    expect(ast.instructions[1]!.args).toBe('echo a b');
  });

  it('reads flags, exec form and heredocs', () => {
    const { ast } = parse(
      'FROM --platform=linux/arm64 img AS base\nRUN --mount=type=cache,dst=/var/cache ls\nCMD ["/sbin/init"]\nCOPY --chmod=0644 <<\'EOF\' /etc/motd\nhello\n\tworld\nEOF\nRUN <<-X\n\tone\nX\n',
    );
    const [from, run, cmd, copy, run2] = ast.instructions;
    expect(from!.flags).toEqual([{ name: 'platform', value: 'linux/arm64' }]);
    expect(from!.args).toBe('img AS base');
    expect(run!.flags).toEqual([{ name: 'mount', value: 'type=cache,dst=/var/cache' }]);
    expect(cmd!.json).toEqual(['/sbin/init']);
    expect(copy!.heredocs).toEqual([
      { delimiter: 'EOF', body: 'hello\n\tworld\n', quoted: true, stripTabs: false, line: 5 },
    ]);
    expect(copy!.endLine).toBe(7);
    expect(run2!.heredocs[0]).toMatchObject({ body: 'one\n', stripTabs: true });
  });

  it('reports an unclosed heredoc and an unknown keyword with positions', () => {
    const { diagnostics } = parse('FROM x\nFORM y\nRUN <<EOF\nnever closed\n');
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['IMGC9003', 2, 1],
      ['IMGC9004', 3, 1],
    ]);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parse(text);
        for (const i of r.ast.instructions) expect(i.line).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'FROM a\n',
            'RUN x \\\n',
            '<<EOF\n',
            'EOF\n',
            '# c\n',
            '\\\n',
            '"',
            "'",
            ' && ',
            '$(',
            '${A}',
          ),
          {
            maxLength: 30,
          },
        ),
        (parts) => {
          parse(parts.join(''));
          tokenize(parts.join(''));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('shell words', () => {
  it('unquotes, expands known variables and marks unknown ones dynamic', () => {
    const words = tokenize(`dnf install "a b" 'c$X' \${V}-1 $U x\\ y`, new Map([['V', 'pkg']]));
    expect(words.map((w) => (w.kind === 'word' ? [w.value, w.dynamic] : w.value))).toEqual([
      ['dnf', false],
      ['install', false],
      ['a b', false],
      ['c$X', false],
      ['pkg-1', false],
      ['$U', true],
      ['x y', false],
    ]);
  });

  it('splits command chains at && ; and newlines, not inside quotes or $(...)', () => {
    const segs = splitCommands(tokenize('a "x && y" && b $(c && d); e\nf'));
    expect(segs.length).toBe(4);
  });
});
