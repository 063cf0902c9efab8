/** SUSE planning without root: distributions, default repositories, patterns, locks and what is reported. */
import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../../src/backends/registry.js';
import { suseBackend } from '../../../src/backends/suse/index.js';
import { emptyIr } from '../../../src/ir/empty.js';
import type { ImageIR } from '../../../src/ir/schema.js';
import { planBuild } from '../../../src/plan/planner.js';
import type { StepOptions } from '../../../src/plan/steps.js';

const host = { architecture: 'x86_64', readText: () => undefined, listDir: () => [] };

function ir(distribution: ImageIR['distribution']): ImageIR {
  const x = emptyIr();
  x.distribution = distribution;
  return x;
}
const plan = (x: ImageIR) =>
  planBuild({ ir: x, backends: new BackendRegistry([suseBackend]), host, sourceDir: '/' });

describe('suse backend', () => {
  it('maps openSUSE names and releases', () => {
    const resolve = (d: ImageIR['distribution']) => suseBackend.resolveDistribution(ir(d), {}, host);
    expect(resolve({ id: 'opensuse', release: 'tumbleweed' })).toMatchObject({
      distribution: { id: 'opensuse-tumbleweed', release: 'tumbleweed' },
    });
    expect(resolve({ id: 'opensuse-leap', release: '15.6' })).toMatchObject({
      distribution: { id: 'opensuse-leap', suite: '15.6', versionId: '15.6' },
    });
    expect(resolve({ id: 'tumbleweed' })).toMatchObject({ distribution: { id: 'opensuse-tumbleweed' } });
    expect(
      (resolve({ id: 'opensuse-leap', release: '42.3' }) as { diagnostics: { code: string }[] })
        .diagnostics[0]!.code,
    ).toBe('IMGC7002');
  });

  it('defaults to download.opensuse.org with the repository keys; SLE needs its own repositories', async () => {
    const leap = await plan(ir({ id: 'opensuse-leap', release: '15.6' }));
    const sources = (leap.plan!.steps[0]!.options as StepOptions<'bootstrap'>).sources;
    expect(sources).toContain(
      '[repo-oss]\nname=repo-oss\nbaseurl=https://download.opensuse.org/distribution/leap/15.6/repo/oss/\ntype=rpm-md',
    );
    expect(sources).toContain(
      'gpgkey=https://download.opensuse.org/update/leap/15.6/oss/repodata/repomd.xml.key',
    );
    const sle = await plan(ir({ id: 'sles', release: '15.6' }));
    expect(sle.diagnostics.map((d) => d.code)).toEqual(['IMGC7201']);
  });

  it('installs patterns, locks excluded packages, reports module streams', async () => {
    const x = ir({ id: 'opensuse-tumbleweed' });
    x.repositories = [
      { id: 'oss', type: 'yast2', urls: ['http://mirror.test/oss'], gpgKeys: ['http://mirror.test/key'] },
    ];
    x.packages.groups = [{ name: 'enhanced_base', kind: 'pattern' }];
    x.packages.install = [{ name: 'vim' }];
    x.packages.exclude = [{ name: 'nano' }];
    x.packages.modules = [{ name: 'nodejs', stream: '20' }];
    const r = await plan(x);
    const o = r.plan!.steps[0]!.options as StepOptions<'bootstrap'>;
    expect(o.packages).toEqual(['pattern:enhanced_base', 'vim']);
    expect(o.exclude).toEqual(['nano']);
    expect(o.variant).toBe('zypper');
    expect(o.sources).toContain('type=yast2');
    expect(r.diagnostics.map((d) => `${d.code} ${d.pointer}`)).toEqual(['IMGC7006 /packages/modules/0']);
  });
});
