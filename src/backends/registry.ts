/** The backends imgc knows. Plugins will add theirs through the same list. */
import { readdirSync, readFileSync } from 'node:fs';
import { arch } from 'node:os';
import { lookupTable } from '../lib/lookup-table.js';
import { archBackend } from './arch/index.js';
import type { Backend, HostFacts } from './contract.js';
import { debianBackend } from './debian/index.js';
import { fedoraBackend } from './fedora/index.js';
import { suseBackend } from './suse/index.js';

export class BackendRegistry {
  private readonly backends: Backend[] = [];
  constructor(initial: readonly Backend[] = [debianBackend, fedoraBackend, suseBackend, archBackend]) {
    for (const b of initial) this.add(b);
  }
  add(backend: Backend): void {
    if (backend.apiVersion !== 1)
      throw new Error(`backend ${backend.id} speaks API ${backend.apiVersion}, imgc speaks 1`);
    this.backends.push(backend);
  }
  forDistribution(id: string): Backend | undefined {
    return this.backends.find((b) => b.distributions.includes(id));
  }
  get(id: string): Backend | undefined {
    return this.backends.find((b) => b.id === id);
  }
  list(): readonly Backend[] {
    return this.backends;
  }
}

const unameArch: Record<string, string> = lookupTable({
  x64: 'x86_64',
  arm64: 'aarch64',
  ia32: 'i686',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
});

/** The machine imgc runs on. */
export function localHost(): HostFacts {
  return {
    architecture: unameArch[arch()] ?? arch(),
    readText: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    listDir: (path) => {
      try {
        return readdirSync(path);
      } catch {
        return [];
      }
    },
  };
}
