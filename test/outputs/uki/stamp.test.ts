import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { peChecksum, stampPe } from '../../../src/outputs/uki/pe.js';

const stub = '/usr/lib/systemd/boot/efi/linuxx64.efi.stub';
const haveStub = existsSync(stub);
const dir = mkdtempSync(join(tmpdir(), 'imgc-pe-stamp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const checksumAt = (b: Buffer) => b.readUInt32LE(0x3c) + 4 + 20 + 64;

/** objcopy of the stub with one section added; it writes the current time into the PE header */
function objcopy(name: string): Buffer {
  writeFileSync(join(dir, 'cmdline'), 'quiet');
  const out = join(dir, name);
  execFileSync('objcopy', ['--add-section', `.cmdline=${join(dir, 'cmdline')}`, stub, out]);
  return readFileSync(out);
}

describe.runIf(haveStub)('PE timestamp of a UKI (objcopy, systemd-stub)', () => {
  it('computes the checksum objcopy writes', () => {
    const made = objcopy('a.efi');
    expect(peChecksum(made, checksumAt(made))).toBe(made.readUInt32LE(checksumAt(made)));
  });

  it('makes two objcopy runs a second apart identical, with the epoch as the timestamp', async () => {
    const a = objcopy('a.efi');
    await new Promise((r) => setTimeout(r, 1100));
    const b = objcopy('b.efi');
    expect(a.equals(b)).toBe(false);
    const [sa, sb] = [stampPe(a, 1_700_000_000), stampPe(b, 1_700_000_000)];
    expect(sa.equals(sb)).toBe(true);
    expect(sa.readUInt32LE(sa.readUInt32LE(0x3c) + 8)).toBe(1_700_000_000);
    writeFileSync(join(dir, 'stamped.efi'), sa);
    // objdump still reads it, and reports the time it now carries
    expect(
      execFileSync('objdump', ['-p', join(dir, 'stamped.efi')], {
        env: { ...process.env, TZ: 'UTC' },
      }).toString(),
    ).toMatch(/Time\/Date\s+Tue Nov 14 22:13:20 2023/);
  });
});
