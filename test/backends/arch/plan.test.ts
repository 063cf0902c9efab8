/** Arch planning without root: the rolling release, pacman.conf sections, SigLevel, NoExtract and approximations. */
import { describe, expect, it } from 'vitest';
import { archBackend } from '../../../src/backends/arch/index.js';
import { BackendRegistry } from '../../../src/backends/registry.js';
import { emptyIr } from '../../../src/ir/empty.js';
import type { ImageIR } from '../../../src/ir/schema.js';
import { planBuild } from '../../../src/plan/planner.js';
import type { StepOptions } from '../../../src/plan/steps.js';

const host = { architecture: 'x86_64', readText: () => undefined, listDir: () => [] };
const plan = (x: ImageIR, outputs: ('directory' | 'disk')[] = []) =>
  planBuild({ ir: x, backends: new BackendRegistry([archBackend]), host, sourceDir: '/', outputs });

describe('arch backend', () => {
  it('is rolling: no release means rolling, a dated release is refused', async () => {
    const x = emptyIr();
    x.distribution = { id: 'archlinux' };
    const r = await plan(x);
    expect(r.plan!.distribution).toMatchObject({ id: 'arch', release: 'rolling', suite: 'rolling' });
    const o = r.plan!.steps[0]!.options as StepOptions<'bootstrap'>;
    expect(o.sources).toBe(
      '[core]\nSigLevel = Required DatabaseOptional\nServer = https://geo.mirror.pkgbuild.com/$repo/os/$arch\n\n' +
        '[extra]\nSigLevel = Required DatabaseOptional\nServer = https://geo.mirror.pkgbuild.com/$repo/os/$arch',
    );
    x.distribution.release = '2024.01.01';
    expect((await plan(x)).diagnostics.map((d) => d.code)).toEqual(['IMGC7002']);
  });

  it('writes SigLevel, NoExtract and IgnorePkg from the IR and says what pacman cannot do', async () => {
    const x = emptyIr();
    x.distribution = { id: 'arch' };
    x.repositories = [{ id: 'my repo', type: 'pacman', urls: ['/srv/arch'], gpgCheck: false }];
    x.packages.install = [{ name: 'vim', version: '9.1-1', arch: 'x86_64' }];
    x.packages.groups = [{ name: 'base-devel' }];
    x.packages.exclude = [{ name: 'nano' }];
    x.packages.installDocs = false;
    x.packages.languages = ['de'];
    x.packages.installWeakDeps = true;
    const r = await plan(x, ['disk']);
    const o = r.plan!.steps[0]!.options as StepOptions<'bootstrap'>;
    expect(o.packages).toEqual(['base-devel', 'vim=9.1-1', 'linux', 'mkinitcpio', 'systemd']);
    expect(o.sources).toBe('[my repo]\nSigLevel = Never\nServer = file:///srv/arch');
    expect(o.settings).toMatchObject({
      sigLevel: 'Never',
      noExtract: [
        'usr/share/doc/*',
        'usr/share/man/*',
        'usr/share/info/*',
        'usr/share/gtk-doc/*',
        'usr/share/locale/*',
        '!usr/share/locale/de*',
      ],
    });
    expect(r.diagnostics.map((d) => `${d.code} ${d.pointer}`).sort()).toEqual(
      [
        'IMGC7007 /packages/exclude',
        'IMGC7007 /packages/installWeakDeps',
        'IMGC7006 /packages/install/0/arch',
        'IMGC7203 /repositories/0',
        'IMGC7204 /repositories/0',
      ].sort(),
    );
  });
});
