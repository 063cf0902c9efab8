/**
 * `imgc boot`: the sample disk the other boot tests build (same IR and tree cache) boots through
 * the command, non-interactively (`--until` the pass marker), and the command reports its
 * firmware choice, a missed marker and a path it cannot boot.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runningQemuCount } from '../helpers/qemu.js';
import { runCli } from '../helpers/run-cli.js';
import { BOOT_MARKER } from './marker.js';
import { buildSample, imgc, type SampleBuild } from './sample-build.js';

const BUILD_BOUND_MS = 1_200_000;
const BOOT_BOUND_S = 420;
const scratch = mkdtempSync(join(tmpdir(), 'imgc-boot-command-'));
let build: SampleBuild | undefined;

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  if (build) rmSync(build.scratch, { recursive: true, force: true });
});

describe('imgc boot', () => {
  it('refuses a path that is no bootable output, and says what it takes', async () => {
    const text = join(scratch, 'notes.txt');
    writeFileSync(text, 'hello\n');
    const r = await runCli(['boot', text]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/IMGC9050 cannot boot .*notes\.txt: not a disk image, ISO or UKI/);
    const tree = await runCli(['boot', scratch]);
    expect(tree.code).toBe(1);
    expect(tree.stderr).toMatch(/not a PXE bundle .*imgc shell/);
    const usage = await runCli(['boot', text, '--firmware', 'coreboot']);
    expect(usage.code).toBe(2);
  });

  it('chooses UEFI for a GPT disk with an EFI system partition, BIOS without, and reports a missed marker', async () => {
    const esp = join(scratch, 'esp.raw');
    const plain = join(scratch, 'plain.raw');
    for (const [file, type] of [
      [esp, 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B'],
      [plain, '0FC63DAF-8483-4772-8E79-3D69D8477DE4'],
    ] as const) {
      execFileSync('truncate', ['-s', '8M', file]);
      execFileSync('sfdisk', ['--quiet', file], { input: `label: gpt\n,,${type}\n` });
    }
    const uefi = await runCli(['boot', esp, '--until', 'NEVER-PRINTED', '--timeout', '4']);
    expect(uefi.stderr).toMatch(
      /IMGC9053 booting with UEFI firmware \(OVMF\): the disk has an EFI system partition/,
    );
    expect(uefi.stderr).toMatch(
      /IMGC9052 "NEVER-PRINTED" did not appear on the console: (timed out|qemu exited)/,
    );
    expect(uefi.code).toBe(1);
    const bios = await runCli(['boot', plain, '--until', 'NEVER-PRINTED', '--timeout', '4']);
    expect(bios.stderr).toMatch(/booting with BIOS \(SeaBIOS\): the GPT disk has no EFI system partition/);
    const forced = await runCli([
      'boot',
      plain,
      '--firmware',
      'uefi',
      '--until',
      'NEVER-PRINTED',
      '--timeout',
      '2',
    ]);
    expect(forced.stderr).toMatch(/booting with UEFI firmware \(OVMF\): --firmware uefi/);
    expect(runningQemuCount()).toBe(0);
  }, 60_000);

  it(
    'boots the sample disk until the pass marker appears on the serial console (imgc qemu alias)',
    async () => {
      build = await buildSample(['disk'], [], BUILD_BOUND_MS);
      expect(build.code, build.log.slice(-3000)).toBe(0);
      const disk = readdirSync(build.out).find((f) => f.endsWith('.raw'));
      expect(disk).toBeDefined();
      const t0 = Date.now();
      const booted = await imgc(
        ['qemu', join(build.out, disk!), '--until', BOOT_MARKER, '--timeout', String(BOOT_BOUND_S)],
        (BOOT_BOUND_S + 60) * 1000,
      );
      console.log(`imgc qemu --until: exit ${booted.code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (booted.code !== 0) console.log(booted.stdout.slice(-3000), booted.stderr);
      expect(booted.code).toBe(0);
      expect(booted.stderr).toMatch(
        /booting with UEFI firmware \(OVMF\): the disk has an EFI system partition/,
      );
      expect(booted.stdout).toMatch(new RegExp(`${BOOT_MARKER} host=imgc-sample root=/dev/vda2`));
      expect(booted.stderr).toMatch(new RegExp(`"${BOOT_MARKER}" appeared after`));
    },
    BUILD_BOUND_MS + (BOOT_BOUND_S + 120) * 1000,
  );
});
