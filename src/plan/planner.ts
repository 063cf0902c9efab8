/**
 * IR + backend + outputs → build plan. The planner fixes the order of steps (the same for
 * every backend); the backend supplies release, repositories, package steps and runs its
 * own step types. Planning reads the files the definition copies in (to hash them) but runs
 * nothing and needs no root.
 */

import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Backend, HostFacts } from '../backends/contract.js';
import type { BackendRegistry } from '../backends/registry.js';
import { buildCodes } from '../diagnostics/codes/build.js';
import { outputCodes } from '../diagnostics/codes/outputs.js';
import { diag } from '../diagnostics/define.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import type { FormatOptions } from '../formats/contract.js';
import { type PositionTable, positionOf } from '../ir/positions.js';
import type { ImageIR, Output, OutputType, Script, ScriptPhase } from '../ir/schema.js';
import { fileDigest, treeDigest } from './digest.js';
import { stepId } from './hash.js';
import { livePackageDraft, makeInitrdDraft, notBuildableDetail, outputStepDrafts } from './output-steps.js';
import type { BuildPlan, PlanStep, StepDraft, StepOptions } from './steps.js';

export const buildableOutputs: readonly OutputType[] = [
  'directory',
  'tar',
  'cpio',
  'disk',
  'esp',
  'uki',
  'iso',
  'pxe',
  'oci',
  'sysext',
  'confext',
  'portable',
];
const bootableOutputs: ReadonlySet<OutputType> = new Set(['disk', 'esp', 'uki', 'iso', 'pxe']);

export interface PlanRequest {
  /** effective IR: profiles already merged */
  ir: ImageIR;
  positions?: PositionTable;
  /** output types asked for on the command line; empty = the IR's outputs, or a directory */
  outputs?: OutputType[];
  backends: BackendRegistry;
  host: HostFacts;
  options?: FormatOptions;
  sourceDir: string;
  /** SOURCE_DATE_EPOCH for archives */
  sourceDateEpoch?: number;
}

export interface PlanResult {
  plan?: BuildPlan;
  diagnostics: Diagnostic[];
}

/** Gives diagnostics that carry a pointer the source position of that pointer. */
export function locate(diagnostics: Diagnostic[], positions: PositionTable | undefined): Diagnostic[] {
  if (!positions) return diagnostics;
  return diagnostics.map((d) => {
    if (d.file !== undefined || d.pointer === undefined) return d;
    const pos = positionOf(positions, d.pointer);
    return pos ? { ...d, file: pos.file, line: pos.line, column: pos.column } : d;
  });
}

function packageSpec(p: { name: string; version?: string; arch?: string }): string {
  return `${p.name}${p.arch ? `:${p.arch}` : ''}${p.version ? `=${p.version}` : ''}`;
}

const uniq = (xs: string[]) => [...new Set(xs)];

function chooseOutputs(ir: ImageIR, asked: OutputType[] | undefined): Output[] {
  if (asked?.length) return asked.map((type) => ir.outputs.find((o) => o.type === type) ?? { type });
  return ir.outputs.length ? ir.outputs : [{ type: 'directory' }];
}

