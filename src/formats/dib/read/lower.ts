/** An expanded element list → IR: packages, scripts, static trees, distribution; the rest as dib extension data. */
import { join, relative } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { refineId } from '../../../ir/distribution.js';
import { emptyIr } from '../../../ir/empty.js';
import type { PositionTable, SourcePosition } from '../../../ir/positions.js';
import type { ImageIR, PackageRef } from '../../../ir/schema.js';
import { dibCodes } from '../codes.js';
import { type DibExtension, EXTENSION_ID } from '../extension.js';
import { distroOfElement, PHASES, releaseOf, unameArch } from '../vocabulary.js';
import { lowerBlockDevice } from './block-device.js';
import { type ElementContent, readElement } from './element.js';
import { type Known, resolveEnvironment } from './environment.js';
import { type ElementRef, type Expansion, expandElements, findElements } from './expand.js';
import { type Context, decide, mapName } from './packages.js';
import { parseDibYaml } from './yaml.js';

export interface ListInput {
  /** the elements asked for, each where it was asked */
  asked: { name: string; at: SourcePosition }[];
  searchPath: string[];
  /** variables the image list sets */
  given: Map<string, Known>;
  /** packages the image list adds */
  extraPackages: { name: string; at: SourcePosition }[];
  /** --arch (-O arch) */
  archFlag?: string;
  /** where the definition is: script and tree sources are relative to it */
  sourceDir: string;
  /** where notes about the whole list point */
  at: SourcePosition;
}

export interface Lowered {
  ir: ImageIR;
  positions: PositionTable;
  diagnostics: Diagnostic[];
  files: string[];
  expansion: Expansion;
}

export function lowerElementList(input: ListInput): Lowered {
  const ir = emptyIr();
  const positions: PositionTable = {};
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const { found } = findElements(input.searchPath);
  const expansion = expandElements(
    input.asked.map((a) => a.name),
    found,
  );
  const askedAt = new Map(input.asked.map((a) => [a.name, a.at]));
  const pathText = input.searchPath.join(':') || '(empty)';
  for (const m of expansion.missing)
    diagnostics.push(
      diag(
        dibCodes.elementMissing,
        { element: m.name, path: pathText },
        m.at ?? askedAt.get(m.name) ?? input.at,
      ),
    );
  for (const c of expansion.conflicts)
    diagnostics.push(
      diag(
        dibCodes.alreadyProvided,
        { what: c.what, by: c.by.join(', ') },
        c.at ?? askedAt.get(c.what) ?? input.at,
      ),
    );

  const contents = new Map<string, ElementContent>();
  for (const el of expansion.elements) {
    const content = readElement(el.dir);
    contents.set(el.name, content);
    appendAll(diagnostics, content.diagnostics);
  }
  const envFiles = expansion.elements.flatMap((el) =>
    contents
      .get(el.name)!
      .environment.map((f) => ({ element: el.name, name: f.name, file: f.file, parsed: f.parsed })),
  );
  for (const f of envFiles) {
    files.push(f.file);
    if (f.parsed.logicAt)
      diagnostics.push(
        diag(
          dibCodes.environmentLogic,
          { what: `environment.d/${f.name} of ${f.element}` },
          f.parsed.logicAt,
        ),
      );
  }
  const env = resolveEnvironment(envFiles, input.given);

  const distro = distributionOf(expansion, found, env, ir, positions, diagnostics, input.at);
  const arch = architectureOf(input.archFlag, env, ir, positions, diagnostics);
  const ext: DibExtension = {
    asked: input.asked.map((a) => a.name),
    elements: expansion.elements.map((e) => e.name),
  };
  if (expansion.missing.length) ext.missing = expansion.missing.map((m) => m.name);

  lowerPackages(expansion.elements, contents, { env, arch, distro }, ir, positions, diagnostics, ext);
  input.extraPackages.forEach((p) => {
    positions[`/packages/install/${ir.packages.install.length}`] = p.at;
    ir.packages.install.push({ name: p.name });
  });
  lowerScripts(expansion.elements, contents, input.sourceDir, ir, positions, diagnostics);
  const blockDeviceElement = expansion.provided.get('block-device')?.[0];
  lowerRest(
    expansion.elements,
    contents,
    env,
    arch,
    blockDeviceElement,
    input.sourceDir,
    ir,
    positions,
    diagnostics,
    ext,
  );

  const known = Object.fromEntries(
    [...env.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v.value]),
  );
  if (Object.keys(known).length) ext.environment = known;
  ir.extensions[EXTENSION_ID] = ext;
  appendAll(
    files,
    expansion.elements.map((e) => e.dir),
  );
  return { ir, positions, diagnostics, files: files.filter(Boolean), expansion };
}

