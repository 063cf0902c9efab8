/**
 * A translation that reports a loss per line of a large input (fuzz seed 9001, input 1224165:
 * 33,917 `RUN dnf` lines, 34,000 diagnostics per writer, 5.4–7.7 s of CPU with redaction and GC
 * leading the profile) is printed with bounded work: at most MAX_DIAGNOSTICS rendered, each
 * source line of their code frames redacted once. Work is counted (calls of redactSecrets), not timed.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { printDiagnostics } from '../../src/cli/output.js';
import * as redact from '../../src/diagnostics/redact.js';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { translateIr } from '../../src/formats/translate.js';
import { MAX_DIAGNOSTICS } from '../../src/input/bounded.js';
import { scratchTree } from '../input/scratch.js';

vi.mock('../../src/diagnostics/redact.js', async (original) => {
  const real = await original<typeof import('../../src/diagnostics/redact.js')>();
  return { ...real, redactSecrets: vi.fn(real.redactSecrets) };
});

const LINES = 5_000;

describe('a flood of translate diagnostics', () => {
  it(`prints ${MAX_DIAGNOSTICS} of ${LINES} and counts the rest, redacting each frame line once`, async () => {
    const text = `FROM quay.io/fedora/fedora-bootc:43\n${'RUN dnf\n'.repeat(LINES)}`;
    const dir = scratchTree({ Containerfile: text });
    const registry = new FormatRegistry();
    const loaded = await loadDefinition(registry, join(dir, 'Containerfile'), { from: 'containerfile' });
    const translated = await translateIr({
      ir: loaded.ir!,
      positions: loaded.positions,
      sourceDir: dir,
      target: registry.get('blueprint')!,
    });
    expect(translated.diagnostics.length).toBeGreaterThanOrEqual(LINES);
    let err = '';
    const calls = vi.mocked(redact.redactSecrets);
    calls.mockClear();
    printDiagnostics({ stdout: () => {}, stderr: (t) => (err += t), isTTY: false }, translated.diagnostics);
    const rendered = err.split('\n').filter((l) => /(^|: )(warning|error|info) IMGC\d{4} /.test(l));
    expect(rendered).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(err).toMatch(
      new RegExp(`IMGC1054 ${translated.diagnostics.length - MAX_DIAGNOSTICS} more diagnostic`),
    );
    // code-frame lines are redacted once each (1,002 lines around the 1,000 shown); it was four
    // redactions per diagnostic (three frame lines and the text before the caret), all 5,000
    expect(calls.mock.calls.length).toBeLessThanOrEqual(MAX_DIAGNOSTICS + 10);
  });
});
