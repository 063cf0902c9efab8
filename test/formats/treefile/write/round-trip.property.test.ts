/** Property: any IR made of fields a treefile carries survives IR → treefile → IR unchanged. */
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
const unit = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}\.(service|socket|timer)$/);

const arbitraryIr = fc
  .record({
    ref: fc.option(fc.stringMatching(/^[a-z]{1,6}\/[a-z0-9]{1,6}$/), { nil: undefined }),
    release: fc.option(fc.stringMatching(/^\d{1,2}$/), { nil: undefined }),
    install: fc.array(fc.oneof(word, fc.stringMatching(/^[a-z]{1,8} >= \d$/)), { maxLength: 5 }),
    exclude: fc.array(word, { maxLength: 3 }),
    weak: fc.option(fc.boolean(), { nil: undefined }),
    docs: fc.option(fc.boolean(), { nil: undefined }),
    langs: fc.array(fc.constantFrom('en_US', 'de_DE', 'fr_FR'), { maxLength: 2 }),
    enable: fc.array(unit, { maxLength: 3 }),
    scripts: fc.array(
      fc.string({ maxLength: 30 }).filter((s) => !s.includes('\r')),
      { maxLength: 3 },
    ),
    repos: fc.uniqueArray(
      fc.record({
        id: word,
        url: fc.stringMatching(/^https:\/\/[a-z]{1,8}\.example\/[a-z]{0,6}$/),
        gpgCheck: fc.option(fc.boolean(), { nil: undefined }),
        enabled: fc.option(fc.boolean(), { nil: undefined }),
      }),
      { selector: (r) => r.id, maxLength: 3 },
    ),
    keys: fc.record({
      'tmp-is-dir': fc.option(fc.boolean(), { nil: undefined }),
      'boot-location': fc.option(fc.constantFrom('new', 'modules'), { nil: undefined }),
      'remove-files': fc.option(fc.array(fc.stringMatching(/^usr\/[a-z]{1,8}$/), { maxLength: 2 }), {
        nil: undefined,
      }),
    }),
  })
  .map((r): ImageIR => {
    const ir = emptyIr();
    if (r.ref) ir.outputs = [{ type: 'ostree-commit', name: r.ref }];
    if (r.release) ir.distribution.release = r.release;
    ir.packages.install = r.install.map((name) => ({ name }));
    ir.packages.exclude = r.exclude.map((name) => ({ name }));
    if (r.weak !== undefined) ir.packages.installWeakDeps = r.weak;
    if (r.docs !== undefined) ir.packages.installDocs = r.docs;
    if (r.langs.length) ir.packages.languages = r.langs;
    ir.system.services.enable = r.enable;
    ir.scripts = r.scripts.map((body) => ({ phase: 'post-install', chroot: true, network: false, body }));
    ir.repositories = r.repos.map((x) => ({
      id: x.id,
      urls: [x.url],
      fileName: 'imgc.repo',
      ...(x.gpgCheck !== undefined ? { gpgCheck: x.gpgCheck } : {}),
      ...(x.enabled !== undefined ? { enabled: x.enabled } : {}),
    }));
    const keys = Object.fromEntries(Object.entries(r.keys).filter(([, v]) => v !== undefined));
    if (Object.keys(keys).length) ir.extensions.treefile = { keys };
    return ir;
  });

describe('treefile writer round trip', () => {
  it('keeps every field of its capability table', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryIr, async (ir) => {
        const written = await registry.get('treefile')!.writer!.write(ir, {});
        const dir = mkdtempSync(join(tmpdir(), 'imgc-treefile-prop-'));
        try {
          await writeOutputFiles(dir, written.files);
          const back = await loadDefinition(registry, dir, { from: 'treefile', options: { arch: 'x86_64' } });
          expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const got = normalizeIr(back.ir!);
          got.distribution.architecture = undefined;
          delete got.distribution.architecture;
          // the repositories' URLs name no distribution, so none is inferred
          expect(got).toEqual(normalizeIr(ir));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});
