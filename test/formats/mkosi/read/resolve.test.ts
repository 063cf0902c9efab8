/**
 * Resolution order and matching. The expected values of the `mkosi agrees` cases were
 * recorded by running systemd/mkosi 70ce10d (`mkosi -C TREE --json summary`, host Debian 12
 * x86-64) on exactly these trees.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHost, resolveTree } from '../../../../src/formats/mkosi/read/resolve.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'imgc-mkosi-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

function main(files: Record<string, string>, options: Parameters<typeof resolveTree>[1] = {}) {
  const res = resolveTree(tree(files), { legacy: 'off', ...options });
  const m = res.main;
  return {
    res,
    d: m.get('Distribution'),
    r: m.get('Release'),
    a: m.get('Architecture'),
    f: m.get('Format'),
    p: m.get('Packages'),
  };
}

describe('mkosi agrees', () => {
  it('matches against the values parsed so far, not the final ones', () => {
    const v = main({
      'mkosi.conf': '[Output]\nFormat=directory\n',
      'mkosi.conf.d/10-a.conf': '[Match]\nDistribution=debian\n[Content]\nPackages=from-a\n',
      'mkosi.conf.d/20-b.conf': '[Distribution]\nDistribution=fedora\n',
      'mkosi.conf.d/30-c.conf': '[Match]\nDistribution=debian\n[Content]\nPackages=from-c\n',
    });
    expect([v.d, v.r, v.a, v.f, v.p]).toEqual(['fedora', 'rawhide', 'x86-64', 'directory', ['from-a']]);
  });

  it('keeps a default once a match has computed it', () => {
    const v = main({
      'mkosi.conf': '[Output]\nFormat=directory\n',
      'mkosi.conf.d/10-a.conf': '[Match]\nRelease=bookworm\n[Content]\nPackages=a\n',
      'mkosi.conf.d/20-b.conf': '[Distribution]\nDistribution=fedora\n',
    });
    expect([v.d, v.r, v.p]).toEqual(['fedora', 'bookworm', ['a']]);
  });

  it('ORs triggers, ANDs [Match] sections and needs one [TriggerMatch]', () => {
    const v = main({
      'mkosi.conf': '[Output]\nFormat=directory\n',
      'mkosi.conf.d/10.conf': '[Match]\nDistribution=|fedora\nDistribution=|debian\n[Content]\nPackages=t1\n',
      'mkosi.conf.d/20.conf':
        '[TriggerMatch]\nDistribution=fedora\n[TriggerMatch]\nArchitecture=x86-64\n[Content]\nPackages=t2\n',
      'mkosi.conf.d/30.conf': '[Match]\nDistribution=!debian\n[Content]\nPackages=t3\n',
      'mkosi.conf.d/40.conf':
        '[Match]\nDistribution=debian\n[Match]\nArchitecture=arm64\n[Content]\nPackages=t4\n',
    });
    expect(v.p).toEqual(['t1', 't2']);
  });

  it('puts mkosi.local.conf above later files; an empty assignment resets a list', () => {
    const v = main({
      'mkosi.conf': '[Content]\nPackages=a b\n[Output]\nFormat=tar\n',
      'mkosi.local.conf': '[Output]\nFormat=cpio\n[Content]\nPackages=l\n',
      'mkosi.conf.d/10.conf': '[Output]\nFormat=directory\n[Content]\nPackages=\n  c\n',
      'mkosi.conf.d/20.conf': '[Content]\nPackages=\nPackages=z\n',
    });
    expect([v.f, v.p]).toEqual(['cpio', ['z', 'l']]);
  });

  it('expands specifiers, reads Include= at once and profiles after mkosi.conf.d', () => {
    const v = main({
      'mkosi.conf':
        '[Config]\nProfiles=p1\n[Output]\nFormat=directory\nOutput=%d-%r-%a_%%\n[Include]\nInclude=inc.conf\n[Content]\nPackages=main\n',
      'inc.conf': '[Content]\nPackages=inc\n',
      'mkosi.profiles/p1.conf': '[Content]\nPackages=prof-%d\n',
      'mkosi.profiles/p2.conf': '[Content]\nPackages=prof2\n',
      'mkosi.conf.d/10.conf': '[Match]\nProfiles=p1\n[Content]\nPackages=dropin\n',
    });
    expect(v.p).toEqual(['dropin', 'inc', 'main', 'prof-debian']);
    expect(v.res.main.get('Output')).toBe('debian-bookworm-x86-64_%');
    expect(v.res.declaredProfiles).toEqual(['p1', 'p2']);
  });

  it('reads the mkosi/ subfolder; a [Match] in a folder’s mkosi.conf gates the whole folder', () => {
    const v = main({
      'mkosi/mkosi.conf': '[Distribution]\nDistribution=ubuntu\n[Output]\nFormat=directory\n',
      'mkosi/mkosi.conf.d/deb/mkosi.conf': '[Match]\nDistribution=debian\n[Content]\nPackages=deb-only\n',
      'mkosi/mkosi.conf.d/deb/mkosi.conf.d/x.conf': '[Content]\nPackages=deb-nested\n',
      'mkosi/mkosi.conf.d/deb/mkosi.extra/etc/motd': 'no\n',
      'mkosi/mkosi.conf.d/ubu/mkosi.conf': '[Match]\nDistribution=ubuntu\n',
      'mkosi/mkosi.conf.d/ubu/mkosi.conf.d/x.conf': '[Content]\nPackages=ubu-nested\n',
      'mkosi/mkosi.conf.d/ubu/mkosi.extra/etc/motd': 'hi\n',
    });
    expect([v.d, v.r, v.p]).toEqual(['ubuntu', 'devel', ['ubu-nested']]);
    expect(v.res.main.get('ExtraTrees')).toEqual([join(v.res.configDir, 'mkosi.conf.d/ubu/mkosi.extra')]);
  });

  it('gives sub-images the universal settings of the main image', () => {
    const res = resolveTree(
      tree({
        'mkosi.conf':
          '[Distribution]\nDistribution=fedora\nRelease=41\n[Output]\nFormat=directory\n[Content]\nPackages=m\n',
        'mkosi.images/one.conf': '[Content]\nPackages=s\n[Output]\nFormat=cpio\n',
      }),
      { legacy: 'off' },
    );
    const one = res.subImages[0]!;
    expect([
      one.name,
      one.get('Distribution'),
      one.get('Release'),
      one.get('Format'),
      one.get('Packages'),
    ]).toEqual(['one', 'fedora', '41', 'cpio', ['s']]);
    expect(res.main.get('Packages')).toEqual(['m']);
  });

  it('evaluates PathExists (current folder), HostArchitecture and Image', () => {
    const v = main({
      'mkosi.conf': '[Output]\nFormat=directory\n',
      marker: '',
      'mkosi.conf.d/10.conf': '[Match]\nPathExists=marker\n[Content]\nPackages=pe\n',
      'mkosi.conf.d/20.conf': '[Match]\nHostArchitecture=x86-64\nImage=main\n[Content]\nPackages=ha\n',
      'mkosi.conf.d/30.conf': '[Match]\nPathExists=nope\n[Content]\nPackages=no\n',
    });
    expect(v.p).toEqual(['ha', 'pe']);
  });
});

describe('mkosi resolution', () => {
  it('takes distribution, release and architecture defaults from --host', () => {
    const v = main({ 'mkosi.conf': '[Content]\nPackages=a\n' }, { host: parseHost('fedora:41:aarch64') });
    expect([v.d, v.r, v.a, v.f]).toEqual(['fedora', '41', 'arm64', 'disk']);
    const other = main(
      { 'mkosi.conf': '[Distribution]\nDistribution=arch\n' },
      { host: parseHost('fedora:41') },
    );
    expect(other.r).toBe('rolling');
  });

  it('rejects a malformed --host', () => {
    expect(parseHost('debian')).toBeUndefined();
    expect(parseHost('debian:bookworm:sparc')).toBeUndefined();
  });

  it('warns about unknown settings, wrong sections and deprecated names, with positions', () => {
    const v = main({
      'mkosi.conf':
        '[Content]\nPackages=a\nFrobnicate=yes\n[Output]\nHostname=h\n[Build]\nPackageManagerTrees=x\n',
    });
    const found = v.res.diagnostics
      .filter((d) => d.severity === 'warning')
      .map((d) => [d.code, d.line, d.column]);
    expect(found).toEqual([
      ['IMGC4002', 3, 1],
      ['IMGC4003', 5, 1],
      ['IMGC4004', 7, 1],
      ['IMGC4010', 7, 21],
    ]);
    expect(v.res.main.get('Hostname')).toBe('h');
  });

  it('fails on a failed [Assert] and on invalid values mkosi rejects', () => {
    const a = main({ 'mkosi.conf': '[Assert]\nDistribution=fedora\n' });
    expect(a.res.diagnostics.map((d) => d.code)).toContain('IMGC4013');
    const b = main({ 'mkosi.conf': '[Distribution]\nDistribution=pop\n[Content]\nWithDocs=perhaps\n' });
    const errors = b.res.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line]);
    expect(errors).toEqual([
      ['IMGC4008', 2],
      ['IMGC4008', 4],
    ]);
  });

  it('refuses settings a sub-image may not set (a warning when reading tolerantly)', () => {
    const files = {
      'mkosi.conf': '[Output]\nFormat=directory\n',
      'mkosi.images/a.conf': '[Distribution]\nDistribution=fedora\n',
    };
    const strict = resolveTree(tree(files), { legacy: 'off' });
    expect(strict.diagnostics.find((d) => d.code === 'IMGC4014')?.severity).toBe('error');
    const tolerant = resolveTree(tree(files));
    expect(tolerant.diagnostics.find((d) => d.code === 'IMGC4014')?.severity).toBe('warning');
    expect(tolerant.subImages[0]!.get('Distribution')).toBe('debian');
  });

  it('does not expand Include=mkosi-* without mkosi’s resources, and says so', () => {
    const v = main({ 'mkosi.conf': '[Include]\nInclude=mkosi-vm\n' });
    expect(v.res.main.unresolvedIncludes).toEqual(['mkosi-vm']);
    expect(v.res.diagnostics.find((d) => d.code === 'IMGC4018')?.line).toBe(2);
  });

  it('expands $VAR only in paths, from the given environment', () => {
    const root = tree({ 'mkosi.conf': '[Content]\nExtraTrees=$TREES/x\nHostname=$HOST\n', 'trees/x/f': '' });
    const res = resolveTree(root, { legacy: 'off', env: { TREES: 'trees', HOST: 'no' } });
    expect(res.main.get('ExtraTrees')).toEqual([join(root, 'trees/x')]);
    expect(res.main.get('Hostname')).toBe('$HOST');
  });
});

describe('legacy mkosi (v14 and older)', () => {
  const legacy = {
    'mkosi.default':
      '[Distribution]\nDistribution=arch\nArchitecture=x86_64\n[Output]\nFormat=gpt_btrfs\n[Packages]\nPackages=a\n  b\n  !a\n[Partitions]\nRootSize=2G\n[Validation]\nPassword=secret\n',
  };

  it('reads mkosi.default, [Packages], uname architectures, gpt_* formats and !item with warnings', () => {
    const res = resolveTree(tree(legacy));
    const m = res.main;
    expect([
      m.get('Distribution'),
      m.get('Architecture'),
      m.get('Format'),
      m.get('Packages'),
      m.get('RootPassword'),
    ]).toEqual(['arch', 'x86-64', 'disk', ['b'], 'secret']);
    expect(m.legacy.map((l) => [l.name, l.value])).toEqual([
      ['RootFilesystem', 'btrfs'],
      ['RootSize', '2G'],
    ]);
    const codes = new Set(res.diagnostics.map((d) => d.code));
    for (const c of ['IMGC4016', 'IMGC4005', 'IMGC4006', 'IMGC4017']) expect(codes).toContain(c);
    expect(res.legacySignals).toContain('mkosi.default');
  });

  it('says once that the tree is read as mkosi v14, and notes (not warns) settings outside their modern section', () => {
    const res = resolveTree(
      tree({
        'mkosi.conf':
          '[Distribution]\nDistribution=fedora\n[Output]\nFormat=gpt_ext4\nHostname=h\n[Validation]\nAutologin=yes\n',
      }),
    );
    const note = res.diagnostics.filter((d) => d.code === 'IMGC4041');
    expect(note).toHaveLength(1);
    expect(note[0]).toMatchObject({ severity: 'info', line: 4, column: 8 });
    expect(note[0]!.message).toContain('Format=gpt_ext4');
    const placed = res.diagnostics.filter((d) => d.code === 'IMGC4003');
    expect(placed.map((d) => [d.severity, d.line])).toEqual([
      ['info', 5],
      ['info', 7],
    ]);
    expect(res.main.get('Hostname')).toBe('h');
  });

  it('keeps a setting outside its section a warning in a current tree', () => {
    const res = resolveTree(tree({ 'mkosi.conf': '[Output]\nFormat=disk\nHostname=h\n' }));
    expect(res.diagnostics.filter((d) => d.code === 'IMGC4041')).toEqual([]);
    expect(res.diagnostics.find((d) => d.code === 'IMGC4003')?.severity).toBe('warning');
  });

  it('reads the v15–v18 mkosi.presets/ folder as sub-images', () => {
    const root = tree({
      'mkosi.conf': '[Output]\nFormat=disk\n',
      'mkosi.presets/base.conf': '[Content]\nPackages=a\n',
    });
    const res = resolveTree(root);
    expect(res.subImages.map((i) => [i.name, i.get('Packages')])).toEqual([['base', ['a']]]);
    expect(res.diagnostics.find((d) => d.code === 'IMGC4016')?.message).toContain('mkosi.presets/');
    expect(resolveTree(root, { legacy: 'off' }).subImages).toEqual([]);
  });

  it('ignores all of it with legacy handling off, as current mkosi does', () => {
    const res = resolveTree(tree(legacy), { legacy: 'off' });
    expect([res.main.get('Distribution'), res.main.get('Format'), res.main.get('Packages')]).toEqual([
      'debian',
      'disk',
      [],
    ]);
    expect(res.diagnostics.map((d) => d.code)).toContain('IMGC4015');
  });
});

describe('robustness', () => {
  it('stops at a symlink loop in mkosi.conf.d/ with a warning', () => {
    const root = tree({
      'mkosi.conf': '[Content]\nPackages=x\n',
      'mkosi.conf.d/a/mkosi.conf': '[Content]\nPackages=y\n',
    });
    symlinkSync('..', join(root, 'mkosi.conf.d/a/mkosi.conf.d'));
    const res = resolveTree(root, { legacy: 'off' });
    expect(res.main.get('Packages')).toEqual(['x', 'y']);
    expect(res.diagnostics.find((d) => d.code === 'IMGC4025')?.severity).toBe('warning');
  });

  it('never throws on arbitrary mkosi.conf text', async () => {
    const { readMkosi } = await import('../../../../src/formats/mkosi/read/index.js');
    const fc = (await import('fast-check')).default;
    const root = tree({});
    const line = fc.oneof(
      fc.constantFrom(
        '[Match]',
        '[Content]',
        '[Output]',
        '[Distribution]',
        '[TriggerMatch]',
        '[Assert]',
        '[Include]',
      ),
      fc
        .tuple(
          fc.constantFrom(
            'Distribution',
            'Release',
            'Format',
            'Packages',
            'Profiles',
            'Include',
            'ExtraTrees',
            'Bogus',
          ),
          fc.string({ maxLength: 12 }),
        )
        .map(([k, v]) => `${k}=${v}`),
      fc.string({ maxLength: 20 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), async (lines) => {
        writeFileSync(join(root, 'mkosi.conf'), lines.join('\n'));
        const r = await readMkosi(root, {});
        expect(r.diagnostics.some((d) => d.code === 'IMGC1009')).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
