import { describe, expect, it } from 'vitest';
import { versionForRelease } from '../../../../src/formats/kickstart/read/infer-version.js';
import { readInferred } from './helpers.js';

function chosen(text: string, options: Record<string, string> = {}) {
  const result = readInferred(text, options);
  const note = result.diagnostics.find((d) => d.code === 'IMGC5030');
  if (!note) throw new Error('no version note');
  return {
    version: /read as kickstart (\S+):/.exec(note.message)![1],
    note,
    errors: result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code),
  };
}

const BODY = 'lang en_US.UTF-8\nkeyboard us\ntimezone UTC\nrootpw --lock\n';

describe('kickstart version inference', () => {
  it('takes --ks-version over everything, and says so', () => {
    const c = chosen(`#version=RHEL8\nurl --url=http://mirror.centos.org/centos/7/os/x86_64/\n${BODY}`, {
      ksVersion: 'F40',
    });
    expect(c.version).toBe('F40');
    expect(c.note.message).toContain('--ks-version');
  });

  it('takes a #version= comment, but not DEVEL', () => {
    expect(chosen(`#version=RHEL8\n${BODY}`)).toMatchObject({ version: 'RHEL8', errors: [] });
    expect(chosen(`#version=RHEL8\n${BODY}`).note).toMatchObject({ line: 1, column: 1 });
    expect(chosen(`#version=DEVEL\n${BODY}`).version).toBe('F45');
  });

  it('reads the release from url and repo URLs of many distributions', () => {
    const cases: [string, string][] = [
      ['url --url=http://vault.centos.org/5.11/os/x86_64', 'RHEL5'],
      ['url --url=http://mirror.centos.org/centos/6/os/x86_64/', 'RHEL6'],
      ['url --mirrorlist="http://mirrorlist.centos.org/?release=7&arch=x86_64&repo=os"', 'RHEL7'],
      ['url --url=https://mirror.stream.centos.org/9-stream/BaseOS/x86_64/os/', 'RHEL9'],
      ['url --url=https://dl.rockylinux.org/pub/rocky/8/BaseOS/x86_64/os/', 'RHEL8'],
      ['url --url=https://repo.almalinux.org/almalinux/10/BaseOS/x86_64/os/', 'RHEL10'],
      ['url --url=http://ftp.scientificlinux.org/linux/scientific/6.10/x86_64/os/', 'RHEL6'],
      ['repo --name=epel --baseurl=https://dl.fedoraproject.org/pub/epel/7/x86_64/', 'RHEL7'],
      ['url --url=https://dl.fedoraproject.org/pub/fedora/linux/releases/38/Everything/x86_64/os/', 'F38'],
      [
        'repo --name=f --metalink=https://mirrors.fedoraproject.org/metalink?repo=fedora-30&arch=x86_64',
        'F30',
      ],
      ['url --mirrorlist=https://mirrors.fedoraproject.org/mirrorlist?repo=rawhide&arch=x86_64', 'F45'],
    ];
    for (const [line, version] of cases) expect(chosen(`${line}\n${BODY}`).version, line).toBe(version);
  });

  it('positions the note at the URL that decided', () => {
    const c = chosen(`lang C\nurl --url=http://mirror.centos.org/centos/7/os/x86_64/\n`);
    expect(c.note).toMatchObject({ line: 2, column: 5, severity: 'info' });
    expect(c.note.message).toContain('CentOS 7');
  });

  it('clamps releases outside the supported range and says so', () => {
    expect(versionForRelease('F', 3)).toEqual({ version: 'F7', clamped: true });
    expect(versionForRelease('F', 50)).toEqual({ version: 'F45', clamped: true });
    expect(versionForRelease('RHEL', 11)).toEqual({ version: 'RHEL10', clamped: true });
    expect(versionForRelease('RHEL', 8)).toEqual({ version: 'RHEL8', clamped: false });
    const c = chosen(`url --url=https://dl.fedoraproject.org/pub/fedora/linux/releases/52/x/\n${BODY}`);
    expect(c.note.message).toContain('nearest');
  });

  it('keeps F45 for a file F45 accepts when nothing names a release', () => {
    expect(chosen(BODY)).toMatchObject({ version: 'F45', errors: [] });
  });

  it('falls back on the syntax: the newest version (RHEL first) that accepts every line', () => {
    // RHEL8 accepts install too, but warns that it is deprecated: RHEL7 has fewer warnings
    const c = chosen(`install\nauth --enableshadow --passalgo=sha512\n${BODY}`);
    expect(c.version).toBe('RHEL7');
    expect(c.errors).toEqual([]);
    expect(c.note).toMatchObject({ line: 1, column: 1 });
    expect(c.note.message).toContain('F45 rejects IMGC5004');
  });

  it('stays in the family the URLs name when they name no release', () => {
    const fedora =
      'repo --name=f --mirrorlist=https://mirrors.fedoraproject.org/mirrorlist?repo=fedora-$releasever';
    expect(chosen(`${fedora}\nauth --useshadow\n${BODY}`).version).toBe('F34');
    const centos = 'url --mirrorlist=http://mirrorlist.centos.org/?release=$releasever&repo=os';
    expect(chosen(`${centos}\ninstall\n${BODY}`).version).toBe('RHEL7');
    expect(chosen(`${centos}\nauth --useshadow\nmodule --name=nodejs --stream=16\n${BODY}`).version).toBe(
      'RHEL9',
    );
  });

  it('reports the errors of the named version even when another would accept the file', () => {
    const c = chosen(
      `url --url=http://mirror.centos.org/centos/7/os/x86_64/\nauthselect select sssd\n${BODY}`,
    );
    expect(c).toMatchObject({ version: 'RHEL7', errors: ['IMGC5003'] });
  });

  it('picks the version with the fewest errors when none accepts the file', () => {
    const c = chosen(`install\nbogus-command\n${BODY}`);
    expect(c.errors).toEqual(['IMGC5003']);
    expect(c.note.message).toContain('fewest errors (1)');
  });

  it('lets sections end without %end before F8 only', () => {
    const text = 'lang en_US\nrootpw secret\n%packages\n@core\n%post\necho hi\n';
    expect(chosen(text, { ksVersion: 'RHEL5' }).errors).toEqual([]);
    expect(chosen(text, { ksVersion: 'RHEL6' }).errors).toEqual(['IMGC5014', 'IMGC5014']);
    expect(chosen(text).version).toBe('RHEL5');
  });
});
