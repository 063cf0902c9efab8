import { describe, expect, it } from 'vitest';
import { normalizeIr } from '../../../../src/ir/normalize.js';
import { codes, errors, readText } from './helpers.js';

describe('kickstart lowering: %packages', () => {
  it('follows pykickstart line semantics: include/exclude last wins, groups once, environment last', () => {
    const r = readText(
      [
        '%packages --excludedocs --nocore --inst-langs=en:de --exclude-weakdeps --multilib --ignoremissing',
        '@^server-product-environment',
        '@^workstation-product-environment',
        '@core',
        '@core --optional',
        '@development --nodefaults',
        '@nodejs:18/common',
        'vim   # an editor',
        '-vim',
        '-nano',
        'nano',
        'kernel-*',
        '-@development',
        '-@^notchosen',
        '%end',
      ].join('\n'),
    );
    expect(errors(r)).toEqual([]);
    const pk = r.ir!.packages;
    expect(pk.install.map((p) => p.name)).toEqual(['nano', 'kernel-*']);
    expect(pk.exclude.map((p) => p.name)).toEqual(['vim']);
    expect(pk.groups).toEqual([
      { name: 'workstation-product-environment', kind: 'environment' },
      { name: 'core' },
      { name: 'development', exclude: true },
      { name: '^notchosen', exclude: true },
    ]);
    expect(pk.modules).toEqual([{ name: 'nodejs', stream: '18', profile: 'common', state: 'installed' }]);
    expect(pk.installDocs).toBe(false);
    expect(pk.core).toBe(false);
    expect(pk.installWeakDeps).toBe(false);
    expect(pk.multilib).toBe(true);
    expect(pk.languages).toEqual(['en', 'de']);
    expect(r.ir!.extensions.kickstart).toMatchObject({ options: { '/packages': ['--ignoremissing'] } });
    expect(r.positions['/packages/install/0']).toMatchObject({ line: 11, column: 1 });
  });

  it('clears the environment with a matching -@^env and maps --inst-langs= to none', () => {
    const r = readText('%packages --inst-langs=\n@^minimal-environment\n-@^minimal-environment\n%end\n');
    expect(r.ir!.packages.groups).toEqual([]);
    expect(r.ir!.packages.languages).toEqual(['none']);
  });

  it('rejects a group with both --nodefaults and --optional', () => {
    expect(codes(readText('%packages\n@x --nodefaults --optional\n%end\n'))).toEqual(['IMGC5021']);
  });

  it('warns that %packages is ignored next to an image payload', () => {
    const r = readText(
      'ostreesetup --osname=fedora --remote=f --url=https://x/repo --ref=fedora/x86_64\n%packages\nvim\n%end\n',
    );
    expect(codes(r)).toEqual(['IMGC5022']);
    expect(r.ir!.outputs).toMatchObject([
      { type: 'ostree-disk', ostree: { osName: 'fedora', ref: 'fedora/x86_64' } },
    ]);
  });
});

