import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkup } from '../../../../src/formats/kiwi/read/markup.js';
import { lowerDescription } from '../../../../src/formats/kiwi/read/read.js';
import { parseXml } from '../../../../src/formats/kiwi/read/xml.js';
import { validateIr } from '../../../../src/ir/validate.js';

const seed = `<?xml version="1.0"?>
<image schemaversion="7.4" name="f">
  <description type="system"><author>a</author><contact>c</contact><specification>s</specification></description>
  <profiles><profile name="P" description="p" import="true"><requires profile="Q"/></profile></profiles>
  <preferences><packagemanager>yum</packagemanager><type image="vmx" bootloader="grub2" boottimeout="2"/></preferences>
  <preferences profiles="P"><type image="iso" primary="true"/></preferences>
  <users group="x"><user name="u" pwd="p"/></users>
  <repository type="yast2"><source path="obs://a/b"/></repository>
  <packages type="image"><package name="a" arch="x86_64"/><opensusePattern name="b"/></packages>
</image>`;

/** Parse and lower never throw, and what lowers is a schema-valid IR, whatever the input. */
function survives(text: string, markup = false): void {
  const parsed = markup ? parseMarkup(text, 'f.yaml') : parseXml(text, 'f.kiwi');
  if (!parsed.doc) {
    expect(parsed.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    return;
  }
  const { ir } = lowerDescription(parsed.doc, '/nonexistent', {}, [], {});
  expect(validateIr(ir)).toEqual([]);
}

describe('KIWI reader robustness', () => {
  it('never throws on mutated descriptions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seed.length }),
        fc.integer({ min: 0, max: 40 }),
        fc.string({ maxLength: 12 }),
        (at, cut, insert) => {
          survives(seed.slice(0, at) + insert + seed.slice(Math.min(seed.length, at + cut)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text or YAML', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        survives(text);
        survives(text, true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a YAML description past the token limit before building its model (IMGC1061)', () => {
    const text = `image:\n  '@name': f\n${'  le: []\n'.repeat(100_000)}`;
    const parsed = parseMarkup(text, 'f.yaml');
    expect(parsed.doc).toBeUndefined();
    expect(parsed.diagnostics).toMatchObject([{ code: 'IMGC1061', file: 'f.yaml' }]);
    expect(parsed.diagnostics[0]!.line).toBeGreaterThan(20_000);
  });
});
