/** Hostile Packer templates: positioned errors or a reading, never an internal error. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { scratchTree } from '../../../input/scratch.js';

describe('Packer heredocs', () => {
  it('an indented heredoc of 150,000 lines is read (its indent was found by Math.min(...widths), past the argument limit)', async () => {
    const body = '      echo hello\n'.repeat(150_000);
    const text = `source "qemu" "x" {\n  iso_url = "https://cdimage.debian.org/debian-12.iso"\n}\nbuild {\n  sources = ["source.qemu.x"]\n  provisioner "shell" {\n    inline = [<<-EOT\n${body}    EOT\n    ]\n  }\n}\n`;
    const dir = scratchTree({ 'image.pkr.hcl': text });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'image.pkr.hcl'), { from: 'packer' });
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC1009');
    const script = r.ir?.scripts?.find((s) => s.body?.includes('echo hello'));
    expect(script?.body?.startsWith('echo hello\n')).toBe(true);
    expect(script?.body?.split('\n').filter((l) => l === 'echo hello')).toHaveLength(150_000);
  });
});