describe('kickstart lowering: system, accounts, repositories', () => {
  const ks = [
    'url --mirrorlist="https://mirrors.example/?repo=fedora-$releasever&arch=$basearch"',
    'repo --name=updates --baseurl=https://example/updates --cost=10 --excludepkgs=foo,bar --install',
    'repo --name=extras --metalink=https://example/metalink --noverifyssl',
    'lang en_US.UTF-8 --addsupport=de_DE.UTF-8',
    'keyboard --vckeymap=de --xlayouts=de',
    'timezone Europe/Berlin --utc',
    'timesource --ntp-server=ntp.example',
    'network --bootproto=dhcp --device=link --activate',
    'network --hostname=box.example',
    'firewall --enabled --service=mdns --ssh --port=8080:tcp',
    'selinux --permissive',
    'services --enabled=sshd,chronyd',
    'services --disabled=kdump',
    'bootloader --append="console=ttyS0  quiet" --timeout=3 --location=mbr',
    'rootpw --iscrypted $6$abc',
    'group --name=wheel2 --gid=2000',
    'user --name=alice --groups=wheel,wheel2 --uid=1001 --password=secret --plaintext --gecos="Alice A"',
    'sshkey --username=alice "ssh-ed25519 AAAA alice@host"',
    'sshkey --username=root "ssh-ed25519 BBBB root@host"',
    'text',
    'reboot',
  ].join('\n');

  it('lowers what the IR can hold and keeps the rest as extension data', () => {
    const r = readText(ks);
    expect(errors(r)).toEqual([]);
    const ir = normalizeIr(r.ir!);
    expect(ir.repositories).toEqual([
      { id: 'url', urls: [], mirrorlist: 'https://mirrors.example/?repo=fedora-$releasever&arch=$basearch' },
      {
        id: 'updates',
        urls: ['https://example/updates'],
        cost: 10,
        excludePackages: ['foo', 'bar'],
        usage: 'build-and-image',
      },
      { id: 'extras', urls: [], metalink: 'https://example/metalink', sslVerify: false, usage: 'build-only' },
    ]);
    expect(ir.system).toMatchObject({
      hostname: 'box.example',
      locale: 'en_US.UTF-8',
      extraLocales: ['de_DE.UTF-8'],
      keymap: 'de',
      timezone: 'Europe/Berlin',
      utc: true,
      ntpServers: ['ntp.example'],
      selinux: 'permissive',
      firewall: { enabled: true, ports: ['8080/tcp'], services: { enable: ['mdns', 'ssh'], disable: [] } },
      services: { enable: ['sshd', 'chronyd'], disable: ['kdump'] },
      kernel: { cmdline: ['console=ttyS0', 'quiet'] },
    });
    expect(ir.boot).toEqual({ timeout: 3, bootloader: 'grub' });
    expect(ir.accounts.root).toEqual({
      password: { hash: '$6$abc' },
      sshKeys: ['ssh-ed25519 BBBB root@host'],
    });
    expect(ir.accounts.users).toEqual([
      {
        name: 'alice',
        groups: ['wheel', 'wheel2'],
        uid: 1001,
        description: 'Alice A',
        password: { plain: 'secret' },
        sshKeys: ['ssh-ed25519 AAAA alice@host'],
      },
    ]);
    expect(ir.accounts.groups).toEqual([{ name: 'wheel2', gid: 2000 }]);
    expect(ir.extensions.kickstart).toMatchObject({
      installSource: 'url',
      commands: [
        { name: 'text', args: [] },
        { name: 'reboot', args: [] },
        { name: 'network', args: ['--bootproto=dhcp', '--device=link', '--activate'] },
      ],
      options: { '/system/keymap': ['--xlayouts=de'], '/boot': ['--location=mbr'] },
    });
    expect(r.positions['/system/hostname']).toMatchObject({ line: 9, column: 9 });
  });

  it('merges a repeated single command as pykickstart does (values stay, flags reset)', () => {
    const r = readText(
      'services --disabled=a\nservices --enabled=b\nbootloader --append=x --timeout=1\nbootloader --location=none\n',
    );
    expect(r.ir!.system.services).toMatchObject({ enable: ['b'], disable: ['a'] });
    expect(r.ir!.system.kernel.cmdline).toEqual(['x']);
    expect(r.ir!.boot).toEqual({ timeout: 1 });
    const grub = readText('bootloader --append=x\n').ir!.boot;
    expect(grub).toEqual({ bootloader: 'grub' });
  });

  it('treats names that share one pykickstart command as one (the last wins)', () => {
    const r = readText('text\nshutdown\ngraphical\nreboot --eject\n');
    expect(r.ir!.extensions.kickstart).toMatchObject({
      commands: [
        { name: 'graphical', args: [] },
        { name: 'reboot', args: ['--eject'] },
      ],
    });
    expect((r.ir!.extensions.kickstart as { commands: unknown[] }).commands).toHaveLength(2);
  });

  it('drops a command whose in-command checks fail, with a positioned error', () => {
    const r = readText(
      'url --url=http://a --mirrorlist=http://b\nrootpw\nservices\nostreesetup --osname=x --url=ftp://x --ref=r\n',
    );
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['IMGC5012', 1],
      ['IMGC5010', 2],
      ['IMGC5010', 3],
      ['IMGC5012', 4],
    ]);
    expect(r.ir!.repositories).toEqual([]);
  });

  it('reports unknown and case-mismatched commands', () => {
    const r = readText('LANG en_US\nfrobnicate\n');
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['IMGC5003', 1],
      ['IMGC5003', 2],
    ]);
    expect(r.diagnostics[0]!.hint).toMatch(/case-sensitive/);
  });
});

