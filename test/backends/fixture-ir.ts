/** The small definition every family's real build uses: packages with a dependency chain, system fields, accounts. */
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR, Repository } from '../../src/ir/schema.js';

export function fixtureIr(distribution: ImageIR['distribution'], repository: Repository): ImageIR {
  const ir = emptyIr();
  ir.metadata = { name: `imgc-${distribution.id}-test` };
  ir.distribution = distribution;
  ir.repositories = [repository];
  ir.packages.install = ['imgc-base', 'imgc-hello', 'imgc-daemon', 'imgc-extra'].map((name) => ({ name }));
  ir.packages.remove = [{ name: 'imgc-extra' }];
  ir.system.hostname = 'box.example.org';
  ir.system.locale = 'de_DE.UTF-8';
  ir.system.keymap = 'de-latin1';
  ir.system.timezone = 'Europe/Berlin';
  ir.system.kernel.cmdline = ['console=ttyS0'];
  ir.system.services.enable = ['imgc-daemon.service'];
  ir.accounts.groups = [{ name: 'devs', gid: 2000 }];
  ir.accounts.users = [
    {
      name: 'alice',
      uid: 1500,
      groups: ['wheel', 'devs'],
      shell: '/bin/bash',
      sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixture alice@example.org'],
      password: { plain: 'correct horse' },
    },
  ];
  ir.accounts.root = { password: { hash: '$6$fixture$0123456789abcdefghijklmnopqrstuv' }, sshKeys: [] };
  ir.files = [{ path: '/etc/motd', content: 'built by imgc\n', mode: '0644' }];
  // the tree has no shell of its own (fixture packages), so the script runs on the host
  ir.scripts = [
    { phase: 'post-install', chroot: false, body: 'echo "$IMGC_PHASE" > "$IMGC_ROOT/etc/imgc-phase"\n' },
  ];
  // cliBuild creates overlay/etc/imgc-overlay.txt next to the definition
  ir.overlays = [{ source: 'overlay' }];
  ir.outputs = [{ type: 'directory' }];
  return ir;
}
