/**
 * The first-boot-script step: the unit it writes (checked by the host's systemd-analyze against
 * the tree), the installed script and the multi-user.target.wants link, and the warnings when
 * the image cannot run it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StepContext } from '../../src/backends/contract.js';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { firstBootUnit, installFirstBoot } from '../../src/exec/first-boot.js';
import { ProcessRunner } from '../../src/exec/runner.js';
import type { PlanStep, StepOptions } from '../../src/plan/steps.js';
import { makeMiniRoot } from './mini-backend.js';

const scratch = mkdtempSync(join(tmpdir(), 'imgc-first-boot-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function options(extra: Partial<StepOptions<'first-boot-script'>> = {}): StepOptions<'first-boot-script'> {
  return {
    name: 'setup.sh',
    interpreter: '/bin/sh',
    body: 'read -r host </etc/hostname; echo "first boot of $host"\n',
    onError: 'fail',
    network: true,
    unit: 'imgc-first-boot-01-setup.service',
    path: '/usr/local/lib/imgc/first-boot/01-setup',
    after: [],
    ...extra,
  };
}

function step(o: StepOptions<'first-boot-script'>): PlanStep<'first-boot-script'> {
  return {
    id: '0123456789abcdef',
    type: 'first-boot-script',
    title: 'first-boot',
    executor: 'core',
    inputs: [],
    options: o,
    origin: ['/scripts/2'],
    cache: false,
  };
}

function context(tree: string, reported: Diagnostic[]): StepContext {
  return {
    tree,
    workDir: join(scratch, 'work'),
    packageCache: join(scratch, 'packages'),
    signal: new AbortController().signal,
    runner: new ProcessRunner({ signal: new AbortController().signal }),
    progress: { log: () => {}, packages: () => {}, note: () => {} },
    report: (d) => reported.push(d),
  };
}

const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('first-boot unit', () => {
  it('runs the script once (a state folder, not ConditionFirstBoot), after the network and earlier scripts', () => {
    const unit = firstBootUnit(options({ after: ['imgc-first-boot-00-a.service'] }));
    expect(unit).toContain('ConditionPathExists=!/var/lib/imgc/first-boot/01-setup\n');
    expect(unit).toContain('StateDirectory=imgc/first-boot/01-setup\n');
    expect(unit).not.toContain('ConditionFirstBoot');
    expect(unit).toContain('Wants=network-online.target\n');
    expect(unit).toContain('After=network-online.target imgc-first-boot-00-a.service\n');
    expect(unit).toContain('ExecStart=/bin/sh /usr/local/lib/imgc/first-boot/01-setup\n');
    expect(unit).toContain('StandardOutput=journal+console\n');
    expect(unit).toContain('Type=oneshot\n');
    expect(unit).toContain('WantedBy=multi-user.target\n');
  });

  it('ignores a failure with onError ignore, logs to the file the definition names, quotes what systemd would expand', () => {
    const unit = firstBootUnit(
      options({ onError: 'ignore', log: '/var/log/setup.log', network: false, name: '50% "done"' }),
    );
    expect(unit).toContain('ExecStart=-/bin/sh /usr/local/lib/imgc/first-boot/01-setup\n');
    expect(unit).toContain('StandardOutput=append:/var/log/setup.log\n');
    expect(unit).not.toContain('network-online');
    expect(unit).toContain('Description=imgc first-boot script 50%% "done"\n');
    expect(unit).toContain('"IMGC_SCRIPT=50%% \\"done\\""');
  });
});

describe('installFirstBoot', () => {
  it('installs the script, the unit and its wants link; systemd-analyze accepts the unit', async () => {
    const tree = join(scratch, 'tree');
    makeMiniRoot(tree);
    mkdirSync(join(tree, 'usr/lib/systemd'), { recursive: true });
    writeFileSync(join(tree, 'usr/lib/systemd/systemd'), '');
    const reported: Diagnostic[] = [];
    const o = options();
    await installFirstBoot(step(o), context(tree, reported));
    expect(reported).toEqual([]);

    const script = join(tree, o.path);
    expect(readFileSync(script, 'utf8')).toBe(o.body);
    expect(statSync(script).mode & 0o777).toBe(0o755);
    const unitFile = join(tree, 'etc/systemd/system', o.unit);
    expect(readFileSync(unitFile, 'utf8')).toBe(firstBootUnit(o));
    const wants = join(tree, 'etc/systemd/system/multi-user.target.wants', o.unit);
    expect(lstatSync(wants).isSymbolicLink()).toBe(true);
    expect(readlinkSync(wants)).toBe(`/etc/systemd/system/${o.unit}`);

    // the script runs in the image as the unit would run it (chroot needs root)
    writeFileSync(join(tree, 'etc/hostname'), 'box\n');
    if (process.getuid?.() === 0)
      expect(execFileSync('chroot', [tree, '/bin/sh', o.path], { encoding: 'utf8' })).toBe(
        'first boot of box\n',
      );

    // reinstalling (a rebuild from the cache point) replaces the link instead of failing
    await installFirstBoot(step(o), context(tree, reported));
    expect(readlinkSync(wants)).toBe(`/etc/systemd/system/${o.unit}`);

    if (!hasAnalyze) {
      console.warn(
        'SKIPPED: systemd-analyze verify of the first-boot unit: systemd-analyze is not installed',
      );
      return;
    }
    cpSync('/usr/lib/systemd/system', join(tree, 'usr/lib/systemd/system'), { recursive: true });
    const verify = spawnSync(
      'systemd-analyze',
      ['verify', '--man=no', `--root=${tree}`, `/etc/systemd/system/${o.unit}`],
      { encoding: 'utf8' },
    );
    expect(`${verify.stdout}${verify.stderr}`).toBe('');
    expect(verify.status).toBe(0);
  }, 30_000);

  it('warns when the image has no systemd or lacks the interpreter, and makes the log folder', async () => {
    const tree = join(scratch, 'bare');
    mkdirSync(join(tree, 'etc'), { recursive: true });
    const reported: Diagnostic[] = [];
    await installFirstBoot(
      step(options({ interpreter: '/usr/bin/python3', log: '/var/log/imgc/setup.log' })),
      context(tree, reported),
    );
    expect(reported.map((d) => [d.code, d.severity, d.pointer, d.message])).toEqual([
      [
        'IMGC7305',
        'warning',
        '/scripts/2',
        'first-boot script setup.sh: the image has no systemd, so nothing starts imgc-first-boot-01-setup.service',
      ],
      [
        'IMGC7305',
        'warning',
        '/scripts/2',
        'first-boot script setup.sh: its interpreter /usr/bin/python3 is not in the image',
      ],
    ]);
    expect(existsSync(join(tree, 'var/log/imgc'))).toBe(true);
  });
});
