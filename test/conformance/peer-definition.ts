/**
 * The sample as the peer tools build it (the build-equivalence test and bench/kiwi-race.sh):
 * the inspected sample IR plus a unit file it carries as an overlay and enables, the host's apt
 * sources as its repositories, and no kernel. Also what a KIWI run needs around it here.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hostSources } from '../../src/backends/debian/sources.js';
import { localHost } from '../../src/backends/registry.js';
import type { ImageIR, Repository } from '../../src/ir/schema.js';
import { markerUnit, markerUnitPath } from '../boot/marker.js';

/** The host's apt sources as IR repositories, one per suite (KIWI takes one suite per repository). */
export function hostRepositories(): Repository[] {
  const host = localHost();
  const repos: Repository[] = [];
  for (const s of hostSources(host.readText, host.listDir).sources)
    for (const suite of s.suites)
      repos.push({
        id: suite,
        type: 'apt',
        urls: [s.uris[0]!],
        suites: [suite],
        components: s.components,
        ...(s.signedBy ? { gpgKeys: [s.signedBy] } : {}),
      });
  return repos;
}

/**
 * Turns the inspected sample IR into the peers' definition, writes it and its overlay folder
 * under `scratch` and returns the definition's path (`scratch/image.ir.json`).
 */
export function writePeerDefinition(ir: ImageIR, scratch: string): string {
  // an overlay folder named root/ is what every peer carries as it is (KIWI 9 has no file element)
  mkdirSync(join(scratch, 'root', dirname(markerUnitPath)), { recursive: true });
  writeFileSync(join(scratch, 'root', markerUnitPath), markerUnit, { mode: 0o644 });
  ir.overlays.push({ source: 'root', kind: 'extra' });
  ir.system.services.enable.push('imgc-boot-marker.service');
  ir.repositories = hostRepositories();
  // none of the trees boots here: without the kernel (and the initramfs each tool makes for
  // it) every build is about half as long, and nothing else in the comparison changes
  ir.packages.install = ir.packages.install.filter((p) => p.name !== 'linux-image-amd64');
  const def = join(scratch, 'image.ir.json');
  writeFileSync(def, JSON.stringify(ir, null, 2));
  return def;
}

/** KIWI imports signing keys with gpg, which fails when its home folder does not exist. */
export function kiwiGnupgHome(scratch: string): string {
  const home = join(scratch, 'gnupg');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return home;
}

/** Stops the gpg agent KIWI's key import started in `kiwiGnupgHome(scratch)`. */
export function stopKiwiGnupg(scratch: string): void {
  spawnSync('gpgconf', ['--homedir', join(scratch, 'gnupg'), '--kill', 'all']);
}

/** Unmounts what a failed KIWI or mkosi run left under `dir` and detaches its loop devices. */
export function releaseMountsUnder(dir: string): void {
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((m): m is string => !!m && (m === dir || m.startsWith(`${dir}/`)))
    .reverse();
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  const loops = spawnSync('losetup', ['-J', '-l'], { encoding: 'utf8' });
  if (loops.status === 0 && loops.stdout.trim()) {
    const devices = (JSON.parse(loops.stdout) as { loopdevices: { name: string; 'back-file': string }[] })
      .loopdevices;
    for (const l of devices) if (l['back-file']?.startsWith(dir)) spawnSync('losetup', ['-d', l.name]);
  }
}
