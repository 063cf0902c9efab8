import { describe, expect, it } from 'vitest';
import { childElements, textOf } from '../../../../src/formats/kiwi/ast.js';
import { parseXml } from '../../../../src/formats/kiwi/read/xml.js';

const text = `<?xml version="1.0"?>
<!-- OBS-Profiles: @BUILD_FLAVOR@ -->
<image schemaversion="8.5" name="x">
  <preferences>
    <version>1.0</version>
  </preferences>
  <packages type="image">
    <!-- a comment -->
    <package name="a&amp;b"   arch="x86_64"/>
  </packages>
</image>
`;

describe('parseXml', () => {
  it('gives elements and attributes 1-based positions', () => {
    const { doc, diagnostics } = parseXml(text, 'f.kiwi');
    expect(diagnostics).toEqual([]);
    const pkgs = childElements(doc!.root, 'packages')[0]!;
    const pkg = childElements(pkgs, 'package')[0]!;
    expect(pkg.pos).toEqual({ line: 9, column: 5 });
    expect(pkg.attrPos.name).toEqual({ line: 9, column: 14 });
    expect(pkg.attrPos.arch).toEqual({ line: 9, column: 31 });
    expect(pkg.attrs.name).toBe('a&b');
    expect(doc!.root.attrPos.name).toEqual({ line: 3, column: 28 });
  });

  it('keeps prolog comments and text', () => {
    const { doc } = parseXml(text, 'f.kiwi');
    expect(doc!.prolog.map((c) => c.text)).toEqual([' OBS-Profiles: @BUILD_FLAVOR@ ']);
    expect(textOf(childElements(childElements(doc!.root, 'preferences')[0]!, 'version')[0])).toBe('1.0');
  });

  it('reports malformed XML at its line and column', () => {
    const { doc, diagnostics } = parseXml('<image>\n  <a>\n  </b>\n</image>', 'bad.kiwi');
    expect(doc).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'IMGC3001', severity: 'error', file: 'bad.kiwi', line: 3 });
    expect(diagnostics[0]!.column).toBeGreaterThan(0);
  });

  it('rejects a document whose root is not <image>', () => {
    const { diagnostics } = parseXml('<?xml version="1.0"?>\n<config/>', 'c.xml');
    expect(diagnostics[0]).toMatchObject({ code: 'IMGC3002', line: 2, column: 1 });
  });

  it('reads CRLF and BOM input with the same positions', () => {
    const plain = parseXml(text, 'a').doc!;
    const crlf = parseXml(`\uFEFF${text.replace(/\n/g, '\r\n')}`, 'a').doc!;
    const pos = (d: typeof plain) =>
      childElements(childElements(d.root, 'packages')[0]!, 'package')[0]!.attrPos;
    expect(pos(crlf)).toEqual(pos(plain));
  });
});