export async function planBuild(request: PlanRequest): Promise<PlanResult> {
  const diagnostics: Diagnostic[] = [];
  const done = (plan?: BuildPlan): PlanResult => ({
    plan,
    diagnostics: locate(diagnostics, request.positions),
  });
  const { ir, host } = request;
  const options = request.options ?? {};

  const outputs = chooseOutputs(ir, request.outputs);
  for (const [i, o] of outputs.entries()) {
    const pointer = ir.outputs.indexOf(o) >= 0 ? `/outputs/${ir.outputs.indexOf(o)}` : undefined;
    const detail = notBuildableDetail(o);
    if (!buildableOutputs.includes(o.type)) {
      diagnostics.push(
        diag(
          buildCodes.unsupportedOutput,
          { type: o.type, known: buildableOutputs.join(', ') },
          {},
          pointer ? { pointer } : {},
        ),
      );
    }
    if (detail)
      diagnostics.push(
        diag(outputCodes.notBuildable, { type: o.type, detail }, {}, pointer ? { pointer } : {}),
      );
    void i;
  }

  const distroId = (ir.distribution.id ?? String(options.distro ?? '').split(':')[0] ?? '') || 'debian';
  const chosen = typeof options.backend === 'string' ? options.backend : undefined;
  const backend = chosen ? request.backends.get(chosen) : request.backends.forDistribution(distroId);
  if (!backend) {
    diagnostics.push(
      diag(
        buildCodes.noBackend,
        {
          distribution: distroId,
          known: request.backends
            .list()
            .map((b) => `${b.id} (${b.distributions.join(', ')})`)
            .join('; '),
        },
        {},
        { pointer: '/distribution/id' },
      ),
    );
    return done();
  }
  const resolved = await backend.resolveDistribution(ir, options, host);
  diagnostics.push(...resolved.diagnostics);
  const dist = resolved.distribution;
  if (!dist || hasErrors(diagnostics)) return done();

  const repoTypes: readonly string[] = backend.repositoryTypes ?? ['apt', 'apt-deb822'];
  let repositories = ir.repositories.filter((r) => !r.type || repoTypes.includes(r.type));
  for (const [i, r] of ir.repositories.entries()) {
    if (!repositories.includes(r)) {
      diagnostics.push(
        diag(
          buildCodes.fieldIgnored,
          { field: `repository ${r.id}`, reason: `type ${r.type} is not one of ${repoTypes.join(', ')}` },
          {},
          {
            pointer: `/repositories/${i}`,
            severity: 'warning',
          },
        ),
      );
    }
  }
  if (!repositories.length) {
    const defaults = await backend.defaultRepositories(dist, options, host);
    diagnostics.push(...defaults.diagnostics);
    repositories = defaults.repositories;
  }
  if (hasErrors(diagnostics)) return done();

  const bootable = outputs.some((o) => bootableOutputs.has(o.type));
  const bootPackages = bootable
    ? [
        ...(await backend.kernelPackages(dist, ir)),
        ...(await backend.initrdPackages(ir.system.initrd)),
        ...(await backend.bootloaderPackages(ir)),
      ]
    : [];
  const spec = backend.packageSpec ?? packageSpec;
  const packages = uniq([
    ...ir.packages.bootstrap.map(spec),
    ...ir.packages.install.map(spec),
    ...(await backend.systemPackages(ir)),
    ...bootPackages,
  ]);
  warnUnapplied(ir, diagnostics, backend.unappliedFields ? await backend.unappliedFields(ir) : undefined);

  const scriptsIn = (phases: ScriptPhase[]) =>
    ir.scripts.map((s, i) => ({ s, i })).filter(({ s }) => phases.includes(s.phase));
  const skeletons = ir.overlays.map((o, i) => ({ o, i })).filter(({ o }) => o.kind === 'skeleton');
  const separateInstall = skeletons.length > 0 || scriptsIn(['pre-packages']).length > 0;

  const drafts: StepDraft[] = [];
  for (const { s, i } of scriptsIn(['sync', 'pre-install']))
    drafts.push(await scriptDraft(s, i, request, diagnostics));
  const pkgSteps = await backend.planPackages({
    ir,
    distribution: dist,
    repositories,
    packages,
    bootstrapPackages: ir.packages.bootstrap.map(spec),
    bootable,
    separateInstall,
    options,
    sourceDir: request.sourceDir,
    host,
  });
  diagnostics.push(...pkgSteps.diagnostics);
  drafts.push(pkgSteps.bootstrap);
  if (separateInstall) {
    if (skeletons.length) {
      drafts.push(
        await writeFilesDraft(ir, request, diagnostics, {
          overlays: skeletons.map(({ i }) => i),
          only: true,
        }),
      );
    }
    for (const { s, i } of scriptsIn(['pre-packages']))
      drafts.push(await scriptDraft(s, i, request, diagnostics));
    if (pkgSteps.install) drafts.push(pkgSteps.install);
  }
  for (const { s, i } of scriptsIn(['prepare', 'build']))
    drafts.push(await scriptDraft(s, i, request, diagnostics));
  if (ir.packages.remove.length)
    drafts.push(
      await backend.planRemove(
        ir.packages.remove.map((p) => p.name),
        ['/packages/remove'],
      ),
    );

  drafts.push(systemDraft(ir));
  if (ir.accounts.users.length || ir.accounts.groups.length || ir.accounts.root)
    drafts.push(accountsDraft(ir));
  const svc = ir.system.services;
  if (svc.enable.length || svc.disable.length || svc.mask.length) {
    drafts.push({
      type: 'configure-services',
      title: `services: ${svc.enable.length} enabled, ${svc.disable.length} disabled, ${svc.mask.length} masked`,
      options: { enable: svc.enable, disable: svc.disable, mask: svc.mask },
      origin: ['/system/services'],
    });
  }
  const nonSkeleton = ir.overlays.map((o, i) => ({ o, i })).filter(({ o }) => o.kind !== 'skeleton');
  if (ir.files.length || ir.directories.length || ir.symlinks.length || nonSkeleton.length) {
    drafts.push(
      await writeFilesDraft(ir, request, diagnostics, {
        overlays: nonSkeleton.map(({ i }) => i),
        only: false,
      }),
    );
  }
  for (const { s, i } of scriptsIn(['post-install', 'finalize']))
    drafts.push(await scriptDraft(s, i, request, diagnostics));
  drafts.push({
    type: 'finalize',
    title: 'finalize the tree',
    options: { cleanPackageCache: true, resetMachineId: ir.system.machineId === undefined },
    origin: [],
  });
  if (hasErrors(diagnostics)) return done();
  markCachePoint(drafts);
  // after the cache point, so a live build starts from the same cached tree as a disk build
  const late: StepDraft[] = [];
  const live = await livePackageDraft(outputs, backend, ir, diagnostics);
  if (live) late.push(live);
  const initrd = bootable ? makeInitrdDraft(ir, request.sourceDateEpoch, diagnostics) : undefined;
  if (initrd) late.push(initrd);
  drafts.splice(drafts.length - 1, 0, ...late);
  if (hasErrors(diagnostics)) return done();

  const steps: PlanStep[] = [];
  let previous: string[] = [];
  for (const d of drafts) {
    const step = toStep(d, previous, backend);
    steps.push(step);
    previous = [step.id];
  }
  const treeId = previous;
  const name = ir.metadata?.name?.replace(/[^A-Za-z0-9._-]/g, '-') || 'image';
  const osFacts = { id: dist.id, ...(dist.versionId ? { versionId: dist.versionId } : {}) };
  for (const o of outputs) {
    const idx = ir.outputs.indexOf(o);
    const origin = idx >= 0 ? [`/outputs/${idx}`] : [];
    const stem = o.name ?? name;
    if (o.type === 'directory') {
      steps.push(
        toStep(
          { type: 'output-directory', title: `directory ${stem}`, options: { name: stem }, origin },
          treeId,
          backend,
        ),
      );
    } else if (o.type === 'tar') {
      const compression = tarCompression(o.compression ?? o.format);
      const ext = { none: '', gzip: '.gz', zstd: '.zst', xz: '.xz' }[compression];
      const opts: StepOptions<'output-tar'> = { name: `${stem}.tar${ext}`, compression };
      if (request.sourceDateEpoch !== undefined) opts.sourceDateEpoch = request.sourceDateEpoch;
      steps.push(
        toStep({ type: 'output-tar', title: `tar ${opts.name}`, options: opts, origin }, treeId, backend),
      );
    } else if (o.type === 'disk') {
      const diskFormats = ['raw', 'qcow2', 'vmdk', 'vhdx', 'vhd'] as const;
      const format = diskFormats.find((f) => f === o.format?.toLowerCase()) ?? 'raw';
      const opts: StepOptions<'assemble-disk'> = {
        name: `${stem}.${format}`,
        format,
        cmdline: ir.system.kernel.cmdline,
        os: osFacts,
      };
      if (ir.storage) opts.storage = ir.storage;
      if (ir.boot) opts.boot = ir.boot;
      steps.push(
        toStep({ type: 'assemble-disk', title: `disk ${opts.name}`, options: opts, origin }, treeId, backend),
      );
    } else {
      const drafts = outputStepDrafts({
        output: o,
        origin,
        stem,
        ir,
        distribution: dist,
        options,
        ...(request.sourceDateEpoch !== undefined ? { sourceDateEpoch: request.sourceDateEpoch } : {}),
        diagnostics,
      });
      for (const d of drafts) steps.push(toStep(d, treeId, backend));
    }
  }
  if (hasErrors(diagnostics)) return done();
  return done({
    planVersion: 1,
    backend: backend.id,
    distribution: { ...dist },
    outputs: outputs.map((o) => o.type),
    steps,
  });
}

