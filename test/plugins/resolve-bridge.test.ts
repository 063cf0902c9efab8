/**
 * `resolvePackages` over the plugin protocol: a backend served by the SDK answers through the
 * bridge as it answers in process, and one without the method gets IMGC7052 naming it, as a
 * built-in backend without it does; `lockPackages` alike, with IMGC7732.
 */
import { describe, expect, it } from 'vitest';
import { archBackend } from '../../src/backends/arch/index.js';
import type { Backend, PackageRequest } from '../../src/backends/contract.js';
import { inProcessBackend } from '../../src/plugins/sdk.js';

const request: PackageRequest = {
  distribution: 'arch',
  variant: 'pacman',
  sources: '[core]\nServer = https://mirror.example/core',
  packages: ['vim'],
  exclude: ['nano'],
};

describe('resolvePackages through the plugin bridge', () => {
  it('carries the request and the answer', async () => {
    const seen: { request: PackageRequest; cacheDir: string }[] = [];
    const backend: Backend = {
      ...archBackend,
      resolvePackages: async (r, context) => {
        seen.push({ request: r, cacheDir: context.cacheDir });
        return {
          tool: 'pacman',
          requested: r.packages,
          packages: [{ name: 'vim', version: '9.1-1', from: 'extra' }],
          diagnostics: [],
        };
      },
    };
    const bridged = inProcessBackend(backend);
    try {
      const answer = await bridged.resolvePackages(request, { cacheDir: '/var/cache/x' });
      expect(answer).toEqual({
        tool: 'pacman',
        requested: ['vim'],
        packages: [{ name: 'vim', version: '9.1-1', from: 'extra' }],
        diagnostics: [],
      });
      expect(seen).toEqual([{ request, cacheDir: '/var/cache/x' }]);
    } finally {
      await bridged.close();
    }
  });

  it('answers IMGC7052 for a plugin that does not offer it', async () => {
    const bridged = inProcessBackend({ ...archBackend, resolvePackages: undefined });
    try {
      const answer = await bridged.resolvePackages(request, { cacheDir: '/tmp/x' });
      expect(answer.packages).toEqual([]);
      expect(answer.diagnostics.map((d) => d.code)).toEqual(['IMGC7052']);
      expect(answer.diagnostics[0]!.message).toContain('the arch backend cannot resolve packages');
    } finally {
      await bridged.close();
    }
  });
});

describe('lockPackages through the plugin bridge', () => {
  const locked = {
    name: 'vim',
    version: '9.1-1',
    architecture: 'x86_64',
    repository: 'extra',
    url: 'https://mirror.example/extra/vim-9.1-1-x86_64.pkg.tar.zst',
    sha256: 'a'.repeat(64),
    size: 1234,
  };

  it('carries the request and the answer', async () => {
    const seen: string[] = [];
    const bridged = inProcessBackend({
      ...archBackend,
      lockPackages: async (r, context) => {
        seen.push(`${r.packages.join(',')} ${context.cacheDir}`);
        return {
          tool: 'pacman',
          packages: [locked],
          repositories: [{ url: 'extra', kind: 'db-mtime', timestamp: '2026-01-01T00:00:00.000Z' }],
          diagnostics: [],
        };
      },
    });
    try {
      const answer = await bridged.lockPackages!(request, { cacheDir: '/var/cache/x' });
      expect(answer.packages).toEqual([locked]);
      expect(answer.repositories).toEqual([
        { url: 'extra', kind: 'db-mtime', timestamp: '2026-01-01T00:00:00.000Z' },
      ]);
      expect(seen).toEqual(['vim /var/cache/x']);
    } finally {
      await bridged.close();
    }
  });

  it('answers IMGC7732 for a plugin that does not offer it', async () => {
    const bridged = inProcessBackend({ ...archBackend, lockPackages: undefined });
    try {
      const answer = await bridged.lockPackages!(request, { cacheDir: '/tmp/x' });
      expect(answer.packages).toEqual([]);
      expect(answer.diagnostics.map((d) => d.code)).toEqual(['IMGC7732']);
      expect(answer.diagnostics[0]!.message).toContain('the arch backend cannot lock packages');
    } finally {
      await bridged.close();
    }
  });
});
