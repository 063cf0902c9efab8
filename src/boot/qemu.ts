/**
 * Boots images in qemu (`imgc boot` and the boot tests): OVMF firmware, serial console read from a pipe, a pass
 * marker waited for with a bound, and qemu always killed (also when the test process exits).
 * KVM is used only when a short probe boot shows it really works; otherwise TCG.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Accel = 'kvm' | 'tcg';

/** What every boot waits for and how the machine is sized. */
export interface BootWatchOptions {
  /** printed on the serial console when the guest passes */
  marker: string | RegExp;
  /** serial output that means the guest failed (kernel panic, emergency shell, ...) */
  failOn?: RegExp[];
  timeoutMs: number;
  /** the serial log is also written here (kept for debugging a failed boot) */
  logFile?: string;
  memoryMiB?: number;
  cpus?: number;
  accel?: Accel;
}

export interface BootOptions extends BootWatchOptions {
  disk: string;
  format?: 'raw' | 'qcow2';
  /** true: the guest writes to the disk image itself (default: -snapshot, the image is left as it was) */
  persist?: boolean;
}

export interface BootResult {
  outcome: 'marker' | 'failure' | 'timeout' | 'exited';
  /** the matched marker line, or the failure line */
  line?: string;
  elapsedMs: number;
  accel: Accel;
  log: string;
  exitCode?: number | null;
  stderr: string;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function ovmf(): { code: string; vars: string } {
  const candidates = [
    { code: '/usr/share/OVMF/OVMF_CODE_4M.fd', vars: '/usr/share/OVMF/OVMF_VARS_4M.fd' },
    { code: '/usr/share/OVMF/OVMF_CODE.fd', vars: '/usr/share/OVMF/OVMF_VARS.fd' },
  ];
  const found = candidates.find((c) => existsSync(c.code) && existsSync(c.vars));
  if (!found) throw new Error('OVMF firmware not found (Debian package ovmf)');
  return found;
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

interface Watch {
  args: string[];
  accel: Accel;
  timeoutMs: number;
  pass: (line: string) => boolean;
  fail: (line: string) => boolean;
  stderrFail?: RegExp;
  logFile?: string;
  onOutput?: (text: string) => void;
}

/** Starts qemu, reads the serial console by complete lines until pass, fail, exit or the time bound, then kills qemu. */
function watch(w: Watch): Promise<BootResult> {
  const started = Date.now();
  const child = spawn('qemu-system-x86_64', w.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let log = '';
  let stderr = '';
  let pending = '';
  return new Promise<BootResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<BootResult, 'elapsedMs' | 'accel' | 'log' | 'stderr'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (w.logFile) writeFileSync(w.logFile, log);
      void kill(child).then(() => {
        running.delete(child);
        resolve({ ...r, elapsedMs: Date.now() - started, accel: w.accel, log, stderr });
      });
    };
    const timer = setTimeout(() => finish({ outcome: 'timeout' }), w.timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      log += text;
      w.onOutput?.(text);
      const lines = (pending + text).split(/\r?\n|\r/);
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (w.pass(line)) return finish({ outcome: 'marker', line });
        if (w.fail(line)) return finish({ outcome: 'failure', line });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (w.stderrFail?.test(stderr)) finish({ outcome: 'failure', line: stderr.trim().split('\n')[0] });
    });
    child.on('error', (e) => finish({ outcome: 'exited', line: e.message }));
    child.on('exit', (code) => finish({ outcome: 'exited', exitCode: code }));
  });
}