/**
 * Besides the package steps, keep the tree right before the first step that copies host
 * files or runs the definition's scripts: those change most often, and everything before
 * them (packages, locale-gen, accounts) then comes from the cache.
 */
function markCachePoint(drafts: StepDraft[]) {
  const packagesDone = drafts.findLastIndex((d) => d.type === 'bootstrap' || d.type === 'install-packages');
  const volatile = drafts.findIndex(
    (d, i) => i > packagesDone && (d.type === 'write-files' || d.type === 'run-script'),
  );
  const point = (volatile < 0 ? drafts.length - 1 : volatile) - 1;
  if (point > packagesDone) drafts[point]!.cache = true;
}

function tarCompression(value: string | undefined): StepOptions<'output-tar'>['compression'] {
  const v = (value ?? 'none').toLowerCase();
  if (v.includes('zst')) return 'zstd';
  if (v.includes('xz')) return 'xz';
  if (v.includes('gz') || v.includes('gzip')) return 'gzip';
  return 'none';
}

function toStep(d: StepDraft, inputs: string[], backend: Backend): PlanStep {
  const executor = d.executor ?? (backend.executes.includes(d.type) ? `backend:${backend.id}` : 'core');
  return {
    id: stepId(d.type, d.options, inputs),
    type: d.type,
    title: d.title,
    executor,
    inputs,
    options: d.options as Record<string, unknown>,
    origin: d.origin,
    cache: d.cache ?? false,
  };
}

