/**
 * Hostile definitions built for real (root, mmdebstrap) change nothing on the host outside
 * their output and cache. Every item aims at the host: a home that climbs plus an SSH key, a
 * file under /var/run (an absolute symlink to /run in a Debian tree), a directory under
 * /var/lock, a symlink /etc/esc → /var/tmp with an overlay folder and an archive written
 * through it. The IR goes straight to the planner, past the readers' checks (IMGC1041), so
 * the build's own confinement is tested; the blueprint and kickstart spellings of the climbing
 * home go through `imgc build`, whose readers must refuse them.
 *
 * The proof is a snapshot (path, type, size, mode, owner, mtime, hash of small files) of /run,
 * /var/tmp, /tmp and /etc before and after. Seven engineers' tests run on this machine at the
 * same time and churn /tmp and /var/tmp, so the builds run in a private mount namespace whose
 * /tmp and /var/tmp are two empty folders of this test: every change in them is the build's,
 * and nothing has to be filtered out as someone else's. /run and /etc are the host's own
 * (nothing else changed them in a 60 s sample). Filtered, and only these:
 * - the output and cache folders of the builds (they are what a build writes);
 * - `/tmp/tsx-0`: the compile cache of tsx, which the harness uses to run imgc's TypeScript.
 * Directory mtimes are not compared (a temporary file created and removed changes them);
 * every lasting entry added or removed is compared on its own.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { type Change, changes, type Snapshot, snapshot } from '../helpers/host-snapshot.js';
import { repoRoot } from '../helpers/shared.js';
import { canBuild } from './build-env.js';

const gate = canBuild();
if (!gate.ok) console.warn(`SKIPPED: host-escape build test: ${gate.why}`);
const maybe = gate.ok ? it : it.skip;

const PACKAGES = '/var/tmp/imgc-tests/packages';
/** Where the builds work, as they see it: inside their private /var/tmp. */
const WORK = '/var/tmp/imgc-escape';

function hostileIr(dir: string, marker: string): ImageIR {
  mkdirSync(join(dir, 'overlay/etc/esc'), { recursive: true });
  writeFileSync(join(dir, 'overlay/etc/esc', `${marker}-overlay`), 'overlay\n');
  mkdirSync(join(dir, 'archive/etc/esc'), { recursive: true });
  writeFileSync(join(dir, 'archive/etc/esc', `${marker}-archive`), 'archive\n');
  execFileSync('tar', ['-cf', join(dir, 'overlay.tar'), '-C', join(dir, 'archive'), 'etc']);
  const ir = emptyIr();
  ir.distribution = { id: 'debian', release: 'bookworm' };
  ir.packages.installDocs = false;
  ir.accounts.users.push({
    name: 'mallory',
    groups: [],
    home: `/../../../../../../../var/tmp/${marker}-home`,
    sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtestkey mallory@test'],
  });
  ir.files.push({ path: `/var/run/${marker}-file`, content: 'file\n' });
  ir.directories.push({ path: `/var/lock/${marker}-dir` });
  ir.symlinks.push({ path: '/etc/esc', target: '/var/tmp' });
  ir.overlays.push({ source: 'overlay' }, { source: 'overlay.tar' });
  return ir;
}

function hostileSpellings(dir: string, marker: string): Record<string, string> {
  const home = `/../../../../../var/tmp/${marker}`;
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtestkey mallory@test';
  const blueprint = join(dir, 'home.toml');
  writeFileSync(
    blueprint,
    `name = "x"\ndistro = "debian-12"\n[[customizations.user]]\nname = "mallory"\nhome = "${home}-bp"\nkey = "${key}"\n`,
  );
  const kickstart = join(dir, 'home.ks');
  writeFileSync(
    kickstart,
    `lang en_US.UTF-8\nuser --name=mallory --homedir=${home}-ks\nsshkey --username=mallory "${key}"\n%packages\nvim\n%end\n`,
  );
  return { blueprint, kickstart };
}

/**
 * Runs a command in a private mount namespace whose /tmp and /var/tmp are the given folders;
 * the shared package cache is bound into the cache first, so no package is downloaded again.
 */
