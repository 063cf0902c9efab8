import { describe, expect, it } from 'vitest';
import { element, textElement } from '../../../../src/formats/kiwi/ast.js';
import { printDocument } from '../../../../src/formats/kiwi/write/print.js';

describe('printDocument', () => {
  it('prints KIWI style: declaration, blank line, 4-space indent, self-closed empty elements, final newline', () => {
    const root = element('image', { schemaversion: '8.5', name: 'x' }, [
      element('preferences', {}, [textElement('version', '1.0'), element('type', { image: 'oem' })]),
    ]);
    expect(
      printDocument({ file: 'config.xml', prolog: [{ kind: 'comment', text: ' OBS-Profiles: a ' }], root }),
    ).toBe(
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '',
        '<!-- OBS-Profiles: a -->',
        '<image schemaversion="8.5" name="x">',
        '    <preferences>',
        '        <version>1.0</version>',
        '        <type image="oem"/>',
        '    </preferences>',
        '</image>',
        '',
      ].join('\n'),
    );
  });

  it('escapes text and attribute values', () => {
    const root = element('image', { name: 'a"b<c>&d' }, [textElement('specification', 'x < y & z')]);
    const out = printDocument({ file: 'c', prolog: [], root });
    expect(out).toContain('name="a&quot;b&lt;c&gt;&amp;d"');
    expect(out).toContain('<specification>x &lt; y &amp; z</specification>');
  });

  it('never writes "--" inside a comment', () => {
    const out = printDocument({
      file: 'c',
      prolog: [{ kind: 'comment', text: ' a -- b -' }],
      root: element('image'),
    });
    expect(out.split('<!--')[1]!.split('-->')[0]).not.toContain('--');
  });
});