function systemDraft(ir: ImageIR): StepDraft<'configure-system'> {
  const s = ir.system;
  const options: StepOptions<'configure-system'> = {
    extraLocales: s.extraLocales ?? [],
    kernelCmdline: s.kernel.cmdline,
    ntpServers: s.ntpServers ?? [],
    caCertificates: s.caCertificates ?? [],
  };
  for (const k of ['hostname', 'locale', 'keymap', 'timezone', 'utc', 'machineId', 'rootShell'] as const) {
    if (s[k] !== undefined) (options as Record<string, unknown>)[k] = s[k];
  }
  return { type: 'configure-system', title: 'configure system', options, origin: ['/system'] };
}

function accountsDraft(ir: ImageIR): StepDraft<'configure-accounts'> {
  const a = ir.accounts;
  const options: StepOptions<'configure-accounts'> = {
    groups: a.groups.map((g) => ({ ...g })),
    users: a.users.map((u) => ({ ...u })),
  };
  if (a.root) options.root = { ...a.root };
  return {
    type: 'configure-accounts',
    title: `accounts: ${a.users.length} users, ${a.groups.length} groups`,
    options,
    origin: ['/accounts'],
  };
}

function resolveSource(request: PlanRequest, source: string): string {
  return isAbsolute(source) ? source : resolve(request.sourceDir, source);
}

async function scriptDraft(
  s: Script,
  index: number,
  request: PlanRequest,
  diagnostics: Diagnostic[],
): Promise<StepDraft<'run-script'>> {
  let body = s.body ?? '';
  if (s.source && !s.body) {
    try {
      body = await readFile(resolveSource(request, s.source), 'utf8');
    } catch (e) {
      diagnostics.push(
        diag(
          buildCodes.sourceMissing,
          { path: s.source, reason: (e as Error).message },
          {},
          { pointer: `/scripts/${index}/source` },
        ),
      );
    }
  }
  const name = s.name ?? s.source ?? `script ${index + 1}`;
  const shebang = /^#!\s*(\S+)/.exec(body)?.[1];
  return {
    type: 'run-script',
    title: `script ${name} (${s.phase}${s.chroot ? ', in the image' : ', on the host'})`,
    options: {
      name,
      phase: s.phase,
      chroot: s.chroot,
      interpreter: s.interpreter ?? shebang ?? '/bin/sh',
      body,
      onError: s.onError ?? 'fail',
      network: s.network ?? false,
    },
    origin: [`/scripts/${index}`],
  };
}

