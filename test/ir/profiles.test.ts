import { describe, expect, it } from 'vitest';
import { emptyIr } from '../../src/ir/empty.js';
import { mergeProfiles, resolveActiveProfiles } from '../../src/ir/profiles.js';

function withProfiles() {
  const ir = emptyIr();
  ir.packages.install.push({ name: 'base' });
  ir.system.hostname = 'base';
  ir.profiles = [
    {
      name: 'desktop',
      requires: ['x11'],
      overlay: {
        packages: {
          install: [{ name: 'gnome' }],
          exclude: [],
          groups: [],
          modules: [],
          remove: [],
          bootstrap: [],
          build: [],
        },
      },
    },
    {
      name: 'x11',
      overlay: {
        system: {
          hostname: 'x',
          services: { enable: ['gdm'], disable: [], mask: [] },
          kernel: { cmdline: [] },
        },
      },
    },
    { name: 'unused', overlay: { outputs: [{ type: 'iso' }] } },
  ];
  ir.activeProfiles = ['desktop'];
  return ir;
}

describe('profiles', () => {
  it('activates required profiles first, each once', () => {
    expect(resolveActiveProfiles(withProfiles()).map((p) => p.name)).toEqual(['x11', 'desktop']);
  });

  it('merges active overlays: lists append, scalars replace, inactive ones are ignored', () => {
    const merged = mergeProfiles(withProfiles());
    expect(merged.packages.install.map((p) => p.name)).toEqual(['base', 'gnome']);
    expect(merged.system.hostname).toBe('x');
    expect(merged.system.services.enable).toEqual(['gdm']);
    expect(merged.outputs).toEqual([]);
    expect(merged.profiles).toEqual([]);
  });

  it('is idempotent', () => {
    const once = mergeProfiles(withProfiles());
    expect(mergeProfiles(once)).toEqual(once);
  });
});