function distributionOf(
  expansion: Expansion,
  found: ReadonlyMap<string, ElementRef>,
  env: ReadonlyMap<string, Known>,
  ir: ImageIR,
  positions: PositionTable,
  diagnostics: Diagnostic[],
  at: SourcePosition,
): Context['distro'] {
  const providers = expansion.provided.get('operating-system') ?? [];
  const osElement = providers[0];
  if (!osElement) {
    diagnostics.push(
      diag(
        dibCodes.noOperatingSystem,
        { elements: expansion.elements.map((e) => e.name).join(' ') || 'none' },
        at,
      ),
    );
    return undefined;
  }
  const where = found.get(osElement)!.provides.find((p) => p.name === 'operating-system')!.at;
  const known = distroOfElement(osElement);
  if (!known) {
    diagnostics.push(diag(dibCodes.distroElementUnknown, { element: osElement }, where));
    return undefined;
  }
  const rel = env.get('DIB_RELEASE');
  const release = rel ? releaseOf(known.id, rel.value) : undefined;
  const id = refineId(known.id, release);
  ir.distribution.id = id;
  positions['/distribution/id'] = where;
  if (release) {
    ir.distribution.release = release;
    positions['/distribution/release'] = rel!.at;
  } else diagnostics.push(diag(dibCodes.releaseUnknown, { element: osElement }, where));
  const how = `element ${osElement} provides operating-system${
    rel
      ? `; release from DIB_RELEASE=${rel.value} (${rel.from === 'image' ? 'set by the image list' : `set in environment.d of ${rel.from}`}, ${rel.at.file}:${rel.at.line})`
      : ''
  }`;
  diagnostics.push(
    diag(dibCodes.distribution, { distro: [id, release].filter(Boolean).join(' '), how }, where, {
      pointer: '/distribution',
    }),
  );
  return { id: known.id, family: known.family, ...(release ? { release: rel!.value } : {}) };
}

function architectureOf(
  flag: string | undefined,
  env: ReadonlyMap<string, Known>,
  ir: ImageIR,
  positions: PositionTable,
  diagnostics: Diagnostic[],
): string | undefined {
  if (flag) return unameArch(flag) ?? flag;
  const set = env.get('ARCH');
  if (!set) return undefined;
  const arch = unameArch(set.value) ?? set.value;
  ir.distribution.architecture = arch;
  positions['/distribution/architecture'] = set.at;
  diagnostics.push(
    diag(dibCodes.distribution, { distro: `architecture ${arch}`, how: `ARCH=${set.value}` }, set.at),
  );
  return arch;
}