async function writeFilesDraft(
  ir: ImageIR,
  request: PlanRequest,
  diagnostics: Diagnostic[],
  select: { overlays: number[]; only: boolean },
): Promise<StepDraft<'write-files'>> {
  type Entry = StepOptions<'write-files'>['entries'][number];
  const entries: Entry[] = [];
  const origin: string[] = [];
  const missing = (pointer: string, path: string, e: unknown) =>
    diagnostics.push(diag(buildCodes.sourceMissing, { path, reason: (e as Error).message }, {}, { pointer }));
  const owner = (x: { mode?: string; user?: string | number; group?: string | number }) => {
    const o: Partial<Entry> = {};
    if (x.mode !== undefined) o.mode = x.mode;
    if (x.user !== undefined) o.user = x.user;
    if (x.group !== undefined) o.group = x.group;
    return o;
  };
  if (!select.only) {
    for (const [i, d] of ir.directories.entries()) {
      entries.push({ kind: 'directory', path: d.path, ...owner(d) });
      origin.push(`/directories/${i}`);
    }
    for (const [i, f] of ir.files.entries()) {
      const entry: Entry = { kind: 'file', path: f.path, ...owner(f) };
      if (f.content !== undefined) entry.content = Buffer.from(f.content, 'utf8').toString('base64');
      else if (f.contentBase64 !== undefined) entry.content = f.contentBase64;
      else if (f.source !== undefined) {
        entry.source = resolveSource(request, f.source);
        try {
          entry.digest = await fileDigest(entry.source);
        } catch (e) {
          missing(`/files/${i}/source`, f.source, e);
        }
      } else entry.content = '';
      entries.push(entry);
      origin.push(`/files/${i}`);
    }
    for (const [i, l] of ir.symlinks.entries()) {
      entries.push({ kind: 'symlink', path: l.path, target: l.target });
      origin.push(`/symlinks/${i}`);
    }
  }
  for (const i of select.overlays) {
    const o = ir.overlays[i]!;
    if (o.kind === 'package-manager') {
      diagnostics.push(
        diag(
          buildCodes.fieldIgnored,
          {
            field: `overlay ${o.source}`,
            reason: 'package-manager overlays configure build tools imgc does not use',
          },
          {},
          {
            pointer: `/overlays/${i}`,
            severity: 'warning',
          },
        ),
      );
      continue;
    }
    const source = resolveSource(request, o.source);
    let kind: Entry['kind'] = o.kind === 'archive' ? 'archive' : 'overlay';
    let digest: string | undefined;
    try {
      const info = await stat(source);
      if (!info.isDirectory()) kind = 'archive';
      digest = info.isDirectory() ? await treeDigest(source) : await fileDigest(source);
    } catch (e) {
      missing(`/overlays/${i}/source`, o.source, e);
    }
    const entry: Entry = { kind, path: o.destination ?? '/', source };
    if (digest) entry.digest = digest;
    entries.push(entry);
    origin.push(`/overlays/${i}`);
  }
  const title = select.only
    ? `skeleton overlays (${entries.length})`
    : `write ${entries.length} files and trees`;
  return { type: 'write-files', title, options: { entries }, origin };
}

/** `familyWarnings`: the backend's own answer for the family-specific fields, replacing apt's. */
function warnUnapplied(ir: ImageIR, diagnostics: Diagnostic[], familyWarnings?: Diagnostic[]) {
  const ignore = (pointer: string, field: string, reason: string): void => {
    diagnostics.push(diag(buildCodes.fieldIgnored, { field, reason }, {}, { pointer, severity: 'warning' }));
  };
  if (familyWarnings) diagnostics.push(...familyWarnings);
  else warnAptFamily(ir, ignore);
  if (ir.packages.build.length)
    ignore('/packages/build', 'packages.build', 'build-only packages are not installed into the image');
  if (ir.containers.length)
    ignore('/containers', 'containers', 'embedding container images is not implemented');
  ir.scripts.forEach((s, i) => {
    if (
      ['pre-disk', 'disk', 'post-output', 'first-boot', 'on-error', 'traceback', 'clean'].includes(s.phase)
    ) {
      ignore(
        `/scripts/${i}`,
        `script ${s.name ?? i + 1} (${s.phase})`,
        'this phase is not run by imgc build yet',
      );
    }
  });
}

function warnAptFamily(ir: ImageIR, ignore: (pointer: string, field: string, reason: string) => void) {
  ir.packages.groups.forEach((g, i) => {
    ignore(
      `/packages/groups/${i}`,
      `package group ${g.name}`,
      'apt has no package groups; list the packages (or a task-* package)',
    );
  });
  for (const [i, m] of ir.packages.modules.entries()) {
    ignore(`/packages/modules/${i}`, `module ${m.name}`, 'apt has no module streams');
  }
  if (ir.system.selinux)
    ignore('/system/selinux', 'system.selinux', 'the Debian backend does not configure SELinux');
  if (ir.system.firewall)
    ignore('/system/firewall', 'system.firewall', 'the Debian backend does not configure a firewall');
  if (ir.system.fips) ignore('/system/fips', 'system.fips', 'no FIPS mode on Debian');
  ir.repositories.forEach((r, i) => {
    if (r.usage && r.usage !== 'build-and-image')
      ignore(
        `/repositories/${i}/usage`,
        `repository ${r.id} usage`,
        'every build repository is also configured in the image',
      );
  });
}
