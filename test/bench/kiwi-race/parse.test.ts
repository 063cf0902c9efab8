/** What the KIWI race reads from its runs: dpkg status stanzas, KIWI's log phases, imgc's step times. */
import { describe, expect, it } from 'vitest';
import { installedPackages, packageDifferences } from '../../../bench/kiwi-race/packages.js';
import { imgcSteps, kiwiPhases } from '../../../bench/kiwi-race/profile.js';
import { median } from '../../../bench/kiwi-race/report.js';

const status = `Package: apt
Status: install ok installed
Architecture: amd64
Version: 2.6.1

Package: gone
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0

Package: libc6
Status: install ok installed
Architecture: i386
Version: 2.36-9

Package: tzdata
Status: install ok installed
Architecture: all
Version: 2026b-0+deb12u1
`;

describe('installed packages', () => {
  it('keeps installed stanzas only, with a foreign architecture in the name', () => {
    expect([...installedPackages(status)]).toEqual([
      ['apt', '2.6.1'],
      ['libc6:i386', '2.36-9'],
      ['tzdata', '2026b-0+deb12u1'],
    ]);
  });

  it('names every package missing on one side or at another version', () => {
    const kiwi = new Map([
      ['apt', '2.6.1'],
      ['perl-base', '5.36.0-7+deb12u3'],
      ['zlib1g', '1:1.2.13.dfsg-1'],
    ]);
    const imgc = new Map([
      ['apt', '2.6.1'],
      ['zlib1g', '1:1.2.13.dfsg-1+deb12u1'],
      ['usrmerge', '35'],
    ]);
    expect(packageDifferences(kiwi, imgc)).toEqual([
      { name: 'perl-base', kiwi: '5.36.0-7+deb12u3' },
      { name: 'usrmerge', imgc: '35' },
      { name: 'zlib1g', kiwi: '1:1.2.13.dfsg-1', imgc: '1:1.2.13.dfsg-1+deb12u1' },
    ]);
    expect(packageDifferences(imgc, imgc)).toEqual([]);
  });
});

describe('profiles', () => {
  it("splits KIWI's log at its top-level messages; details stay in their phase", () => {
    const log = [
      '[ INFO    ]: 23:59:50 | Installing bootstrap packages',
      '[ INFO    ]: 23:59:51 | --> collection type: onlyRequired',
      '[ DEBUG   ]: 23:59:55 | EXEC: debootstrap',
      '[ INFO    ]: 00:00:20 | Installing system (chroot) for build type: tbz',
      '[ WARNING ]: 00:00:30 | Path /var/tmp/x/image-root not a mountpoint',
      '[ INFO    ]: 00:01:00 | Creating XZ compressed tar archive',
      '[ INFO    ]: 00:02:05 | Result files:',
      '[ INFO    ]: 00:02:05 | --> root_archive: /var/tmp/x/image.tar.xz',
    ].join('\n');
    expect(kiwiPhases(log)).toEqual({
      'Installing bootstrap packages': 30,
      'Installing system (chroot) for build type': 10,
      'Path … not a mountpoint': 30,
      'Creating XZ compressed tar archive': 65,
      'Result files': 0,
    });
  });

  it("sums imgc's step times by title, package counts left out", () => {
    const log = [
      '2026-12-07T19:19:26.035Z [1/3] bootstrap debian bookworm (minbase, 7 packages): done in 70.0 s (saved to the tree cache)',
      '2026-12-07T19:19:29.657Z [2/3] configure system: done in 3.6 s',
      '2026-12-07T19:20:30.570Z [3/3] tar imgc-sample.tar.xz: done in 54.4 s',
    ].join('\n');
    expect(imgcSteps(log)).toEqual({
      'bootstrap debian bookworm (minbase, N packages)': 70,
      'configure system': 3.6,
      'tar imgc-sample.tar.xz': 54.4,
    });
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
