/** Property: any IR made of fields virt-builder carries survives IR → index + command file → IR unchanged. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { writeOutputFiles } from '../../../../src/formats/write-files.js';
import { emptyIr } from '../../../../src/ir/empty.js';
import { normalizeIr } from '../../../../src/ir/normalize.js';
import type { ImageIR } from '../../../../src/ir/schema.js';

const registry = new FormatRegistry();
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const line = fc.stringMatching(/^[A-Za-z0-9 .=&|;:/-]{1,30}$/).filter((s) => s.trim() === s && s !== '');
const path = fc.stringMatching(/^\/etc\/[a-z]{1,8}$/);

const arbitraryIr = fc
  .record({
    name: word,
    description: fc.option(line, { nil: undefined }),
    distro: fc.constantFrom(['fedora', '40'], ['debian', '12'], ['ubuntu', '24.04'], ['centos-stream', '9']),
    arch: fc.constantFrom('x86_64', 'aarch64', 's390x'),
    size: fc.integer({ min: 1, max: 2 ** 40 }),
    hostname: fc.option(word, { nil: undefined }),
    rootpw: fc.option(fc.record({ plain: word, locked: fc.boolean() }), { nil: undefined }),
    install: fc.uniqueArray(word, { maxLength: 4 }),
    remove: fc.uniqueArray(word, { maxLength: 2 }),
    files: fc.uniqueArray(
      fc.record({
        path,
        content: fc.oneof(
          line,
          fc.array(line, { minLength: 1, maxLength: 3 }).map((l) => `${l.join('\n')}\n`),
        ),
      }),
      { selector: (f) => f.path, maxLength: 3 },
    ),
    scripts: fc.array(fc.record({ body: line, boot: fc.boolean() }), { maxLength: 3 }),
    extra: fc.array(fc.constantFrom('update', 'selinux-relabel', 'delete /var/tmp/x'), { maxLength: 2 }),
  })
  .map((r): ImageIR => {
    const ir = emptyIr();
    ir.metadata = { name: r.name, ...(r.description ? { description: r.description } : {}) };
    ir.distribution = { id: r.distro[0]!, release: r.distro[1]!, architecture: r.arch };
    ir.storage = { partitions: [], volumeGroups: [], raid: [], mountpoints: [], size: { min: r.size } };
    if (r.hostname) ir.system.hostname = r.hostname;
    if (r.rootpw)
      ir.accounts.root = {
        sshKeys: [],
        password: { plain: r.rootpw.plain, ...(r.rootpw.locked ? { locked: true } : {}) },
      };
    ir.packages.install = r.install.map((name) => ({ name }));
    ir.packages.remove = r.remove.map((name) => ({ name }));
    ir.files = r.files;
    ir.scripts = r.scripts.map((s) => ({
      phase: s.boot ? 'first-boot' : 'post-install',
      chroot: true,
      body: s.body,
    }));
    if (r.extra.length) ir.extensions['virt-builder'] = { commands: r.extra };
    return ir;
  });

describe('virt-builder writer round trip', () => {
  it('keeps every field of its capability table', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryIr, async (ir) => {
        const written = await registry.get('virt-builder')!.writer!.write(ir, {});
        expect(written.diagnostics.filter((d) => d.code === 'IMGC6002')).toEqual([]);
        const dir = mkdtempSync(join(tmpdir(), 'imgc-virt-builder-prop-'));
        try {
          await writeOutputFiles(dir, written.files);
          const back = await loadDefinition(registry, dir, { from: 'virt-builder' });
          expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const got = normalizeIr(back.ir!);
          // the index entry the writer made (file, format, size) comes back as virt-builder data
          const ext = got.extensions['virt-builder'] as
            | { entries?: unknown; commands?: string[] }
            | undefined;
          if (ext) delete ext.entries;
          if (ext && !ext.commands) delete got.extensions['virt-builder'];
          expect(got).toEqual(normalizeIr(ir));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});
