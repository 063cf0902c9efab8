// Type-checked by tsc against the installed package's declarations; never run. Wrong uses are
// marked @ts-expect-error, so the check fails when the declarations stop catching them.
import {
  type BuildEvent,
  build,
  type Definition,
  type Diagnostic,
  diff,
  type ImageIR,
  type IrChange,
  type Partition,
  read,
  translate,
  write,
} from 'imgc';

export async function packagesOf(path: string): Promise<string[]> {
  const d: Definition = await read(path, { distro: 'debian:12', profiles: [] });
  const ir: ImageIR | undefined = d.ir;
  return ir ? ir.packages.install.map((p) => p.name) : [];
}

export async function lossCodes(path: string): Promise<string[]> {
  const r = await translate(path, { to: 'kickstart', outputDir: '/tmp/out' });
  return r.diagnostics.map((d: Diagnostic) => `${d.code}:${d.line ?? 0}`);
}

export function changedAreas(a: ImageIR, b: ImageIR): string[] {
  return diff(a, b).changes.map((c: IrChange) => c.area);
}

export function rootPartitions(ir: ImageIR): Partition[] {
  return (ir.storage?.partitions ?? []).filter((p) => p.mountpoint === '/');
}

export async function buildQuietly(path: string): Promise<boolean> {
  const events: BuildEvent[] = [];
  const r = await build(path, { outputDir: 'out', outputs: ['tar'], onEvent: (e) => events.push(e) });
  return r.ok;
}

export async function misuse(ir: ImageIR) {
  // @ts-expect-error the target format is required
  await write(ir);
  // @ts-expect-error build needs an output folder
  await build('image.ks', {});
  // @ts-expect-error packages are objects with a name, not strings
  const names: string[] = ir.packages.install;
  return names;
}
