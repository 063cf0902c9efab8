import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyIr } from '../../src/ir/empty.js';
import { irCheckerSource } from '../../src/ir/precompile.js';
import { ImageIR } from '../../src/ir/schema.js';
import { irAjv } from '../../src/ir/validate.js';

describe('the precompiled IR checker the built CLI loads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-checker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'ir-checker.generated.cjs');
  writeFileSync(file, irCheckerSource());
  const standalone = (createRequire(import.meta.url)(file) as { default: ValidateFunction }).default;
  const runtime = irAjv().compile(ImageIR);

  const verdicts = (ir: unknown) => {
    const a = standalone(ir);
    const aErrors = standalone.errors ?? [];
    const b = runtime(ir);
    return { standalone: [a, aErrors], runtime: [b, runtime.errors ?? []] };
  };

  it('needs no ajv at run time (no require calls in the generated code)', () => {
    expect(irCheckerSource()).not.toMatch(/require\(/);
  });

  it('accepts what the run-time compiled checker accepts', () => {
    const ir = emptyIr();
    ir.distribution = { id: 'debian', release: 'bookworm' };
    ir.packages.install.push({ name: 'systemd' });
    const v = verdicts(ir);
    expect(v.standalone[0]).toBe(true);
    expect(v.standalone).toEqual(v.runtime);
  });

  it('rejects with the same errors, all of them', () => {
    const ir = emptyIr() as unknown as Record<string, any>;
    ir.bogus = 1;
    ir.packages.install.push({ nam: 'x' });
    ir.system.hostname = 7;
    const v = verdicts(ir);
    expect(v.standalone[0]).toBe(false);
    expect((v.standalone[1] as unknown[]).length).toBeGreaterThanOrEqual(4);
    expect(v.standalone).toEqual(v.runtime);
  });
});
