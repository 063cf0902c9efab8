/**
 * Conformance over ../shared/corpus/kickstart against values recorded from pykickstart 3.74
 * (kickstart-golden.json, made by kickstart-oracle/oracle.py): every top-level kickstart
 * (fragments excluded) is loaded as `imgc inspect` loads it (detection, reading, IR schema
 * check) with the version pykickstart was run with; none may crash;
 * ≥ 98 % of those pykickstart accepts must read without errors; includes must resolve to the
 * files pykickstart read; the values the issue names, and a wider set (partitions, volumes,
 * RAID, scripts, root password, keymap, SELinux, firewall, clearpart, autopart, url/repo
 * sources, users), must each agree for ≥ 95 %; and
 * kickstart → IR → kickstart → IR must be identical for every file that lowers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { KickstartExtension } from '../../src/formats/kickstart/extension.js';
import { kickstartFormat } from '../../src/formats/kickstart/format.js';
import { loadSource } from '../../src/formats/kickstart/read/source.js';
import { moduleText } from '../../src/formats/kickstart/vocabulary.js';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { writeOutputFiles } from '../../src/formats/write-files.js';
import { normalizeIr } from '../../src/ir/normalize.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { validateIr } from '../../src/ir/validate.js';
import { corpusDir, corpusMissingMessage, readManifest } from '../helpers/shared.js';

interface GoldenValues {
  packages: string[];
  groups: string[];
  environment: string | null;
  excludedPackages: string[];
  excludedGroups: string[];
  lang: string | null;
  timezone: string | null;
  hostname: string | null;
  servicesEnabled: string[];
  bootloaderAppend: string | null;
  repoNames: string[];
  userNames: string[];
}

/** More of what pykickstart read (oracle.py `extended`), compared field by field. */
type Extended = Record<string, unknown>;

interface GoldenFile {
  version: string;
  includePath: string[];
  accepted: boolean;
  errors: number;
  filesRead: string[];
  runtimeIncludes: string[];
  values?: GoldenValues;
  extended?: Extended;
}

const golden = JSON.parse(readFileSync(join(import.meta.dirname, 'kickstart-golden.json'), 'utf8')) as {
  files: Record<string, GoldenFile>;
};
const dir = corpusDir('kickstart');
const registry = new FormatRegistry();

/** The same values, taken from the IR. */
function valuesOf(ir: ImageIR): GoldenValues {
  const ext = (ir.extensions.kickstart ?? {}) as KickstartExtension;
  const pk = ir.packages;
  return {
    packages: pk.install.map((p) => p.name).sort(),
    groups: [
      ...pk.groups.filter((g) => !g.exclude && g.kind !== 'environment').map((g) => g.name),
      ...pk.modules.filter((m) => m.state === 'installed').map(moduleText),
    ].sort(),
    environment: pk.groups.find((g) => g.kind === 'environment')?.name ?? null,
    excludedPackages: pk.exclude.map((p) => p.name).sort(),
    excludedGroups: pk.groups
      .filter((g) => g.exclude)
      .map((g) => g.name)
      .sort(),
    lang: ir.system.locale ?? null,
    timezone: ir.system.timezone ?? null,
    hostname: ir.system.hostname ?? null,
    servicesEnabled: ir.system.services.enable,
    bootloaderAppend: ir.system.kernel.cmdline.length > 0 ? ir.system.kernel.cmdline.join(' ') : null,
    repoNames: ir.repositories.filter((r) => r.id !== ext.installSource).map((r) => r.id),
    userNames: ir.accounts.users.map((u) => u.name),
  };
}

const MIB = 1048576;
const mib = (bytes: number | undefined) => (bytes === undefined ? null : bytes / MIB);
const SCRIPT_TYPES: Record<string, number> = {
  'pre-install': 0,
  'post-install': 1,
  traceback: 2,
  'pre-packages': 3,
  'on-error': 4,
};
const SELINUX: Record<string, number> = { disabled: 0, enforcing: 1, permissive: 2 };
const CLEARPART: Record<string, number> = { linux: 0, all: 1, none: 2 };
const AUTOPART: Record<string, number> = { plain: 0, btrfs: 1, lvm: 2, thinp: 3 };

