/** Property: any IR made of fields a blueprint can hold survives IR → blueprint → IR unchanged. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dottedRhelName } from '../../../../src/formats/blueprint/vocabulary.js';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { writeOutputFiles } from '../../../../src/formats/write-files.js';
import { emptyIr } from '../../../../src/ir/empty.js';
import { normalizeIr } from '../../../../src/ir/normalize.js';
import type { ImageIR } from '../../../../src/ir/schema.js';

const registry = new FormatRegistry();
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const text = fc.string({ maxLength: 40 }).filter((s) => !s.includes('\r'));
const unit = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}\.(service|socket|timer)$/);

const arbitraryIr = fc
  .record({
    name: fc.option(word, { nil: undefined }),
    description: fc.option(text, { nil: undefined }),
    distro: fc.option(
      fc
        .tuple(fc.constantFrom('fedora', 'rhel', 'centos', 'debian'), fc.stringMatching(/^\d{1,2}(\.\d)?$/))
        // `rhel-84` is composer's old spelling of rhel-8.4: a blueprint cannot hold RHEL release "84"
        .filter(([id, release]) => !dottedRhelName(`${id}-${release}`)),
      { nil: undefined },
    ),
    packages: fc.array(
      fc.record({ name: word, version: fc.option(fc.stringMatching(/^\d\.\d{1,2}$/), { nil: undefined }) }),
      { maxLength: 5 },
    ),
    groups: fc.array(word, { maxLength: 3 }),
    hostname: fc.option(word, { nil: undefined }),
    timezone: fc.option(fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'), { nil: undefined }),
    cmdline: fc.array(fc.stringMatching(/^[a-z]+(=[a-z0-9,]+)?$/), { maxLength: 4 }),
    enable: fc.array(unit, { maxLength: 3 }),
    mask: fc.array(unit, { maxLength: 2 }),
    users: fc.uniqueArray(
      fc.record({
        name: word.filter((n) => n !== 'root'),
        uid: fc.option(fc.integer({ min: 1000, max: 60000 }), { nil: undefined }),
        shell: fc.option(fc.constantFrom('/bin/bash', '/bin/sh'), { nil: undefined }),
        groups: fc.array(word, { maxLength: 2 }),
        sshKeys: fc.array(fc.stringMatching(/^ssh-ed25519 [A-Za-z0-9]{8,20}$/), { maxLength: 2 }),
      }),
      { selector: (u) => u.name, maxLength: 3 },
    ),
    files: fc.uniqueArray(
      fc.record({
        path: fc.stringMatching(/^\/etc\/[a-z]{1,8}$/),
        content: text,
        mode: fc.option(fc.constantFrom('0644', '0600', '0755'), { nil: undefined }),
      }),
      {
        selector: (f) => f.path,
        maxLength: 3,
      },
    ),
  })
  .map((r): ImageIR => {
    const ir = emptyIr();
    if (r.name || r.description)
      ir.metadata = {
        ...(r.name ? { name: r.name } : {}),
        ...(r.description !== undefined ? { description: r.description } : {}),
      };
    if (r.distro) ir.distribution = { id: r.distro[0], release: r.distro[1] };
    ir.packages.install = r.packages.map((p) =>
      p.version ? { name: p.name, version: p.version } : { name: p.name },
    );
    ir.packages.groups = r.groups.map((name) => ({ name, kind: 'group' as const }));
    if (r.hostname) ir.system.hostname = r.hostname;
    if (r.timezone) ir.system.timezone = r.timezone;
    ir.system.kernel.cmdline = r.cmdline;
    ir.system.services.enable = r.enable;
    ir.system.services.mask = r.mask;
    ir.accounts.users = r.users.map((u) => ({
      name: u.name,
      groups: u.groups,
      sshKeys: u.sshKeys,
      ...(u.uid !== undefined ? { uid: u.uid } : {}),
      ...(u.shell ? { shell: u.shell } : {}),
    }));
    ir.files = r.files.map((f) => ({
      path: f.path,
      content: f.content,
      ...(f.mode ? { mode: f.mode } : {}),
    }));
    return ir;
  });

describe.each(['blueprint', 'blueprint-json'])('%s round trip (property)', (formatId) => {
  it('IR → blueprint → IR is the identity on what blueprints hold', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryIr, async (ir) => {
        const written = await registry.get(formatId)!.writer!.write(ir, {});
        const dir = mkdtempSync(join(tmpdir(), 'imgc-prop-'));
        try {
          await writeOutputFiles(dir, written.files);
          const back = await loadDefinition(registry, dir, { from: formatId });
          expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(normalizeIr(back.ir!)).toEqual(normalizeIr(ir));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});
