import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectKickstart } from '../../../../src/formats/kickstart/read/index.js';
import { writeKickstart } from '../../../../src/formats/kickstart/write/index.js';
import { normalizeIr } from '../../../../src/ir/normalize.js';
import { validateIr } from '../../../../src/ir/validate.js';
import { readText } from './helpers.js';

const WORDS = [
  'part',
  '/',
  'swap',
  'pv.01',
  '--size=100',
  '--grow',
  '--fstype=xfs',
  'logvol',
  '--vgname=vg',
  '--name=lv',
  'volgroup',
  'vg',
  'raid',
  '--level=1',
  '--device=md0',
  'raid.01',
  'repo',
  '--name=r',
  '--baseurl=http://x',
  'url',
  '--url=http://x',
  'user',
  'rootpw',
  '--lock',
  '--plaintext',
  'sshkey',
  '--username=u',
  'network',
  '--hostname=h',
  'services',
  '--enabled=a,b',
  'bootloader',
  '--append="a b"',
  'lang',
  'C',
  'timezone',
  'UTC',
  'firewall',
  '--port=22:tcp',
  '%packages',
  '%post',
  '%pre',
  '%end',
  '%addon',
  '%include',
  '/tmp/x',
  '@core',
  '@^env',
  '-pkg',
  'pkg',
  '#',
  "'",
  '"',
  '\\',
  '--bogus',
  'autopart',
  '--type=lvm',
  'clearpart',
  '--all',
  'module',
  'text',
  'bootc',
  '--source-imgref=x',
  'timesource',
  '--ntp-server=n',
  '%ksappend',
  'btrfs',
  '--subvol',
  '--label=L',
  'LABEL=L',
  'btrfs.01',
  'none',
  '/home',
  '%onerror',
];

const line = fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }).map((w) => w.join(' '));
const kickstart = fc.array(line, { maxLength: 25 }).map((lines) => `${lines.join('\n')}\n`);

describe('kickstart reader robustness', () => {
  it('never crashes, and what lowers is a valid IR that round-trips', () => {
    fc.assert(
      fc.property(kickstart, fc.constantFrom('F39', 'F45', 'RHEL8', 'RHEL10'), (text, version) => {
        const r = readText(text, version);
        expect(r.diagnostics.filter((d) => d.code === 'IMGC1009')).toEqual([]);
        for (const d of r.diagnostics.filter((x) => x.severity === 'error'))
          expect(d.line).toBeGreaterThan(0);
        if (!r.ir) return;
        expect(validateIr(r.ir)).toEqual([]);
        const written = writeKickstart(r.ir, { options: { ksVersion: version } }).files[0]!.content as string;
        const again = readText(written, version);
        expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(normalizeIr(again.ir!)).toEqual(normalizeIr(r.ir));
      }),
      { numRuns: 150 },
    );
  });

  it('detects kickstarts by name and content', () => {
    expect(
      detectKickstart({ path: 'a.ks', name: 'a.ks', isDirectory: false, head: 'lang C\n%packages\n%end\n' }),
    ).toBe(0.95);
    expect(detectKickstart({ path: 'x.ks.in', name: 'x.ks.in', isDirectory: false, head: '' })).toBe(0.8);
    expect(
      detectKickstart({ path: 'anaconda-ks.cfg', name: 'anaconda-ks.cfg', isDirectory: false, head: '' }),
    ).toBe(0.8);
    expect(
      detectKickstart({ path: 'b.toml', name: 'b.toml', isDirectory: false, head: 'name = "x"\n' }),
    ).toBe(0);
    expect(detectKickstart({ path: 'd', name: 'd', isDirectory: true, entries: ['a.ks', 'README'] })).toBe(
      0.5,
    );
    // several: claimed weakly, so that reading it asks to name one of the files (IMGC1083)
    expect(detectKickstart({ path: 'd', name: 'd', isDirectory: true, entries: ['a.ks', 'b.ks'] })).toBe(0.1);
  });
});