function machineArgs(accel: Accel, vars: string, memoryMiB: number, cpus: number): string[] {
  const fw = ovmf();
  return [
    ...[
      '-accel',
      accel === 'kvm' ? 'kvm' : 'tcg,thread=multi',
      '-machine',
      'q35',
      '-cpu',
      accel === 'kvm' ? 'host' : 'max',
    ],
    ...[
      '-smp',
      String(cpus),
      '-m',
      String(memoryMiB),
      '-nographic',
      '-nodefaults',
      '-no-reboot',
      '-serial',
      'stdio',
    ],
    ...['-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${fw.code}`],
    ...['-drive', `if=pflash,format=raw,unit=1,file=${vars}`],
  ];
}

function withVars<T>(fn: (vars: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-qemu-'));
  const vars = join(dir, 'vars.fd');
  copyFileSync(ovmf().vars, vars);
  return fn(vars).finally(() => rmSync(dir, { recursive: true, force: true }));
}

let probed: Promise<Accel> | undefined;

/**
 * KVM only if it really boots firmware: /dev/kvm can exist while guests fail (this lab's
 * kvm_pvm host). IMGC_QEMU_ACCEL=tcg|kvm overrides the probe.
 */
export function chooseAccel(): Promise<Accel> {
  const forced = process.env.IMGC_QEMU_ACCEL;
  if (forced === 'tcg' || forced === 'kvm') return Promise.resolve(forced);
  probed ??= probeKvm().then((ok) => (ok ? 'kvm' : 'tcg'));
  return probed;
}

export async function probeKvm(timeoutMs = 20_000): Promise<boolean> {
  if (!existsSync('/dev/kvm')) return false;
  const result = await withVars((vars) =>
    watch({
      args: machineArgs('kvm', vars, 256, 1),
      accel: 'kvm',
      timeoutMs,
      pass: (line) => line.includes('BdsDxe'),
      fail: () => false,
      stderrFail: /KVM internal error|emulation failure|failed to initialize kvm|Could not access KVM/i,
    }),
  );
  return result.outcome === 'marker';
}

const defaultFailures = [
  /Kernel panic/,
  /You are in emergency mode/,
  /Give root password for maintenance/,
  /dracut-initqueue timeout/,
];

export async function bootDisk(options: BootOptions): Promise<BootResult> {
  const accel = options.accel ?? (await chooseAccel());
  const marker = options.marker;
  const pass = typeof marker === 'string' ? (l: string) => l.includes(marker) : (l: string) => marker.test(l);
  const failures = options.failOn ?? defaultFailures;
  return withVars((vars) =>
    watch({
      args: [
        ...machineArgs(accel, vars, options.memoryMiB ?? 2048, options.cpus ?? 2),
        ...(options.persist ? [] : ['-snapshot']),
        '-drive',
        `file=${options.disk},format=${options.format ?? 'raw'},if=virtio`,
      ],
      accel,
      timeoutMs: options.timeoutMs,
      pass,
      fail: (l) => failures.some((re) => re.test(l)),
      ...(options.logFile ? { logFile: options.logFile } : {}),
    }),
  );
}

/** How many qemu processes this helper has running (tests assert it drops back to zero). */
export function runningQemuCount(): number {
  return running.size;
}

export interface MachineOptions extends BootWatchOptions {
  /** ovmf: UEFI firmware (pflash); seabios: qemu's default BIOS (also for -kernel boots) */
  firmware: 'ovmf' | 'seabios';
  /** extra qemu arguments: drives, -cdrom, -kernel/-initrd/-append, -netdev ... */
  args: string[];
  /** the serial console as it arrives */
  onOutput?: (text: string) => void;
}

/** Boots any qemu machine description (CD-ROM, direct kernel, network) to a serial pass marker. */
export async function bootMachine(options: MachineOptions): Promise<BootResult> {
  const accel = options.accel ?? (await chooseAccel());
  const marker = options.marker;
  const pass = typeof marker === 'string' ? (l: string) => l.includes(marker) : (l: string) => marker.test(l);
  const failures = options.failOn ?? defaultFailures;
  const run = (base: string[]) =>
    watch({
      args: [...base, ...options.args],
      accel,
      timeoutMs: options.timeoutMs,
      pass,
      fail: (l) => failures.some((re) => re.test(l)),
      ...(options.logFile ? { logFile: options.logFile } : {}),
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    });
  const memory = options.memoryMiB ?? 2048;
  const cpus = options.cpus ?? 2;
  if (options.firmware === 'ovmf') return withVars((vars) => run(machineArgs(accel, vars, memory, cpus)));
  // the same machine without the pflash drives: qemu falls back to SeaBIOS
  const base = machineArgs(accel, '/dev/null', memory, cpus);
  const cut = base.indexOf('-drive');
  return run(base.slice(0, cut));
}

/** Runs qemu with the serial console on this terminal until the guest powers off or the user quits (Ctrl-A X). */
export async function runInteractive(
  options: Pick<MachineOptions, 'firmware' | 'args' | 'memoryMiB' | 'cpus' | 'accel'>,
): Promise<number | null> {
  const accel = options.accel ?? (await chooseAccel());
  const run = (base: string[]) =>
    new Promise<number | null>((resolve) => {
      const child = spawn('qemu-system-x86_64', [...base, ...options.args], { stdio: 'inherit' });
      running.add(child);
      child.on('error', () => resolve(127));
      child.on('exit', (code) => {
        running.delete(child);
        resolve(code);
      });
    });
  const memory = options.memoryMiB ?? 2048;
  const cpus = options.cpus ?? 2;
  if (options.firmware === 'ovmf') return withVars((vars) => run(machineArgs(accel, vars, memory, cpus)));
  const base = machineArgs(accel, '/dev/null', memory, cpus);
  return run(base.slice(0, base.indexOf('-drive')));
}
