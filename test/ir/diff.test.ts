import { describe, expect, it } from 'vitest';
import { diffIr, project } from '../../src/ir/diff.js';
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR } from '../../src/ir/schema.js';

function ir(patch: (ir: ImageIR) => void): ImageIR {
  const x = emptyIr();
  patch(x);
  return x;
}

const base = ir((x) => {
  x.distribution = { id: 'debian', release: 'bookworm' };
  x.packages.install = [{ name: 'systemd' }, { name: 'vim' }];
  x.system.services.enable = ['ssh.service'];
  x.accounts.users = [{ name: 'imgc', groups: ['sudo'], sshKeys: [], shell: '/bin/sh' }];
  x.files = [{ path: '/etc/motd', content: 'hi\n' }];
});

describe('diffIr', () => {
  it('finds nothing between equal images, whatever the list order', () => {
    const shuffled = structuredClone(base);
    shuffled.packages.install.reverse();
    expect(diffIr(base, shuffled)).toEqual([]);
  });

  it('names added, removed and changed items by identity', () => {
    const other = structuredClone(base);
    other.distribution.release = 'trixie';
    other.packages.install = [{ name: 'systemd' }, { name: 'nano' }];
    other.system.services.enable = [];
    other.accounts.users[0]!.shell = '/bin/bash';
    other.files.push({ path: '/etc/issue', content: 'x\n' });
    const changes = diffIr(base, other);
    expect(changes.map((c) => [c.area, c.kind, c.key])).toEqual([
      ['distribution', 'changed', 'release'],
      ['packages', 'removed', 'install vim'],
      ['packages', 'added', 'install nano'],
      ['services', 'removed', 'enable ssh.service'],
      ['users', 'changed', 'imgc'],
      ['files', 'added', '/etc/issue'],
    ]);
    expect(changes[4]!.fields).toEqual([{ field: 'shell', a: '/bin/sh', b: '/bin/bash' }]);
    expect(changes[1]).toMatchObject({ pointerA: '/packages/install/1' });
    expect(changes[2]).toMatchObject({ pointerB: '/packages/install/1' });
  });

  it('compares the effective images: active profiles are merged first', () => {
    const withProfile = ir((x) => {
      Object.assign(x, structuredClone(base));
      x.packages.install = [{ name: 'systemd' }];
      x.profiles = [
        {
          name: 'dev',
          overlay: {
            packages: {
              install: [{ name: 'vim' }],
              exclude: [],
              groups: [],
              modules: [],
              remove: [],
              bootstrap: [],
              build: [],
            },
          },
        },
      ];
      x.activeProfiles = ['dev'];
    });
    expect(diffIr(base, withProfile)).toEqual([]);
  });

  it('restricted to capability tables, compares only what every table claims', () => {
    const other = structuredClone(base);
    other.files = [];
    other.accounts.users[0]!.shell = '/bin/zsh';
    const tables = [['/distribution/**', '/packages/**', '/accounts/users/*/name'], ['/**']];
    expect(diffIr(base, other, { restrictTo: tables })).toEqual([]);
    expect(project(base, tables).files).toEqual([]);
    expect(diffIr(base, other).length).toBe(2);
  });
});

describe('diffIr: the sbom field', () => {
  it('reports an SBOM format asked for in one definition only', () => {
    const a = emptyIr();
    const b = emptyIr();
    b.sbom = ['spdx', 'cyclonedx'];
    a.sbom = ['spdx'];
    expect(diffIr(a, b)).toEqual([
      { area: 'sbom', kind: 'added', key: 'sbom cyclonedx', pointerB: '/sbom/1' },
    ]);
  });
});
