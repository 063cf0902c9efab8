/**
 * A live-build tree → IR: the lb config settings give the distribution, architecture, mirror,
 * archive areas, image type and kernel command line; package lists give packages; archives
 * give repositories; includes.chroot gives files and symlinks; chroot hooks give scripts.
 * Everything else stays live-build data (`extensions.live-build`) with a diagnostic.
 */
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { DEB_TO_ARCH } from '../../../distros/debian.js';
import { emptyIr } from '../../../ir/empty.js';
import type { PositionTable, SourcePosition } from '../../../ir/positions.js';
import type { ImageIR } from '../../../ir/schema.js';
import { lookupTable } from '../../../lib/lookup-table.js';
import { liveBuildCodes } from '../codes.js';
import type { LiveBuildExtension } from '../extension.js';
import { IMAGE_TYPES, MAPPED_OPTIONS, MODES } from '../vocabulary.js';
import type { Setting } from './settings.js';
import type { Tree } from './tree.js';

interface Ctx {
  ir: ImageIR;
  positions: PositionTable;
  diagnostics: Diagnostic[];
  ext: LiveBuildExtension;
}

function keep(ctx: Ctx, name: string, value: string): void {
  ctx.ext.options = [...(ctx.ext.options ?? []), { name, value }];
}

const LIVE_BUILD_DEFAULT = "live-build 20230502's default";

function literal(ctx: Ctx, s: Setting | undefined): string | undefined {
  if (!s) return undefined;
  if (s.expanded) {
    ctx.diagnostics.push(diag(liveBuildCodes.shellValue, { option: `--${s.name}`, value: s.value }, s.at));
    keep(ctx, s.name, s.value);
    return undefined;
  }
  return s.value;
}

function note(ctx: Ctx, field: string, value: string, how: string, at: SourcePosition | undefined): void {
  ctx.diagnostics.push(diag(liveBuildCodes.inferred, { field, value, how }, at));
}

function lowerSettings(
  ctx: Ctx,
  settings: Setting[],
  from: 'auto' | 'saved' | 'none',
  treeAt: SourcePosition,
): void {
  const last = (name: string) => settings.findLast((s) => s.name === name && s.value !== '');
  const { ir, positions } = ctx;
  const mode = last('mode');
  const modeValue = literal(ctx, mode);
  if (modeValue && MODES[modeValue]) {
    ir.distribution.id = MODES[modeValue];
    positions['/distribution/id'] = mode!.at;
  } else if (modeValue) {
    ctx.diagnostics.push(diag(liveBuildCodes.keptOption, { option: '--mode', value: modeValue }, mode!.at));
    keep(ctx, 'mode', modeValue);
  } else if (!mode) {
    ir.distribution.id = 'debian';
    note(ctx, '/distribution/id', 'debian', `no --mode: ${LIVE_BUILD_DEFAULT} mode`, treeAt);
  }
  const dist = last('distribution');
  const release = literal(ctx, dist);
  if (release) {
    ir.distribution.release = release;
    positions['/distribution/release'] = dist!.at;
  } else if (!dist && ir.distribution.id === 'debian') {
    ir.distribution.release = 'bullseye';
    note(ctx, '/distribution/release', 'bullseye', `no --distribution: ${LIVE_BUILD_DEFAULT}`, treeAt);
  }
  const arch = last('architectures');
  const archValue = literal(ctx, arch);
  if (archValue) {
    ir.distribution.architecture = DEB_TO_ARCH[archValue] ?? archValue;
    positions['/distribution/architecture'] = arch!.at;
  }
  lowerMirror(ctx, last, treeAt);
  const images = last('binary-images');
  const imagesValue = literal(ctx, images);
  const types = (imagesValue ?? (images ? '' : 'iso-hybrid')).split(/[\s,]+/).filter(Boolean);
  if (!images)
    note(ctx, '/outputs/0/type', 'iso', `no --binary-images: ${LIVE_BUILD_DEFAULT} iso-hybrid`, treeAt);
  const name = literal(ctx, last('image-name'));
  for (const t of types) {
    const type = IMAGE_TYPES[t];
    if (!type) {
      ctx.diagnostics.push(
        diag(liveBuildCodes.keptOption, { option: '--binary-images', value: t }, images!.at),
      );
      continue;
    }
    positions[`/outputs/${ir.outputs.length}`] = images?.at ?? treeAt;
    ir.outputs.push({ type, ...(name ? { name } : {}) });
  }
  const recommends = literal(ctx, last('apt-recommends'));
  if (recommends === 'false' || recommends === 'true') {
    ir.packages.installWeakDeps = recommends === 'true';
    positions['/packages/installWeakDeps'] = last('apt-recommends')!.at;
  }
  const append = literal(ctx, last('bootappend-live'));
  if (append) {
    ir.system.kernel.cmdline = append.split(/\s+/).filter(Boolean);
    positions['/system/kernel/cmdline'] = last('bootappend-live')!.at;
  }
  const hostname = literal(ctx, last('hostname'));
  if (hostname) {
    ir.system.hostname = hostname;
    positions['/system/hostname'] = last('hostname')!.at;
  }
  keepOthers(ctx, settings, from);
}

