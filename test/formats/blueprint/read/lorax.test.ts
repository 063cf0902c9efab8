import { describe, expect, it } from 'vitest';
import { lowerBlueprint } from '../../../../src/formats/blueprint/read/lower.js';

const lower = (doc: unknown) => lowerBlueprint(doc, 'bp.toml', {});

describe('lorax-composer era blueprints', () => {
  it('reads an undotted RHEL distro as the dotted name, with a note', () => {
    const ctx = lower({ name: 'a', distro: 'rhel-84' });
    expect(ctx.ir.distribution).toMatchObject({ id: 'rhel', release: '8.4' });
    expect(ctx.diagnostics.map((d) => [d.code, d.severity])).toEqual([['IMGC2030', 'info']]);
    expect(lower({ name: 'a', distro: 'rhel-810' }).ir.distribution.release).toBe('8.10');
    expect(lower({ name: 'a', distro: 'rhel-9.6' }).diagnostics).toEqual([]);
    expect(lower({ name: 'a', distro: 'rhel-9' }).ir.distribution.release).toBe('9');
    const rhel10 = lower({ name: 'a', distro: 'rhel-10' });
    expect(rhel10.ir.distribution.release).toBe('10');
    expect(rhel10.diagnostics).toEqual([]);
  });

  it('reports each [[repos.git]] entry as not built, and keeps it for writing back', () => {
    const git = {
      rpmname: 'server-config',
      rpmversion: '1.0',
      rpmrelease: '1',
      summary: 'config',
      repo: 'https://git.example.org/server-config',
      ref: 'v1.0',
      destination: '/opt/server/',
    };
    const ctx = lower({ name: 'a', repos: { git: [git] } });
    const found = ctx.diagnostics.map((d) => [d.code, d.severity]);
    expect(found).toEqual([['IMGC2031', 'warning']]);
    expect(ctx.diagnostics[0]!.message).toContain('server-config');
    expect(ctx.ir.extensions.blueprint).toMatchObject({ unknown: { '/repos': { git: [git] } } });
    expect(ctx.ir.packages.install).toEqual([]);
  });

  it('still calls other keys under [repos] unknown', () => {
    const ctx = lower({ name: 'a', repos: { svn: [] } });
    expect(ctx.diagnostics.map((d) => d.code)).toEqual(['IMGC2003']);
    expect(lower({ name: 'a', repos: 'x' }).diagnostics.map((d) => d.code)).toEqual(['IMGC2003']);
  });

  it('reads [[modules]] as packages and [[customizations.sshkey]] as a user key, as composer does', () => {
    const ctx = lower({
      name: 'a',
      modules: [{ name: 'httpd', version: '2.4.*' }],
      groups: [{ name: 'anaconda-tools' }],
      customizations: { sshkey: [{ user: 'root', key: 'ssh-ed25519 AAAA root@h' }] },
    });
    expect(ctx.ir.packages.install).toEqual([{ name: 'httpd', version: '2.4.*' }]);
    expect(ctx.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
