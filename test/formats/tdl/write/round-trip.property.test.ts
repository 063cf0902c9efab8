/** Property: any IR made of fields a TDL carries survives IR → template.tdl → IR unchanged. */
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
// XML text: no control characters, and no leading/trailing blanks a reader may trim
const text = fc.stringMatching(/^[A-Za-z0-9<>&"' ./=-]{0,30}$/).map((s) => s.trim());

const arbitraryIr = fc
  .record({
    name: word,
    description: fc.option(text.filter(Boolean), { nil: undefined }),
    release: fc.integer({ min: 30, max: 40 }).map(String),
    arch: fc.constantFrom('x86_64', 'i686', 'aarch64', 'ppc64le', 's390x'),
    rootpw: fc.option(word, { nil: undefined }),
    install: fc.uniqueArray(word, { maxLength: 5 }),
    cmdline: fc.array(fc.stringMatching(/^[a-z]{1,8}(=[a-z0-9]{1,4})?$/), { maxLength: 3 }),
    repos: fc.uniqueArray(
      fc.record({
        id: word,
        url: fc.stringMatching(/^https:\/\/[a-z]{1,8}\.example\/[a-z]{0,6}$/),
        gpgCheck: fc.boolean(),
        buildOnly: fc.boolean(),
      }),
      { selector: (r) => r.id, maxLength: 3 },
    ),
    files: fc.uniqueArray(fc.record({ path: fc.stringMatching(/^\/etc\/[a-z]{1,8}$/), content: text }), {
      selector: (f) => f.path,
      maxLength: 3,
    }),
    commands: fc.uniqueArray(fc.record({ name: word, body: text.filter(Boolean) }), {
      selector: (c) => c.name,
      maxLength: 3,
    }),
  })
  .map((r): ImageIR => {
    const ir = emptyIr();
    ir.metadata = { name: r.name, ...(r.description ? { description: r.description } : {}) };
    ir.distribution = { id: 'fedora', release: r.release, architecture: r.arch };
    if (r.rootpw) ir.accounts.root = { sshKeys: [], password: { plain: r.rootpw } };
    ir.packages.install = r.install.map((name) => ({ name }));
    ir.system.kernel.cmdline = r.cmdline;
    ir.repositories = r.repos.map((x) => ({
      id: x.id,
      urls: [x.url],
      gpgCheck: x.gpgCheck,
      ...(x.buildOnly ? { usage: 'build-only' as const } : {}),
    }));
    ir.files = r.files;
    ir.scripts = r.commands.map((c) => ({ name: c.name, phase: 'post-install', chroot: true, body: c.body }));
    return ir;
  });

describe('tdl writer round trip', () => {
  it('keeps every field of its capability table', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryIr, async (ir) => {
        const written = await registry.get('tdl')!.writer!.write(ir, {});
        const dir = mkdtempSync(join(tmpdir(), 'imgc-tdl-prop-'));
        try {
          await writeOutputFiles(dir, written.files);
          const back = await loadDefinition(registry, dir, { from: 'tdl' });
          expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const got = normalizeIr(back.ir!);
          // the writer names Oz's OS and the public install tree (said in IMGC2614); they come back as tdl data
          delete got.extensions.tdl;
          expect(got).toEqual(normalizeIr(ir));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});
