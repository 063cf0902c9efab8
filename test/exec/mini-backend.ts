/**
 * A backend for executor tests that need a tree in seconds: its bootstrap makes a root with
 * the host's dash (and the libraries it links) as /bin/sh, so chroot scripts really run in it.
 * Everything else the executor does (scripts, outputs, disks, failures) is the real thing.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Backend } from '../../src/backends/contract.js';
import { BackendRegistry } from '../../src/backends/registry.js';
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR } from '../../src/ir/schema.js';

function copyIn(tree: string, hostPath: string, as = hostPath) {
  mkdirSync(join(tree, dirname(as)), { recursive: true });
  copyFileSync(realpathSync(hostPath), join(tree, as));
}

export function makeMiniRoot(tree: string): void {
  for (const d of ['proc', 'sys', 'dev', 'tmp', 'etc', 'root', 'var/lib'])
    mkdirSync(join(tree, d), { recursive: true });
  copyIn(tree, '/bin/dash', '/bin/sh');
  const libs = execFileSync('ldd', ['/bin/dash'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /(\/\S+) \(0x/.exec(l)?.[1])
    .filter((p): p is string => Boolean(p));
  for (const lib of libs) copyIn(tree, lib);
  writeFileSync(join(tree, 'etc/os-release'), 'ID=minios\nVERSION_ID=1\nPRETTY_NAME="mini"\n');
}

export const miniBackend: Backend = {
  apiVersion: 1,
  id: 'mini',
  name: 'mini test backend',
  distributions: ['minios'],
  releases: () => ['1'],
  resolveDistribution: () => ({
    distribution: { id: 'minios', release: '1', suite: 'one', architecture: 'amd64', versionId: '1' },
    diagnostics: [],
  }),
  defaultRepositories: () => ({ repositories: [], diagnostics: [] }),
  kernelPackages: () => [],
  initrdPackages: () => [],
  bootloaderPackages: () => [],
  systemPackages: () => [],
  planPackages: (input) => ({
    bootstrap: {
      type: 'bootstrap',
      title: 'mini root from the host dash',
      options: {
        distribution: 'minios',
        suite: 'one',
        architecture: 'amd64',
        variant: 'mini',
        sources: '',
        keyrings: [],
        packages: input.packages,
        exclude: [],
        installRecommends: false,
        installDocs: false,
        languages: [],
      },
      origin: ['/packages'],
    },
    diagnostics: [],
  }),
  planRemove: (packages, origin) => ({
    type: 'remove-packages',
    title: 'remove',
    options: { packages },
    origin,
  }),
  repositoryTypes: ['apt', 'apt-deb822'],
  packageSpec: (p) => p.name,
  unappliedFields: () => [],
  hostTools: {},
  executes: ['bootstrap', 'configure-system', 'finalize'],
  async execute(step, context) {
    if (step.type === 'bootstrap') makeMiniRoot(context.tree);
    else if (step.type === 'configure-system') {
      const hostname = (step.options as { hostname?: string }).hostname;
      if (hostname) writeFileSync(join(context.tree, 'etc/hostname'), `${hostname}\n`);
    }
  },
};

export const miniBackends = () => new BackendRegistry([miniBackend]);

export function miniIr(): ImageIR {
  const ir = emptyIr();
  ir.distribution = { id: 'minios', release: '1' };
  ir.metadata = { name: 'mini' };
  ir.system.hostname = 'mini';
  return ir;
}