function lowerPackages(
  elements: readonly ElementRef[],
  contents: ReadonlyMap<string, ElementContent>,
  base: Omit<Context, 'element'>,
  ir: ImageIR,
  positions: PositionTable,
  diagnostics: Diagnostic[],
  ext: DibExtension,
): void {
  const details = new Map<string, NonNullable<DibExtension['packageDetails']>[string]>();
  const conditional: NonNullable<DibExtension['conditionalPackages']> = [];
  for (const el of elements) {
    const content = contents.get(el.name)!;
    const undecided: { name: string; why: string; at: SourcePosition }[] = [];
    const seen = new Set<string>();
    for (const spec of content.packages) {
      const d = decide(spec, { ...base, element: el.name });
      if ('undecided' in d) {
        undecided.push({ name: spec.name, why: d.undecided, at: spec.at });
        continue;
      }
      if (!d.install || seen.has(spec.name)) continue;
      const mapped = mapName(spec.name, content.pkgMap, base.distro);
      if ('undecided' in mapped) {
        undecided.push({ name: spec.name, why: mapped.undecided, at: spec.at });
        continue;
      }
      seen.add(spec.name);
      if (!mapped.name) {
        diagnostics.push(
          diag(
            dibCodes.packageUnmapped,
            { name: spec.name, distro: base.distro?.id ?? 'the default' },
            spec.at,
          ),
        );
        continue;
      }
      const list: PackageRef[] = spec.uninstall
        ? ir.packages.remove
        : spec.buildOnly
          ? ir.packages.build
          : ir.packages.install;
      const key = spec.uninstall ? 'remove' : spec.buildOnly ? 'build' : 'install';
      for (const name of mapped.name.split(/\s+/).filter(Boolean)) {
        positions[`/packages/${key}/${list.length}`] = spec.at;
        list.push({ name });
        details.set(name, {
          element: el.name,
          ...(spec.phase ? { phase: spec.phase } : {}),
          ...(name !== spec.name ? { mappedFrom: spec.name } : {}),
        });
      }
    }
    if (undecided.length) {
      const whys = [...new Set(undecided.map((u) => u.why))].join('; ');
      diagnostics.push(
        diag(
          dibCodes.undecided,
          { count: undecided.length, names: undecided.map((u) => u.name).join(', '), why: whys },
          undecided[0]!.at,
        ),
      );
      appendAll(
        conditional,
        undecided.map((u) => ({ element: el.name, name: u.name, why: u.why })),
      );
    }
  }
  if (details.size) ext.packageDetails = Object.fromEntries(details);
  if (conditional.length) ext.conditionalPackages = conditional;
}

/** Phase scripts in disk-image-create's order: phase by phase, by script name over all elements. */
function lowerScripts(
  elements: readonly ElementRef[],
  contents: ReadonlyMap<string, ElementContent>,
  sourceDir: string,
  ir: ImageIR,
  positions: PositionTable,
  diagnostics: Diagnostic[],
): void {
  for (const phase of PHASES) {
    const scripts = elements
      .flatMap((el) => contents.get(el.name)!.scripts.filter((s) => s.dir === phase.dir))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const s of scripts) {
      positions[`/scripts/${ir.scripts.length}`] = { file: s.file, line: 1, column: 1 };
      ir.scripts.push({
        name: s.name,
        phase: phase.phase,
        chroot: phase.chroot,
        source: relative(sourceDir, s.file),
      });
    }
  }
  for (const el of elements) {
    const scripts = contents.get(el.name)!.scripts;
    if (!scripts.length) continue;
    const phases = [...new Set(scripts.map((s) => s.dir))].join(', ');
    diagnostics.push(
      diag(
        dibCodes.scriptsNeedDib,
        { element: el.name, count: scripts.length, phases },
        { file: scripts[0]!.file, line: 1, column: 1 },
      ),
    );
  }
}

