/**
 * The same IR configures the same system in every family: each backend plans the
 * configuration steps of one definition and runs them (its own `execute`) on a tree this test
 * makes. The host's --root tools (useradd, chpasswd, systemctl) run for real; the image's
 * tools (locale-gen, the CA store rebuild) are recorded, since the tree has no binaries.
 * Every file that differs between families must be one the family's layout declares.
 */
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archBackend, archLayout } from '../../../src/backends/arch/index.js';
import type { RootLayout } from '../../../src/backends/common/configure.js';
import type { Backend, StepContext } from '../../../src/backends/contract.js';
import { debianBackend, debianLayout } from '../../../src/backends/debian/index.js';
import { fedoraBackend, fedoraLayout } from '../../../src/backends/fedora/index.js';
import { BackendRegistry } from '../../../src/backends/registry.js';
import { suseBackend, suseLayout } from '../../../src/backends/suse/index.js';
import { ProcessRunner } from '../../../src/exec/runner.js';
import { emptyIr } from '../../../src/ir/empty.js';
import type { ImageIR, Repository } from '../../../src/ir/schema.js';
import { planBuild } from '../../../src/plan/planner.js';
import type { PlanStep } from '../../../src/plan/steps.js';
import { fakeHost } from '../../plan/fake-host.js';

const families: Array<{ id: string; backend: Backend; layout: RootLayout; repository: Repository }> = [
  {
    id: 'debian',
    backend: debianBackend,
    layout: debianLayout,
    repository: {
      id: 'r',
      type: 'apt-deb822',
      urls: ['file:///srv/r'],
      suites: ['bookworm'],
      components: ['main'],
    },
  },
  {
    id: 'fedora',
    backend: fedoraBackend,
    layout: fedoraLayout,
    repository: { id: 'r', type: 'rpm-md', urls: ['file:///srv/r'] },
  },
  {
    id: 'opensuse',
    backend: suseBackend,
    layout: suseLayout,
    repository: { id: 'r', type: 'rpm-md', urls: ['file:///srv/r'] },
  },
  {
    id: 'arch',
    backend: archBackend,
    layout: archLayout,
    repository: { id: 'r', type: 'pacman', urls: ['file:///srv/r'] },
  },
];
const releases: Record<string, string> = {
  debian: 'bookworm',
  fedora: '41',
  opensuse: 'tumbleweed',
  arch: 'rolling',
};

function definition(id: string, repository: Repository): ImageIR {
  const ir = emptyIr();
  ir.distribution = { id, release: releases[id]! };
  ir.repositories = [repository];
  ir.system.hostname = 'box.example.org';
  ir.system.locale = 'de_DE.UTF-8';
  ir.system.keymap = 'de-latin1';
  ir.system.timezone = 'Europe/Berlin';
  ir.system.utc = false;
  ir.system.kernel.cmdline = ['console=ttyS0'];
  ir.system.rootShell = '/bin/bash';
  ir.system.ntpServers = ['ntp.example.org'];
  ir.system.caCertificates = ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'];
  ir.system.services.enable = ['imgc-daemon.service'];
  ir.accounts.groups = [{ name: 'devs', gid: 2000 }, { name: 'bob' }];
  ir.accounts.users = [
    {
      name: 'alice',
      uid: 1500,
      groups: ['wheel', 'devs'],
      sshKeys: ['ssh-ed25519 AAAA alice'],
      password: { plain: 'pw' },
    },
    { name: 'bob', groups: [], sshKeys: [] },
  ];
  ir.accounts.root = { password: { hash: '$6$fixture$abc' }, sshKeys: [] };
  return ir;
}

/** A tree with what the configuration looks for: placeholder tools, a time zone, a unit file. */
function makeTree(layout: RootLayout): string {
  const tree = join(mkdtempSync(join(tmpdir(), 'imgc-configure-')), 'tree');
  const file = (path: string, content = '', mode = 0o644) => {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), content);
    chmodSync(join(tree, path), mode);
  };
  file('bin/bash', '', 0o755);
  for (const tool of ['systemctl', 'locale-gen', layout.caUpdate[0]!]) file(`usr/bin/${tool}`, '', 0o755);
  file('usr/share/zoneinfo/Europe/Berlin', 'TZif');
  file(
    'usr/lib/systemd/system/imgc-daemon.service',
    '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
  );
  return tree;
}