function inPrivateTmp(
  tmp: string,
  varTmp: string,
  cache: string,
  command: string[],
): Promise<{ code: number | null; out: string }> {
  const script = [
    'set -e',
    `mount --bind ${PACKAGES} "$3/packages"`,
    'mount --rbind "$1" /tmp',
    'mount --rbind "$2" /var/tmp',
    'shift 3',
    'exec "$@"',
  ].join('\n');
  const child = spawn(
    'unshare',
    ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', tmp, varTmp, cache, ...command],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** The four roots as the builds see them: the host's /run and /etc, the test's two folders. */
function hostView(tmp: string, varTmp: string, skip: string[]): Snapshot {
  const shown = new Map<string, string>([
    [tmp, '/tmp'],
    [varTmp, '/var/tmp'],
  ]);
  const raw = snapshot(['/run', '/etc', tmp, varTmp], (p) => skip.includes(p));
  const out: Snapshot = new Map();
  for (const [path, entry] of raw) {
    const root = [...shown.keys()].find((r) => path === r || path.startsWith(`${r}/`));
    out.set(root ? shown.get(root)! + path.slice(root.length) : path, entry);
  }
  return out;
}

const HARNESS_NOISE = (c: Change) => c.path === '/tmp/tsx-0' || c.path.startsWith('/tmp/tsx-0/');

describe('hostile definitions, built for real', () => {
  maybe(
    'change nothing in /run, /var/tmp, /tmp or /etc outside their output and cache',
    async () => {
      expect(existsSync(join(repoRoot, 'dist/cli/imgc.mjs')), 'run npm run build first').toBe(true);
      mkdirSync(PACKAGES, { recursive: true });
      const base = mkdtempSync('/var/tmp/imgc-tests/escape-');
      const tmp = join(base, 'tmp');
      const varTmp = join(base, 'var-tmp');
      for (const d of [tmp, varTmp]) {
        mkdirSync(d);
        chmodSync(d, 0o1777);
      }
      const marker = `imgc-escape-${basename(base).split('-').pop()}`;
      // the builds' folders, seen from the host
      const work = join(varTmp, basename(WORK));
      const out = join(work, 'out');
      const cache = join(work, 'cache');
      mkdirSync(join(cache, 'packages'), { recursive: true });
      writeFileSync(join(work, 'hostile.ir.json'), JSON.stringify(hostileIr(work, marker)));
      const spellings = hostileSpellings(work, marker);

      const skip = [out, cache, ...Object.keys(spellings).map((name) => `${out}-${name}`)];
      const before = hostView(tmp, varTmp, skip);
      const tsx = [process.execPath, '--import', 'tsx'];
      const ir = await inPrivateTmp(tmp, varTmp, cache, [
        ...tsx,
        join(repoRoot, 'test/exec/host-escape-build.ts'),
        `${WORK}/hostile.ir.json`,
        WORK,
        `${WORK}/out`,
        `${WORK}/cache`,
      ]);
      const refused: Record<string, { code: number | null; out: string }> = {};
      for (const [name, path] of Object.entries(spellings))
        refused[name] = await inPrivateTmp(tmp, varTmp, cache, [
          process.execPath,
          join(repoRoot, 'bin/imgc.js'),
          'build',
          `${WORK}/${basename(path)}`,
          '--output',
          'directory',
          '-o',
          `${WORK}/out-${name}`,
          '--cache-dir',
          `${WORK}/cache`,
        ]);
      const after = hostView(tmp, varTmp, skip);

      expect(JSON.parse(ir.out.slice(ir.out.indexOf('{'))), ir.out).toEqual({ ok: true, diagnostics: [] });
      for (const [name, r] of Object.entries(refused)) {
        expect(r.code, `${name}: ${r.out}`).toBe(1);
        expect(r.out, name).toContain('IMGC1041');
      }
      const root = join(out, 'image');
      const read = (p: string) => readFileSync(join(root, p), 'utf8');
      expect(read(`var/tmp/${marker}-home/.ssh/authorized_keys`)).toContain('mallory@test');
      expect(read(`run/${marker}-file`)).toBe('file\n');
      expect(existsSync(join(root, `run/lock/${marker}-dir`))).toBe(true);
      expect(read(`var/tmp/${marker}-overlay`)).toBe('overlay\n');
      expect(read(`var/tmp/${marker}-archive`)).toBe('archive\n');

      const changed = changes(before, after);
      const filtered = changed.filter(HARNESS_NOISE);
      console.log(
        `host snapshot: ${before.size} entries before, ${after.size} after; ` +
          `${changed.length} changed, ${filtered.length} of them the harness's tsx cache`,
      );
      expect(changed.filter((c) => !HARNESS_NOISE(c))).toEqual([]);
    },
    1_800_000,
  );
});
