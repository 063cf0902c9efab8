import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKickstartFile } from '../../../../src/formats/kickstart/read/read.js';
import { scratchTree } from '../../../input/scratch.js';

// the notes every read gives (which syntax version was used, IMGC5030) are not what these test
const findings = <D extends { severity: string }>(r: { diagnostics: D[] }) =>
  r.diagnostics.filter((d) => d.severity !== 'info');
const codes = (r: { diagnostics: { code: string; severity: string }[] }) => findings(r).map((d) => d.code);

describe('kickstart %include limits (issue 14)', () => {
  it('%include /dev/zero is IMGC1050 at the %include line (it read 5-7 GB)', () => {
    const dir = scratchTree({ 'a.ks': 'lang en_US.UTF-8\n%include /dev/zero\n' });
    const r = readKickstartFile(join(dir, 'a.ks'));
    expect(findings(r)).toEqual([
      expect.objectContaining({ code: 'IMGC1050', file: join(dir, 'a.ks'), line: 2, column: 10 }),
    ]);
  });

  it('%include of a FIFO is IMGC1050 at once (it blocked forever)', () => {
    const dir = scratchTree({ 'a.ks': 'lang en_US.UTF-8\n%include pipe\n' });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const started = Date.now();
    expect(codes(readKickstartFile(join(dir, 'a.ks')))).toEqual(['IMGC1050']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('%ksappend of a device is refused too', () => {
    const dir = scratchTree({ 'a.ks': 'lang en_US.UTF-8\n%ksappend /dev/zero\n' });
    expect(codes(readKickstartFile(join(dir, 'a.ks')))).toEqual(['IMGC1050']);
  });

  it('an include diamond 30 levels deep stops at the line budget (20 levels took 111 s and 1 GB)', () => {
    const files: Record<string, string> = { 'main.ks': 'lang en_US.UTF-8\n%include d0.ks\n' };
    for (let i = 0; i < 30; i++) files[`d${i}.ks`] = `%include d${i + 1}.ks\n%include d${i + 1}.ks\n`;
    files['d30.ks'] = '# leaf\n';
    const dir = scratchTree(files);
    const started = Date.now();
    const r = readKickstartFile(join(dir, 'main.ks'));
    expect(codes(r)).toEqual(['IMGC1053']);
    // at the %include where the budget ran out
    expect(findings(r)[0]!.file).toMatch(/d\d+\.ks$/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a file included a few times still reads', () => {
    const dir = scratchTree({
      'main.ks': 'lang en_US.UTF-8\n%include part.ks\n%include part.ks\n',
      'part.ks': 'keyboard us\n',
    });
    const r = readKickstartFile(join(dir, 'main.ks'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.files).toEqual([join(dir, 'main.ks'), join(dir, 'part.ks')]);
  });
});

describe('kickstart line limit (fuzz seed 9302, input 356792)', () => {
  // 647,423 lines of an unknown command (1.3 MB) peaked at 1 GB: about 1.5 KB per line while read
  it('refuses a main file of more than 100,000 lines with IMGC1055 at the first line past it, unread', () => {
    const dir = scratchTree({ 'a.ks': 'c\n'.repeat(100_001), 'b.inc': 'lang en_US.UTF-8\n' });
    const r = readKickstartFile(join(dir, 'a.ks'));
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'IMGC1055',
        severity: 'error',
        file: join(dir, 'a.ks'),
        line: 100_001,
      }),
    ]);
    expect(r.ir).toBeUndefined();
    expect(r.files).toEqual([join(dir, 'a.ks')]);
  });

  it('reads a main file of exactly 100,000 lines', () => {
    const dir = scratchTree({ 'a.ks': `lang en_US.UTF-8\n${'# note\n'.repeat(99_999)}` });
    const r = readKickstartFile(join(dir, 'a.ks'));
    expect(codes(r)).toEqual([]);
    expect(r.ir?.system.locale).toBe('en_US.UTF-8');
  });
});