function snapshot(tree: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(tree, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      const info = lstatSync(join(tree, path));
      if (info.isDirectory()) walk(path);
      else if (info.isSymbolicLink()) out[path] = `-> ${readlinkSync(join(tree, path))}`;
      else if (!path.startsWith('usr/')) {
        const text = readFileSync(join(tree, path), 'utf8');
        // chpasswd salts every hash anew; what counts is the method
        out[path] = text.replace(/\$6\$(?!fixture)[^:]+/g, '$6$<salted>');
      }
    }
  };
  walk('');
  return out;
}

async function configure(family: (typeof families)[number]) {
  const plan = await planBuild({
    ir: definition(family.id, family.repository),
    backends: new BackendRegistry([family.backend]),
    host: fakeHost(),
    sourceDir: '/',
  });
  expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const steps = plan.plan!.steps.filter((s) => s.type.startsWith('configure-'));
  const tree = makeTree(family.layout);
  const chrooted: string[][] = [];
  const real = new ProcessRunner({ signal: new AbortController().signal });
  const context: StepContext = {
    tree,
    workDir: join(tree, '..', 'work'),
    packageCache: join(tree, '..', 'cache'),
    signal: new AbortController().signal,
    runner: {
      run: (command, args, options) => real.run(command, args, options),
      chroot: async (_root, command) => {
        chrooted.push([...command]);
        return { stdout: '' };
      },
    },
    progress: { log: () => {}, packages: () => {}, note: () => {} },
    report: () => {},
  };
  for (const step of steps) await family.backend.execute(step, context);
  return { steps, files: snapshot(tree), chrooted };
}

const withoutIds = (steps: PlanStep[]) => steps.map(({ type, options }) => ({ type, options }));

describe.skipIf(process.getuid?.() !== 0)('the same IR configures the same system in every family', () => {
  it('plans the same configuration steps and writes the same files, but for what the layout declares', async () => {
    const results: Array<{ family: (typeof families)[number] } & Awaited<ReturnType<typeof configure>>> = [];
    for (const family of families) results.push({ family, ...(await configure(family)) });
    const [debian, ...others] = results;
    const familyOwn = (r: (typeof results)[number]) => {
      const own = new Set(Object.keys(r.family.layout.familyFiles?.(r.steps[0]!.options as never) ?? {}));
      for (const path of Object.keys(r.files))
        if (path.startsWith(`${r.family.layout.caAnchors}/`)) own.add(path);
      if (r.family.layout.localeGen) own.add('etc/locale.gen');
      return own;
    };
    const shared = (r: (typeof results)[number]) => {
      const own = familyOwn(r);
      return Object.fromEntries(Object.entries(r.files).filter(([path]) => !own.has(path)));
    };
    const expected = shared(debian!);
    expect(expected['etc/hosts']).toContain('127.0.1.1\tbox.example.org box\n');
    expect(expected['etc/localtime']).toBe('-> ../usr/share/zoneinfo/Europe/Berlin');
    expect(expected['etc/passwd']).toMatch(/^alice:x:1500:\d+::\/home\/alice:\/bin\/bash$/m);
    expect(expected['etc/passwd']).toMatch(/^bob:x:\d+:\d+::\/home\/bob:\/bin\/bash$/m);
    expect(expected['etc/passwd']).toMatch(/^root:x:0:0:root:\/root:\/bin\/bash$/m);
    expect(expected['etc/shadow']).toMatch(/^alice:\$6\$<salted>:/m);
    expect(expected['etc/systemd/system/multi-user.target.wants/imgc-daemon.service']).toBeDefined();
    expect(debian!.files['etc/default/locale']).toBe('LANG=de_DE.UTF-8\n');
    for (const r of others) {
      expect(withoutIds(r.steps), r.family.id).toEqual(withoutIds(debian!.steps));
      expect(shared(r), r.family.id).toEqual(expected);
      expect(r.chrooted.slice(-1), r.family.id).toEqual([r.family.layout.caUpdate]);
    }
  });
});
