import { describe, expect, it } from 'vitest';
import { type KsSection, parseDocument } from '../../../../src/formats/kickstart/read/document.js';
import { splitLines } from '../../../../src/formats/kickstart/read/source.js';

const parse = (text: string, version: Parameters<typeof parseDocument>[1] = 'F43') =>
  parseDocument(
    splitLines(text).map((t, i) => ({ text: t, file: 'ks.cfg', line: i + 1 })),
    version,
  );

describe('kickstart sections', () => {
  it('reads commands anywhere, before and after sections', () => {
    const doc = parse('lang C\n%packages\nvim\n%end\nkeyboard us\n');
    expect(doc.diagnostics).toEqual([]);
    expect(doc.items.map((i) => i.name)).toEqual(['lang', '%packages', 'keyboard']);
  });

  it('keeps blank lines and comments in scripts, drops them in %packages', () => {
    const doc = parse('%post --nochroot\n# c\n\necho hi\n%end\n%packages\n# c\n\nvim\n%end\n');
    const [post, pkgs] = doc.items as KsSection[];
    expect(post!.body.map((l) => l.text)).toEqual(['# c', '', 'echo hi']);
    expect(post!.args.map((w) => w.value)).toEqual(['--nochroot']);
    expect(pkgs!.body.map((l) => l.text)).toEqual(['vim']);
  });

  it('keeps %-lines that are not section names as script text', () => {
    const doc = parse('%post\n%dir /x\n%end\n');
    expect((doc.items[0] as KsSection).body.map((l) => l.text)).toEqual(['%dir /x']);
    expect(doc.diagnostics).toEqual([]);
  });

  it('reports a section opened inside another as not closed, at the open section', () => {
    const doc = parse('%post\necho\n%packages\nvim\n%end\n');
    expect(doc.diagnostics).toMatchObject([{ code: 'IMGC5014', line: 1, column: 1 }]);
    expect(doc.items.map((i) => i.name)).toEqual(['%post', '%packages']);
  });

  it('reports a section that reaches the end of the file', () => {
    expect(parse('lang C\n%packages\nvim\n').diagnostics).toMatchObject([{ code: 'IMGC5014', line: 2 }]);
  });

  it('reports unknown sections and a stray %end', () => {
    const doc = parse('%foo\nx\n%end\n%end\n');
    expect(doc.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['IMGC5013', 1],
      ['IMGC5024', 4],
    ]);
  });

  it('reads %addon and %anaconda bodies whole, with their header words', () => {
    const doc = parse(
      '%addon com_redhat_kdump --enable --reserve-mb=auto\n\n%end\n%anaconda\npwpolicy root\n%end\n',
    );
    expect(doc.diagnostics).toEqual([]);
    const [addon, anaconda] = doc.items as KsSection[];
    expect(addon!.args.map((w) => w.value)).toEqual(['com_redhat_kdump', '--enable', '--reserve-mb=auto']);
    expect(addon!.body.map((l) => l.text)).toEqual(['']);
    expect(anaconda!.body.map((l) => l.text)).toEqual(['pwpolicy root']);
  });

  it('reports an unterminated quote in a command with its column', () => {
    expect(parse('rootpw "abc\n').diagnostics).toMatchObject([{ code: 'IMGC5001', line: 1, column: 8 }]);
  });

  it('reads the #version= comment of the main file', () => {
    expect(parse('#version=RHEL9\nlang C\n').versionComment).toBe('RHEL9');
  });
});
