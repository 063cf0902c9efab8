import { describe, expect, it } from 'vitest';
import { coreCodes } from '../../src/diagnostics/codes/core.js';
import { diag } from '../../src/diagnostics/define.js';
import { renderDiagnostic, renderDiagnostics } from '../../src/diagnostics/render.js';

describe('rendering diagnostics', () => {
  const sources = new Map([['a.toml', 'one = 1\ntwo = \nthree = 3\n']]);
  const d = {
    code: 'IMGC2001',
    severity: 'error' as const,
    message: 'invalid TOML',
    file: 'a.toml',
    line: 2,
    column: 7,
    hint: 'give it a value',
  };

  it('prints file:line:col, severity, code, a code frame with a caret, and the hint', () => {
    const text = renderDiagnostic(d, { sources });
    expect(text.split('\n')).toEqual([
      'a.toml:2:7: error IMGC2001 invalid TOML',
      '    1 | one = 1',
      '  > 2 | two = ',
      '      |       ^',
      '    3 | three = 3',
      '  hint: give it a value',
    ]);
  });

  it('sorts by file and line and counts severities', () => {
    const later = { ...d, line: 3, column: 1, severity: 'warning' as const, code: 'IMGC2003' };
    const text = renderDiagnostics([later, d], { sources, context: 0 });
    expect(text.indexOf('a.toml:2:7')).toBeLessThan(text.indexOf('a.toml:3:1'));
    expect(text).toMatch(/1 error\(s\), 1 warning\(s\), 0 info/);
  });

  it('builds diagnostics from the catalogue', () => {
    const made = diag(coreCodes.formatUndetected, { path: 'x' }, { file: 'x', line: 1, column: 1 });
    expect(made).toMatchObject({ code: 'IMGC1002', severity: 'error', file: 'x', line: 1, column: 1 });
    expect(made.hint).toMatch(/--from/);
  });
});