function lowerRest(
  elements: readonly ElementRef[],
  contents: ReadonlyMap<string, ElementContent>,
  env: ReadonlyMap<string, Known>,
  arch: string | undefined,
  provider: string | undefined,
  sourceDir: string,
  ir: ImageIR,
  positions: PositionTable,
  diagnostics: Diagnostic[],
  ext: DibExtension,
): void {
  const installStatic = elements.some((e) => e.name === 'install-static');
  const other: string[] = [];
  const blockDevice: NonNullable<DibExtension['blockDevice']> = [];
  for (const el of elements) {
    const content = contents.get(el.name)!;
    const note = (what: string, file: string) =>
      diagnostics.push(diag(dibCodes.notCarried, { what }, { file, line: 1, column: 1 }));
    if (content.hasStatic) {
      const dir = join(el.dir, 'static');
      if (installStatic) {
        positions[`/overlays/${ir.overlays.length}`] = { file: dir, line: 1, column: 1 };
        ir.overlays.push({ source: relative(sourceDir, dir), destination: '/', kind: 'extra' });
      } else {
        other.push(`${el.name}/static`);
        note(`static/ of ${el.name} (copied only with the install-static element)`, dir);
      }
    }
    for (const b of content.blockDevice)
      blockDevice.push({ from: relative(sourceDir, b.file), config: b.config });
    for (const o of content.other) {
      other.push(`${el.name}/${o.entry}`);
      note(`${o.entry} of ${el.name}`, o.file);
    }
  }
  const inline = env.get('DIB_BLOCK_DEVICE_CONFIG');
  if (inline) blockDevice.push({ from: 'DIB_BLOCK_DEVICE_CONFIG', config: inline.value });
  const used = lowerStorage(
    elements,
    contents,
    inline,
    arch,
    provider,
    sourceDir,
    ir,
    positions,
    diagnostics,
  );
  for (const el of elements)
    for (const b of contents.get(el.name)!.blockDevice)
      if (b.file !== used)
        diagnostics.push(
          diag(
            dibCodes.notCarried,
            {
              what: `block-device configuration ${relative(el.dir, b.file)} of ${el.name} (not the one disk-image-create uses)`,
            },
            { file: b.file, line: 1, column: 1 },
          ),
        );
  if (other.length) ext.other = other;
  if (blockDevice.length) ext.blockDevice = blockDevice;
}

/**
 * The disk layout, from the configuration disk-image-create would use: DIB_BLOCK_DEVICE_CONFIG,
 * else the block-device-<ARCH>.yaml or block-device-default.yaml of the element that provides
 * block-device. With neither the IR has no storage (dib's built-in one-partition layout is not assumed).
 */
function lowerStorage(
  elements: readonly ElementRef[],
  contents: ReadonlyMap<string, ElementContent>,
  inline: Known | undefined,
  arch: string | undefined,
  provider: string | undefined,
  sourceDir: string,
  ir: ImageIR,
  positions: PositionTable,
  diagnostics: Diagnostic[],
): string | undefined {
  let chosen: { config: unknown; positions: PositionTable; from: string; at: SourcePosition } | undefined;
  if (inline) {
    if (inline.value.startsWith('file://')) {
      diagnostics.push(
        diag(
          dibCodes.storageNotCarried,
          { what: `DIB_BLOCK_DEVICE_CONFIG=${inline.value} (a file outside the elements)` },
          inline.at,
        ),
      );
      return;
    }
    const parsed = parseDibYaml(inline.value, inline.at.file);
    if (!parsed.ok) {
      diagnostics.push(
        diag(dibCodes.malformed, { what: 'DIB_BLOCK_DEVICE_CONFIG', detail: parsed.message }, inline.at),
      );
      return;
    }
    const at: PositionTable = {};
    for (const k of Object.keys(parsed.positions)) at[k] = inline.at;
    chosen = { config: parsed.value, positions: at, from: 'DIB_BLOCK_DEVICE_CONFIG', at: inline.at };
  } else if (provider && elements.some((e) => e.name === provider)) {
    const configs = contents.get(provider)!.blockDevice;
    const own = configs.find((c) => {
      const m = /block-device-(.+)\.yaml$/.exec(c.file);
      return !!arch && !!m && m[1] !== 'default' && (unameArch(m[1]!) ?? m[1]) === arch;
    });
    const pick = own ?? configs.find((c) => c.file.endsWith('block-device-default.yaml'));
    if (pick)
      chosen = {
        config: pick.config,
        positions: pick.positions,
        from: `${relative(sourceDir, pick.file)} of ${provider}, the element that provides block-device`,
        at: { file: pick.file, line: 1, column: 1 },
      };
  }
  if (!chosen) return undefined;
  const lowered = lowerBlockDevice(chosen.config, chosen.positions);
  ir.storage = lowered.storage;
  Object.assign(positions, lowered.positions);
  positions['/storage'] ??= chosen.at;
  diagnostics.push(diag(dibCodes.storageFrom, { from: chosen.from }, chosen.at, { pointer: '/storage' }));
  for (const n of lowered.notCarried)
    diagnostics.push(
      diag(dibCodes.storageNotCarried, { what: n.what }, chosen.positions[n.ptr] ?? chosen.at),
    );
  return chosen.at.file;
}