describe('kickstart lowering: storage and scripts', () => {
  it('lowers part, volgroup, logvol, raid and clearpart; sizes in bytes', () => {
    const r = readText(
      [
        'zerombr',
        'clearpart --all --initlabel --disklabel=gpt',
        'part /boot/efi --fstype=efi --size=600',
        'part biosboot --fstype=biosboot --size=1',
        'part pv.01 --size=1 --grow',
        'part raid.01 --size=100',
        'part raid.02 --size=100',
        'part swap --size=512',
        'volgroup vg0 pv.01 --pesize=4096',
        'logvol / --vgname=vg0 --name=root --fstype=xfs --size=4096 --maxsize=8192 --grow',
        'logvol swap --vgname=vg0 --name=swap --size=512',
        'raid /data --device=md0 --level=1 --fstype=ext4 raid.01 raid.02',
      ].join('\n'),
    );
    expect(errors(r)).toEqual([]);
    const st = r.ir!.storage!;
    expect(st.mode).toBe('explicit');
    expect(st.partitionTable).toBe('gpt');
    expect(st.clear).toEqual({ zeroMbr: true, scope: 'all', initLabel: true });
    expect(
      st.partitions.map((p) => [p.role, p.mountpoint, p.filesystem, p.size?.min, p.volumeGroup, p.raid]),
    ).toEqual([
      ['esp', '/boot/efi', 'vfat', 600 * 1048576, undefined, undefined],
      ['bios-boot', undefined, 'biosboot', 1048576, undefined, undefined],
      ['lvm', undefined, undefined, 1048576, 'vg0', undefined],
      ['raid', undefined, undefined, 100 * 1048576, undefined, 'md0'],
      ['raid', undefined, undefined, 100 * 1048576, undefined, 'md0'],
      ['swap', undefined, 'swap', 512 * 1048576, undefined, undefined],
    ]);
    expect(st.volumeGroups).toEqual([
      {
        name: 'vg0',
        physicalVolumes: ['pv.01'],
        extentSize: 4096 * 1024,
        logicalVolumes: [
          {
            name: 'root',
            mountpoint: '/',
            filesystem: 'xfs',
            size: { min: 4096 * 1048576, max: 8192 * 1048576 },
            grow: true,
          },
          { name: 'swap', filesystem: 'swap', size: { min: 512 * 1048576 } },
        ],
      },
    ]);
    expect(st.raid).toEqual([
      {
        name: 'md0',
        level: 'raid1',
        members: ['raid.01', 'raid.02'],
        mountpoint: '/data',
        filesystem: 'ext4',
      },
    ]);
    expect(r.ir!.extensions.kickstart).toMatchObject({
      refs: { '/storage/partitions/2': 'pv.01', '/storage/partitions/1': 'biosboot' },
    });
  });

  it('keeps the last definition of a mount point, with a warning at it (the spin override idiom)', () => {
    const r = readText('part / --size=100\npart swap --size=1\npart / --size=200\npart swap --size=2\n');
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([['IMGC5023', 'warning', 3]]);
    expect(r.ir!.storage!.partitions.map((p) => [p.role, p.size?.min])).toEqual([
      ['swap', 1048576],
      ['root', 200 * 1048576],
      ['swap', 2 * 1048576],
    ]);
  });

  it('reports a non-numeric size', () => {
    expect(readText('part / --size=big\n').diagnostics).toMatchObject([
      { code: 'IMGC5012', line: 1, column: 8 },
    ]);
  });

  it('lowers scripts with phase, chroot flag, interpreter, log and on-error', () => {
    const r = readText(
      [
        '%pre --interpreter=/usr/bin/python3 --log=/tmp/pre.log',
        'print(1)',
        '%end',
        '%pre-install',
        'echo pre-install',
        '%end',
        '%post --nochroot --erroronfail',
        'cp /etc/resolv.conf $INSTALL_ROOT/etc/',
        '',
        '%end',
        '%post',
        '   ',
        '%end',
        '%onerror',
        'echo failed',
        '%end',
      ].join('\n'),
    );
    expect(errors(r)).toEqual([]);
    expect(r.ir!.scripts).toEqual([
      {
        phase: 'pre-install',
        chroot: false,
        interpreter: '/usr/bin/python3',
        body: 'print(1)',
        log: '/tmp/pre.log',
      },
      { phase: 'pre-packages', chroot: false, body: 'echo pre-install' },
      {
        phase: 'post-install',
        chroot: false,
        body: 'cp /etc/resolv.conf $INSTALL_ROOT/etc/\n',
        onError: 'fail',
      },
      { phase: 'on-error', chroot: false, body: 'echo failed' },
    ]);
  });

  it('keeps %addon, %anaconda and %certificate sections verbatim', () => {
    const r = readText(
      '%addon com_redhat_kdump --enable --reserve-mb=auto\n%end\n%anaconda\npwpolicy root --minlen=6\n%end\n',
    );
    expect(r.ir!.extensions.kickstart).toMatchObject({
      sections: [
        { name: '%addon', args: ['com_redhat_kdump', '--enable', '--reserve-mb=auto'], body: '' },
        { name: '%anaconda', args: [], body: 'pwpolicy root --minlen=6' },
      ],
    });
  });
});

describe('kickstart lowering: btrfs', () => {
  it('puts a one-partition btrfs volume and its subvolumes on that partition', () => {
    const r = readText(
      [
        'part btrfs.007 --fstype=btrfs --size=2000 --grow',
        'btrfs none --label=fedora btrfs.007',
        'btrfs / --subvol --name=root LABEL=fedora',
        'btrfs /home --subvol --name=home fedora',
        'btrfs /data --data=raid1 btrfs.1 btrfs.2',
      ].join('\n'),
      'F43',
    );
    expect(errors(r)).toEqual([]);
    expect(r.ir!.storage!.partitions).toEqual([
      {
        role: 'root',
        filesystem: 'btrfs',
        fsLabel: 'fedora',
        size: { min: 2000 * 1048576 },
        grow: true,
        subvolumes: [
          { name: 'root', mountpoint: '/' },
          { name: 'home', mountpoint: '/home' },
        ],
      },
    ]);
    expect(r.ir!.extensions.kickstart).toMatchObject({
      refs: { '/storage/partitions/0': 'btrfs.007', '/storage/partitions/0/subvolumes/1': 'fedora' },
      commands: [{ name: 'btrfs', args: ['--data=raid1', '/data', 'btrfs.1', 'btrfs.2'] }],
    });
  });
});
