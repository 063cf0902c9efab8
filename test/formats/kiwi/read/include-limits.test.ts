import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKiwi } from '../../../../src/formats/kiwi/read/read.js';
import { parseXml } from '../../../../src/formats/kiwi/read/xml.js';
import { scratchTree } from '../../../input/scratch.js';

const description = (body: string) => `<?xml version="1.0" encoding="utf-8"?>
<image schemaversion="7.4" name="x">
  <description type="system"><author>a</author><contact>b</contact><specification>c</specification></description>
  <preferences><version>1.0.0</version><packagemanager>zypper</packagemanager><type image="oem"/></preferences>
${body}
</image>
`;

// the notes every read may give (how the distribution was told, IMGC3030–3032) are not what these test
const findings = <D extends { severity: string }>(r: { diagnostics: D[] }) =>
  r.diagnostics.filter((d) => d.severity !== 'info');

describe('KIWI include limits (issue 14)', () => {
  it('<include from="file:///dev/zero"/> is IMGC1050 at the include (it read 5-7 GB)', async () => {
    const dir = scratchTree({ 'config.kiwi': description('  <include from="file:///dev/zero"/>') });
    const r = await readKiwi(join(dir, 'config.kiwi'));
    expect(findings(r)).toEqual([expect.objectContaining({ code: 'IMGC1050', line: 5 })]);
  });

  it('an include of a FIFO is refused at once', async () => {
    const dir = scratchTree({ 'config.kiwi': description('  <include from="this://pipe"/>') });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const r = await readKiwi(join(dir, 'config.kiwi'));
    expect(findings(r).map((d) => d.code)).toEqual(['IMGC1050']);
  });

  it('a FIFO as the description is refused', async () => {
    const dir = scratchTree({});
    execFileSync('mkfifo', [join(dir, 'config.kiwi')]);
    const r = await readKiwi(join(dir, 'config.kiwi'));
    expect(findings(r).map((d) => d.code)).toEqual(['IMGC1050']);
  });
});

describe('KIWI entities (issue 14)', () => {
  it('a billion-laughs file is refused at the reference instead of leaving &lol9; in the IR', () => {
    const laughs = Array.from(
      { length: 9 },
      (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
    ).join('');
    const text = `<?xml version="1.0"?>
<!DOCTYPE image [<!ENTITY lol "lol">${laughs}]>
<image schemaversion="7.4" name="x">
  <description type="system"><author>a</author><contact>b</contact><specification>&lol9;</specification></description>
</image>`;
    const parsed = parseXml(text, 'bomb.kiwi');
    expect(parsed.doc).toBeUndefined();
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({
        code: 'IMGC3050',
        line: 4,
        message: '&lol9; is not expanded: its value refers to other entities',
      }),
    ]);
  });

  it('an undeclared entity is refused; declared plain ones and the predefined five are read', () => {
    expect(parseXml('<image name="a&foo;"/>', 'x.kiwi').diagnostics.map((d) => d.code)).toEqual(['IMGC3050']);
    const ok = parseXml(
      '<?xml version="1.0"?><!DOCTYPE image [<!ENTITY v "1.0">]><image name="&v; &lt;&amp;&gt;"><!-- &nope; --></image>',
      'x.kiwi',
    );
    expect(ok.diagnostics).toEqual([]);
    expect(ok.doc?.root.attrs.name).toBe('1.0 <&>');
  });
});

describe('KIWI markup found by the fuzz harness', () => {
  it('JSON with `"a": "a": ...` 5,000 times on a line is IMGC1052, not a yaml parser stack overflow', async () => {
    const dir = scratchTree({
      'config.json': `{\n  "image": {\n    "@name": ${'"package": '.repeat(5000)}"x"\n  }\n}\n`,
    });
    const r = await readKiwi(join(dir, 'config.json'));
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'IMGC1052', line: 3 })]);
  });
});
