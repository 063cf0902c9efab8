/**
 * A bootable Debian bookworm tree for the boot test, made with mmdebstrap from the mirror the
 * host's apt sources name, with a oneshot unit that prints the pass marker on the serial console.
 * Cached between runs under a folder keyed by everything that goes into it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const BOOT_MARKER = 'IMGC-BOOT-OK';

export const bootTreePackages = [
  'linux-image-amd64',
  'systemd-sysv',
  'systemd-boot',
  'initramfs-tools',
  'udev',
  'dbus',
];

/** Prints the marker with where / came from, so the test can check the disk's root partition was used. */
export const markerUnit = `[Unit]
Description=imgc boot test pass marker
After=local-fs.target
DefaultDependencies=no

[Service]
Type=oneshot
StandardOutput=tty
TTYPath=/dev/ttyS0
ExecStart=/bin/sh -c 'echo "${BOOT_MARKER} root=$(findmnt -n -o SOURCE /) fstype=$(findmnt -n -o FSTYPE /) options=$(findmnt -n -o OPTIONS /)"'

[Install]
WantedBy=multi-user.target
`;

/** The host's deb822 sources (never a hard-coded mirror). */
export function hostSources(): string {
  const dir = '/etc/apt/sources.list.d';
  const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.sources')) : undefined;
  if (!file) throw new Error(`no deb822 .sources file in ${dir}: cannot tell which Debian mirror to use`);
  return join(dir, file);
}

export function testCacheDir(): string {
  if (process.env.IMGC_TEST_CACHE) return process.env.IMGC_TEST_CACHE;
  return process.getuid?.() === 0 ? '/var/cache/imgc-test' : join(homedir(), '.cache', 'imgc-test');
}

function hooks(): string[] {
  return [
    `--customize-hook=chroot "$1" passwd -d root`,
    `--customize-hook=echo imgc-boot-test > "$1/etc/hostname"`,
    `--customize-hook=mkdir -p "$1/etc/systemd/system/multi-user.target.wants"`,
    `--customize-hook=echo ${Buffer.from(markerUnit).toString('base64')} | base64 -d > "$1/etc/systemd/system/imgc-boot-marker.service"`,
    `--customize-hook=ln -sf ../imgc-boot-marker.service "$1/etc/systemd/system/multi-user.target.wants/imgc-boot-marker.service"`,
  ];
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${stderr}`)),
    );
  });
}

/** Returns the path of the cached tree, building it first when absent (about 1.5–2 minutes). */
export async function ensureBootTree(log: (m: string) => void = () => {}): Promise<string> {
  const sources = hostSources();
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        suite: 'bookworm',
        packages: bootTreePackages,
        markerUnit,
        hooks: hooks(),
        sources: readFileSync(sources, 'utf8'),
      }),
    )
    .digest('hex')
    .slice(0, 16);
  const cache = testCacheDir();
  const tree = join(cache, `debian-boot-tree-${key}`);
  if (existsSync(join(tree, 'etc/systemd/system/imgc-boot-marker.service'))) return tree;
  mkdirSync(cache, { recursive: true });
  const building = `${tree}.building-${process.pid}`;
  log(`building the boot-test tree with mmdebstrap into ${tree}`);
  try {
    await run('mmdebstrap', [
      '--variant=minbase',
      `--include=${bootTreePackages.join(',')}`,
      ...hooks(),
      'bookworm',
      building,
      sources,
    ]);
    if (existsSync(tree)) rmSync(building, { recursive: true, force: true });
    else renameSync(building, tree);
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return tree;
}