/** The `extended` values, taken from the IR; extension data stands in where the IR has no field. */
function extendedOf(ir: ImageIR): Extended {
  const ext = (ir.extensions.kickstart ?? {}) as KickstartExtension;
  const refs = ext.refs ?? {};
  const opts = ext.options ?? {};
  const st = ir.storage;
  const kept = (ptr: string, name: string) =>
    opts[ptr]?.some((o) => o === name || o.startsWith(`${name}=`)) ?? false;
  const keptValue = (ptr: string, name: string) =>
    opts[ptr]?.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1) ?? null;
  const root = ir.accounts.root;
  const fw = ir.system.firewall;
  const url = ir.repositories.find((r) => r.id === ext.installSource);
  const keptType = keptValue('/storage/mode', '--type');
  const autopartType =
    st?.mode === 'auto-lvm'
      ? 2
      : st?.mode === 'btrfs'
        ? 1
        : keptType !== null
          ? AUTOPART[keptType]
          : kept('/storage/mode', '--nolvm')
            ? 0
            : null;
  return {
    partitions: (st?.partitions ?? []).map((p, i) => {
      const ptr = `/storage/partitions/${i}`;
      const mnt = refs[ptr] ?? p.mountpoint ?? 'swap';
      return {
        mnt,
        size: mib(p.size?.min),
        maxsize: mib(p.size?.max),
        fstype: p.filesystem ?? null,
        grow: p.grow === true,
        // a btrfs member's label is the volume's (btrfs --label), not the partition's
        label: p.subvolumes ? null : (p.fsLabel ?? null),
        ondisk: p.onDisk ?? null,
      };
    }),
    logvols: (st?.volumeGroups ?? []).flatMap((vg, i) =>
      vg.logicalVolumes.map((lv, j) => {
        const mnt = refs[`/storage/volumeGroups/${i}/logicalVolumes/${j}`] ?? lv.mountpoint ?? 'swap';
        return {
          mnt,
          vg: vg.name,
          name: lv.name,
          size: mib(lv.size?.min),
          fstype: lv.filesystem ?? null,
          grow: lv.grow === true,
        };
      }),
    ),
    volgroups: (st?.volumeGroups ?? []).map((vg) => ({ name: vg.name, pvs: vg.physicalVolumes ?? [] })),
    raids: (st?.raid ?? []).map((r, i) => ({
      device: r.name,
      level: r.level === '' ? null : r.level,
      members: r.members,
      mnt: refs[`/storage/raid/${i}`] ?? r.mountpoint ?? 'swap',
    })),
    scripts: ir.scripts.map((s) => ({
      type: SCRIPT_TYPES[s.phase],
      chroot: s.chroot,
      interp: s.interpreter ?? '/bin/sh',
      errorOnFail: s.onError === 'fail',
      log: s.log ?? null,
      body: (s.body ?? '').trim(),
    })),
    rootpw:
      root && (root.password || opts['/accounts/root'])
        ? {
            crypted: root.password?.hash !== undefined,
            lock: root.password?.locked === true,
            password: root.password?.hash ?? root.password?.plain ?? null,
          }
        : null,
    keymap: ir.system.keymap ?? null,
    selinux: ir.system.selinux === undefined ? null : SELINUX[ir.system.selinux],
    firewall: fw
      ? {
          enabled: fw.enabled ?? true,
          services: [...fw.services.enable].sort(),
          ports: fw.ports.map((p) => p.replace('/', ':')).sort(),
        }
      : null,
    clearpart: opts['/storage/clear']
      ? {
          type:
            st?.clear?.scope === undefined
              ? kept('/storage/clear', '--list')
                ? 3
                : null
              : CLEARPART[st.clear.scope],
          initAll: st?.clear?.initLabel === true,
          disklabel:
            st?.partitionTable === undefined
              ? keptValue('/storage/clear', '--disklabel')
              : st.partitionTable === 'gpt'
                ? 'gpt'
                : 'msdos',
          drives: st?.clear?.drives ?? [],
        }
      : null,
    zerombr: st?.clear?.zeroMbr === true,
    autopart: st?.mode && st.mode !== 'explicit' ? { type: autopartType } : null,
    utc: ir.system.utc === true,
    servicesDisabled: ir.system.services.disable,
    url: url
      ? { url: url.urls[0] ?? null, mirrorlist: url.mirrorlist ?? null, metalink: url.metalink ?? null }
      : null,
    repos: ir.repositories
      .filter((r) => r.id !== ext.installSource)
      .map((r) => ({
        name: r.id,
        baseurl: r.urls[0] ?? null,
        mirrorlist: r.mirrorlist ?? null,
        metalink: r.metalink ?? null,
      })),
    users: ir.accounts.users.map((u) => ({
      name: u.name,
      groups: u.groups,
      uid: u.uid ?? null,
      crypted: u.password?.hash !== undefined,
      lock: u.password?.locked === true,
    })),
  };
}

