import { describe, expect, it } from 'vitest';
import { emptyIr } from '../../src/ir/empty.js';
import { normalizeIr } from '../../src/ir/normalize.js';
import { validateIr } from '../../src/ir/validate.js';

describe('validateIr', () => {
  it('accepts the empty IR', () => {
    expect(validateIr(emptyIr())).toEqual([]);
  });

  it('keeps the stable paths other tools read', () => {
    const ir = emptyIr();
    ir.distribution = { id: 'debian', release: 'bookworm', architecture: 'x86_64' };
    ir.packages.install.push({ name: 'vim' });
    ir.packages.exclude.push({ name: 'nano' });
    ir.packages.groups.push({ name: 'core' });
    ir.repositories.push({ id: 'main', urls: ['http://example.org/debian'] });
    ir.system.hostname = 'h';
    ir.system.locale = 'C.UTF-8';
    ir.system.keymap = 'us';
    ir.system.timezone = 'UTC';
    ir.system.services.enable.push('ssh.service');
    ir.system.kernel.cmdline.push('quiet');
    ir.accounts.users.push({ name: 'u', groups: [], sshKeys: [] });
    ir.outputs.push({ type: 'disk' });
    expect(validateIr(ir)).toEqual([]);
  });

  it('points at the offending value', () => {
    const ir = emptyIr() as unknown as Record<string, any>;
    ir.outputs = [{ type: 'floppy' }];
    ir.system.hostname = 42;
    const pointers = validateIr(ir).map((e) => e.pointer);
    expect(pointers).toContain('/outputs/0/type');
    expect(pointers).toContain('/system/hostname');
  });

  it('rejects unknown fields so typos in readers cannot slip through', () => {
    const ir = emptyIr() as unknown as Record<string, any>;
    ir.system.hostnmae = 'x';
    expect(validateIr(ir)[0]?.message).toMatch(/hostnmae/);
  });

  it('rejects another irVersion', () => {
    expect(validateIr({ ...emptyIr(), irVersion: 2 }).map((e) => e.pointer)).toContain('/irVersion');
  });

  it('is plain JSON: a JSON round trip gives the same IR', () => {
    const ir = emptyIr();
    ir.system.hostname = 'h';
    expect(JSON.parse(JSON.stringify(ir))).toEqual(ir);
  });

  it('normalizes away undefined fields and empty optional objects but keeps required ones', () => {
    const ir = emptyIr();
    ir.system.hostname = undefined;
    ir.metadata = {};
    const normal = normalizeIr(ir);
    expect('hostname' in normal.system).toBe(false);
    expect('metadata' in normal).toBe(false);
    expect(normal.system.kernel).toEqual({ cmdline: [] });
    expect(validateIr(normal)).toEqual([]);
  });
});
