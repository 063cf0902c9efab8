import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSource } from '../../../../src/formats/kickstart/read/source.js';

let dir: string;
const put = (name: string, text: string) => {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'imgc-ks-source-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('kickstart includes', () => {
  it('splices %include relative to the including file, recursively, keeping file and line', () => {
    put('base/common.ks', 'lang en_US\n%include more/extra.ks\n');
    put('base/more/extra.ks', 'keyboard us\n');
    const main = put('top.ks', 'text\n%include base/common.ks\nreboot\n');
    const src = loadSource(main);
    expect(src.diagnostics).toEqual([]);
    expect(src.lines.map((l) => l.text)).toEqual(['text', 'lang en_US', 'keyboard us', 'reboot']);
    expect(src.lines[2]).toMatchObject({ file: join(dir, 'base/more/extra.ks'), line: 1 });
    expect(src.files).toEqual([main, join(dir, 'base/common.ks'), join(dir, 'base/more/extra.ks')]);
  });

  it('honours %include inside sections and ignores commented ones', () => {
    put('pkgs.ks', 'vim\n');
    const main = put('top.ks', '%packages\n# %include nothere.ks\n%include pkgs.ks\n%end\n');
    expect(loadSource(main).lines.map((l) => l.text)).toEqual([
      '%packages',
      '# %include nothere.ks',
      'vim',
      '%end',
    ]);
  });

  it('reports a missing include as a positioned error', () => {
    const main = put('top.ks', 'text\n  %include missing.ks\n');
    const [d] = loadSource(main).diagnostics;
    expect(d).toMatchObject({ code: 'IMGC5015', severity: 'error', file: main, line: 2, column: 12 });
  });

  it('reports a cycle with its chain instead of recursing', () => {
    put('a.ks', '%include b.ks\n');
    put('b.ks', '%include a.ks\n');
    const main = put('top.ks', '%include a.ks\n');
    const d = loadSource(main).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: 'IMGC5016', file: join(dir, 'b.ks'), line: 1 });
  });

  it('treats /tmp, /run and URLs as install-time includes: info, not error', () => {
    const main = put('top.ks', '%include /tmp/part-include\n%include http://example.com/x.ks\n');
    const src = loadSource(main);
    expect(src.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['IMGC5017', 'info'],
      ['IMGC5017', 'info'],
    ]);
    expect(src.runtimeIncludes).toEqual(['/tmp/part-include', 'http://example.com/x.ks']);
  });

  it('expands %ksappend in the main file, even inside a script, and searches includePath', () => {
    put('frags/validation/ok.ks', 'echo ok\n');
    const main = put('top.ks', '%post\n%ksappend validation/ok.ks\n%end\n');
    const src = loadSource(main, { includePath: [join(dir, 'frags')] });
    expect(src.lines.map((l) => l.text)).toEqual(['%post', 'echo ok', '%end']);
    expect(src.appended).toEqual([join(dir, 'frags/validation/ok.ks')]);
  });

  it('does not expand %ksappend in an included file, and says so', () => {
    put('inc.ks', '%ksappend x.ks\nlang C\n');
    const main = put('top.ks', '%include inc.ks\n');
    const src = loadSource(main);
    expect(src.lines.map((l) => l.text)).toEqual(['lang C']);
    expect(src.diagnostics.map((d) => d.code)).toEqual(['IMGC5019']);
  });

  it('strips a BOM and CR line ends', () => {
    const main = put('top.ks', '\uFEFFlang C\r\nkeyboard us\r\n');
    expect(loadSource(main).lines.map((l) => l.text)).toEqual(['lang C', 'keyboard us']);
  });
});