function comparable(v: GoldenValues): GoldenValues {
  const append = v.bootloaderAppend?.split(/\s+/).filter(Boolean).join(' ');
  return { ...v, bootloaderAppend: append ? append : null };
}

describe('kickstart corpus', () => {
  if (!dir) {
    console.warn(corpusMissingMessage('kickstart'));
    it.skip('corpus absent', () => {});
    return;
  }
  const topLevel = readManifest('kickstart').filter((r) => !/fragment/.test(r.purpose ?? ''));

  it('reads, agrees with pykickstart and round-trips every top-level kickstart', async () => {
    const counts = {
      files: topLevel.length,
      parsed: 0,
      clean: 0,
      withErrors: 0,
      crashes: 0,
      pykickstartAccepts: 0,
      acceptedAndClean: 0,
      pykickstartRejects: 0,
      rejectedWithError: 0,
      includesCompared: 0,
      includesAgree: 0,
      valuesCompared: 0,
      valuesAgree: 0,
      extendedCompared: 0,
      extendedAgree: 0,
      lowered: 0,
      invalidIr: 0,
      roundTrips: 0,
    };
    const fieldMisses: Record<string, number> = {};
    const extendedMisses: Record<string, number> = {};
    const failures: string[] = [];
    for (const row of topLevel) {
      const staged = row.staged_path!;
      const g = golden.files[staged];
      expect(g, `${staged} has golden values`).toBeDefined();
      const options = {
        ksVersion: g!.version,
        includePath: g!.includePath.map((d) => join(dir, d)).join(':'),
      };
      const file = join(dir, staged);
      let result: Awaited<ReturnType<typeof loadDefinition>>;
      try {
        // what `imgc inspect` does: detect the format, read, lower, check the IR against its schema
        result = await loadDefinition(registry, file, { options });
      } catch (e) {
        counts.crashes++;
        failures.push(`CRASH ${staged}: ${String(e)}`);
        continue;
      }
      if (result.format?.id !== 'kickstart') failures.push(`DETECTED ${staged} as ${result.format?.id}`);
      if (result.diagnostics.some((d) => d.code === 'IMGC1009')) {
        counts.crashes++;
        failures.push(`CRASH ${staged}: ${result.diagnostics.find((d) => d.code === 'IMGC1009')!.message}`);
        continue;
      }
      counts.parsed++;
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      const clean = errors.length === 0 && result.ir !== undefined;
      if (clean) counts.clean++;
      else counts.withErrors++;
      for (const e of errors) {
        if (!(e.line && e.column)) failures.push(`UNPOSITIONED ${staged}: ${e.code} ${e.message}`);
      }
      if (g!.accepted) {
        counts.pykickstartAccepts++;
        if (clean) counts.acceptedAndClean++;
        else failures.push(`REJECTED ${staged}: ${errors.map((e) => `${e.line}: ${e.message}`).join('; ')}`);
        // pykickstart's list is the main file and the %include files; %ksappend is a pre-pass it does not list.
        const source = loadSource(file, { includePath: options.includePath.split(':') });
        const included = source.files
          .filter((f) => !source.appended.includes(f))
          .map((f) => relative(dir, f));
        counts.includesCompared++;
        if (isDeepStrictEqual([...new Set(included)].sort(), [...new Set(g!.filesRead)].sort()))
          counts.includesAgree++;
        else failures.push(`INCLUDES ${staged}: ${g!.filesRead.join(', ')} vs ${included.join(', ')}`);
      } else {
        counts.pykickstartRejects++;
        if (!clean) counts.rejectedWithError++;
      }
      if (g!.values && result.ir) {
        counts.valuesCompared++;
        const mine = valuesOf(result.ir);
        const theirs = comparable(g!.values);
        const differing = (Object.keys(theirs) as (keyof GoldenValues)[]).filter(
          (k) => JSON.stringify(mine[k]) !== JSON.stringify(theirs[k]),
        );
        if (differing.length === 0) counts.valuesAgree++;
        const mineExt = extendedOf(result.ir);
        const theirsExt = { ...g!.extended };
        // a swap partition without --fstype is swap in the IR (pykickstart leaves the type empty),
        // and Anaconda's `efi` type is vfat
        const swapType = <T extends { mnt: string; fstype: string | null }>(p: T) => ({
          ...p,
          fstype: p.fstype === 'efi' ? 'vfat' : (p.fstype ?? (p.mnt === 'swap' ? 'swap' : null)),
        });
        // imgc keeps the last definition of a mount point (livemedia-creator's rule); pykickstart keeps all
        const parts = theirsExt.partitions as { mnt: string; fstype: string | null; maxsize: number }[];
        theirsExt.partitions = parts
          .filter((p, i) => !p.mnt.startsWith('/') || !parts.slice(i + 1).some((q) => q.mnt === p.mnt))
          .map((p) => ({ ...swapType(p), maxsize: p.maxsize || null }));
        theirsExt.logvols = (theirsExt.logvols as { mnt: string; fstype: string | null }[]).map(swapType);
        // imgc spells RAID levels one way (raid1); pykickstart keeps what was written (RAID1, 1)
        theirsExt.raids = (theirsExt.raids as { level: string | null }[]).map((r) => ({
          ...r,
          level: r.level === null ? null : /^\d+$/.test(r.level) ? `raid${r.level}` : r.level.toLowerCase(),
        }));
        const extDiffering = Object.keys(theirsExt).filter(
          (k) => !isDeepStrictEqual(mineExt[k], theirsExt[k]),
        );
        counts.extendedCompared++;
        if (extDiffering.length === 0) counts.extendedAgree++;
        for (const k of extDiffering) {
          extendedMisses[k] = (extendedMisses[k] ?? 0) + 1;
          failures.push(
            `EXTENDED ${staged} ${k}: ${JSON.stringify(mineExt[k]).slice(0, 300)} vs ${JSON.stringify(theirsExt[k]).slice(0, 300)}`,
          );
        }
        for (const k of differing) {
          fieldMisses[k] = (fieldMisses[k] ?? 0) + 1;
          failures.push(`VALUE ${staged} ${k}: ${JSON.stringify(mine[k])} vs ${JSON.stringify(theirs[k])}`);
        }
      }
      if (result.ir) {
        counts.lowered++;
        const invalid = validateIr(result.ir);
        if (invalid.length > 0) {
          counts.invalidIr++;
          failures.push(
            `INVALID-IR ${staged}: ${invalid.map((e) => `${e.pointer} ${e.message}`).join('; ')}`,
          );
        }
        const out = mkdtempSync(join(tmpdir(), 'imgc-ks-rt-'));
        try {
          const written = await kickstartFormat.writer!.write(result.ir, { options });
          await writeOutputFiles(out, written.files);
          const reread = await kickstartFormat.reader!.read(out, { options });
          if (reread.ir && isDeepStrictEqual(normalizeIr(reread.ir), normalizeIr(result.ir))) {
            counts.roundTrips++;
          } else failures.push(`ROUND-TRIP ${staged}`);
        } finally {
          rmSync(out, { recursive: true, force: true });
        }
      }
    }
    console.log(
      'kickstart corpus:',
      JSON.stringify(counts),
      'value misses by field:',
      JSON.stringify(fieldMisses),
    );
    if (failures.length > 0) console.log(failures.join('\n'));
    expect(counts.crashes).toBe(0);
    expect(counts.parsed).toBe(counts.files);
    expect(counts.acceptedAndClean / counts.pykickstartAccepts).toBeGreaterThanOrEqual(0.98);
    expect(counts.valuesAgree / counts.valuesCompared).toBeGreaterThanOrEqual(0.95);
    expect(counts.extendedAgree / counts.extendedCompared).toBeGreaterThanOrEqual(0.95);
    expect(counts.includesAgree).toBe(counts.includesCompared);
    expect(counts.roundTrips).toBe(counts.lowered);
    expect(counts.invalidIr).toBe(0);
    expect(failures.filter((f) => f.startsWith('UNPOSITIONED') || f.startsWith('DETECTED'))).toEqual([]);
  }, 120_000);
});