function lowerMirror(ctx: Ctx, last: (name: string) => Setting | undefined, treeAt: SourcePosition): void {
  const mirror = last('parent-mirror-bootstrap') ?? last('mirror-bootstrap');
  const areas = last('archive-areas');
  const url = literal(ctx, mirror);
  const components = literal(ctx, areas)?.split(/\s+/).filter(Boolean);
  const fallback = ctx.ir.distribution.id ? DEFAULT_MIRROR[ctx.ir.distribution.id] : undefined;
  if ((mirror && !url) || (!url && !fallback)) return;
  const release = ctx.ir.distribution.release;
  ctx.ir.repositories.push({
    id: 'live-build',
    type: 'apt',
    urls: [url ?? fallback!],
    ...(release ? { suites: [release] } : {}),
    components: components ?? ['main'],
  });
  const at = mirror?.at ?? areas?.at ?? treeAt;
  ctx.positions['/repositories/0'] = at;
  if (!url)
    note(ctx, '/repositories/0/urls/0', fallback!, `no --mirror-bootstrap: ${LIVE_BUILD_DEFAULT}`, at);
  if (!components && !areas)
    note(ctx, '/repositories/0/components', 'main', `no --archive-areas: ${LIVE_BUILD_DEFAULT}`, at);
}

const DEFAULT_MIRROR: Record<string, string> = lookupTable({
  debian: 'http://deb.debian.org/debian/',
  ubuntu: 'http://archive.ubuntu.com/ubuntu/',
});

const MAPPED = new Set([...Object.keys(MAPPED_OPTIONS)]);

function keepOthers(ctx: Ctx, settings: Setting[], from: 'auto' | 'saved' | 'none'): void {
  const others = settings.filter((s) => !MAPPED.has(s.name));
  if (from === 'saved') {
    if (!others.length) return;
    ctx.diagnostics.push(
      diag(
        liveBuildCodes.keptPart,
        { part: 'saved lb config variables imgc does not map', count: others.length },
        others[0]!.at,
      ),
    );
    return;
  }
  for (const s of others) {
    ctx.diagnostics.push(diag(liveBuildCodes.keptOption, { option: `--${s.name}`, value: s.value }, s.at));
    keep(ctx, s.name, s.value);
  }
}

function lowerPackages(ctx: Ctx, tree: Tree): void {
  for (const list of tree.packageLists)
    for (const entry of list.entries) {
      if (entry.kind === 'conditional') {
        ctx.diagnostics.push(diag(liveBuildCodes.conditional, { condition: entry.text }, entry.at));
        continue;
      }
      if (entry.kind === 'include') {
        ctx.diagnostics.push(
          diag(liveBuildCodes.keptOption, { option: '#include', value: entry.text }, entry.at),
        );
        continue;
      }
      if (ctx.ir.packages.install.some((p) => p.name === entry.text)) continue;
      ctx.positions[`/packages/install/${ctx.ir.packages.install.length}`] = entry.at;
      ctx.ir.packages.install.push({ name: entry.text });
    }
}

function lowerArchives(ctx: Ctx, tree: Tree): void {
  for (const a of tree.archives) {
    ctx.positions[`/repositories/${ctx.ir.repositories.length}`] = a.at;
    ctx.ir.repositories.push({
      id: a.id,
      type: 'apt',
      urls: [a.url],
      suites: [a.suite],
      ...(a.components.length ? { components: a.components } : {}),
    });
  }
}

function lowerIncludes(ctx: Ctx, tree: Tree): void {
  for (const f of tree.includes) {
    const at = { file: f.from, line: 1, column: 1 };
    if (f.kind === 'symlink') {
      ctx.positions[`/symlinks/${ctx.ir.symlinks.length}`] = at;
      ctx.ir.symlinks.push({ path: f.path, target: f.target });
      continue;
    }
    ctx.positions[`/files/${ctx.ir.files.length}`] = at;
    ctx.ir.files.push({ path: f.path, source: f.source, ...(f.executable ? { mode: '0755' } : {}) });
  }
}

function lowerHooks(ctx: Ctx, tree: Tree): void {
  for (const h of tree.hooks) {
    if (h.kind === 'outside') {
      ctx.diagnostics.push(diag(liveBuildCodes.symlinkOut, { path: h.name, target: h.target }, h.at));
      continue;
    }
    ctx.positions[`/scripts/${ctx.ir.scripts.length}`] = h.at;
    ctx.ir.scripts.push({ phase: 'post-install', chroot: true, body: h.body, name: h.name });
  }
}

export function lowerTree(tree: Tree): { ir: ImageIR; positions: PositionTable; diagnostics: Diagnostic[] } {
  const ctx: Ctx = { ir: emptyIr(), positions: {}, diagnostics: [...tree.diagnostics], ext: {} };
  lowerSettings(ctx, tree.settings, tree.settingsFrom, tree.at);
  if (tree.preamble) {
    ctx.ext.preamble = tree.preamble;
    if (tree.shebang && tree.shebang !== '#!/bin/sh') ctx.ext.shebang = tree.shebang;
    ctx.diagnostics.push(
      diag(liveBuildCodes.keptOption, { option: 'auto/config', value: 'lines before lb config' }, tree.at),
    );
  }
  lowerPackages(ctx, tree);
  lowerArchives(ctx, tree);
  lowerIncludes(ctx, tree);
  lowerHooks(ctx, tree);
  for (const part of tree.keptParts)
    ctx.diagnostics.push(diag(liveBuildCodes.keptPart, { part: part.name, count: part.count }, part.at));
  if (ctx.ext.options || ctx.ext.preamble) ctx.ir.extensions['live-build'] = ctx.ext;
  return { ir: ctx.ir, positions: ctx.positions, diagnostics: ctx.diagnostics };
}
