/**
 * A Packer template → IR. The first source the build names (or the first builder) is the
 * image: its disk size, format and name go to the IR, the distribution is inferred from its
 * ISO or image names, and all its other settings stay Packer data so the writer can write the
 * builder back. Shell provisioners become post-install scripts (one `apt-get install -y …`
 * line becomes packages), file provisioners become files.
 */
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { distroFromText, distroFromUrl } from '../../../ir/distribution.js';
import { emptyIr } from '../../../ir/empty.js';
import type { PositionTable } from '../../../ir/positions.js';
import type { ImageIR } from '../../../ir/schema.js';
import { packerCodes } from '../codes.js';
import { type HclValue, isExpr, unescapeTemplate } from '../hcl-value.js';
import {
  BUILDER_FORMAT,
  INSTALL_COMMANDS,
  INSTALLER_SETTINGS,
  MAPPED_SETTINGS,
  referencedVariable,
} from '../vocabulary.js';
import type { Attr, Plugin, Source, Template } from './template.js';

export interface PackerExtension {
  syntax: 'hcl' | 'json';
  variables?: Record<string, HclValue>;
  /** a variable block's settings besides its default (type, description, sensitive, validation) */
  variableSettings?: Record<string, Record<string, HclValue>>;
  locals?: Record<string, HclValue>;
  builder: { type: string; name: string; settings: Record<string, HclValue> };
  otherSources?: { type: string; name: string; settings: Record<string, HclValue> }[];
  provisioners?: { type: string; settings: Record<string, HclValue> }[];
  postProcessors?: { type: string; settings: Record<string, HclValue> }[];
  other?: Record<string, HclValue>;
}

interface Ctx {
  t: Template;
  ir: ImageIR;
  positions: PositionTable;
  diagnostics: Diagnostic[];
  ext: PackerExtension;
}

const settingsOf = (attrs: Attr[]) => Object.fromEntries(attrs.map((a) => [a.name, a.value]));

/** A value with whole-value variable references replaced by literal defaults. */
function evaluate(value: HclValue | undefined, t: Template): HclValue | undefined {
  if (typeof value === 'string') {
    const name = referencedVariable(value);
    if (name === undefined) return value;
    const v = t.variables.findLast((x) => x.name === name)?.value;
    return v === undefined || isExpr(v) ? undefined : v;
  }
  if (isExpr(value)) {
    const m = /^var\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(value.$expr);
    const v = m ? t.variables.findLast((x) => x.name === m[1])?.value : undefined;
    return v === undefined || isExpr(v) ? undefined : v;
  }
  return value;
}

function chooseSource(ctx: Ctx): Source {
  const { t } = ctx;
  const named = t.buildSources.map((n) => t.sources.find((s) => `${s.type}.${s.name}` === n)).find(Boolean);
  const chosen = named ?? t.sources[0]!;
  const others = t.sources.filter((s) => s !== chosen);
  if (others.length) {
    ctx.ext.otherSources = others.map((s) => ({ type: s.type, name: s.name, settings: settingsOf(s.attrs) }));
    for (const [i, s] of others.entries()) ctx.positions[`/extensions/packer/otherSources/${i}`] = s.at;
    ctx.diagnostics.push(
      diag(
        packerCodes.otherSources,
        {
          chosen: `${chosen.type}.${chosen.name}`,
          others: others.map((s) => `${s.type}.${s.name}`).join(', '),
        },
        others[0]!.at,
      ),
    );
  }
  return chosen;
}

/** Packer disk sizes: a number is MiB; a string may carry M/G (qemu) or be a number. */
function diskBytes(value: HclValue | undefined): number | undefined {
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && value > 0 ? value * 1024 ** 2 : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+)\s*([MGT]?)i?B?$/i.exec(value.trim());
  if (!m) return undefined;
  const factor = { '': 1024 ** 2, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[m[2]!.toUpperCase()]!;
  const bytes = Number(m[1]) * factor;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A legacy `{{user `x`}}` whose `x` is not declared is placed at its first use, where the writer's note about it points. */
function positionUndeclared(ctx: Ctx): void {
  if (ctx.t.syntax !== 'json') return;
  const declared = new Set(ctx.t.variables.map((v) => v.name));
  const visit = (value: HclValue, at: Attr['at']): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(/\{\{\s*user\s+`([A-Za-z_][A-Za-z0-9_-]*)`\s*\}\}/g)) {
        const pointer = `/extensions/packer/variables/${m[1]}`;
        if (!declared.has(m[1]!) && !ctx.positions[pointer]) ctx.positions[pointer] = at;
      }
    } else if (Array.isArray(value)) for (const v of value) visit(v, at);
    else if (value && typeof value === 'object' && !isExpr(value))
      for (const v of Object.values(value)) visit(v, at);
  };
  for (const p of [...ctx.t.sources, ...ctx.t.provisioners, ...ctx.t.postProcessors])
    for (const a of p.attrs) visit(a.value, a.at);
}

/** Packer refuses a folder declaring one source twice; the first declaration is kept. */
function dropDuplicateSources(ctx: Ctx): void {
  const seen = new Map<string, Source>();
  ctx.t.sources = ctx.t.sources.filter((s) => {
    const key = `${s.type}.${s.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, s);
      return true;
    }
    ctx.diagnostics.push(
      diag(
        packerCodes.duplicateSource,
        { source: key, first: `${first.at.file}:${first.at.line}:${first.at.column}` },
        s.at,
      ),
    );
    return false;
  });
}

function lowerBuilder(ctx: Ctx, source: Source): void {
  const settings: Record<string, HclValue> = {};
  const output: ImageIR['outputs'][number] = { type: 'disk' };
  ctx.positions['/outputs/0'] = source.at;
  ctx.positions['/extensions/packer/builder'] = source.at;
  for (const a of source.attrs) {
    const value = evaluate(a.value, ctx.t);
    if (
      a.name === 'disk_size' &&
      diskBytes(value) !== undefined &&
      !isExpr(a.value) &&
      referencedVariable(String(a.value)) === undefined
    ) {
      ctx.ir.storage = {
        partitions: [],
        volumeGroups: [],
        raid: [],
        mountpoints: [],
        size: { min: diskBytes(value)! },
      };
      ctx.positions['/storage/size'] = a.at;
      continue;
    }
    if (a.name === 'format' && typeof a.value === 'string' && referencedVariable(a.value) === undefined) {
      output.format = a.value;
      ctx.positions['/outputs/0/format'] = a.at;
      continue;
    }
    if (
      a.name === 'vm_name' &&
      typeof a.value === 'string' &&
      referencedVariable(a.value) === undefined &&
      !a.value.includes('{{') &&
      !a.value.includes('${')
    ) {
      output.name = a.value;
      ctx.positions['/outputs/0/name'] = a.at;
      continue;
    }
    settings[a.name] = a.value;
  }
  if (!output.format && BUILDER_FORMAT[source.type]) {
    output.format = BUILDER_FORMAT[source.type];
    ctx.diagnostics.push(
      diag(
        packerCodes.inferred,
        {
          field: '/outputs/0/format',
          value: output.format!,
          how: `a ${source.type} builder makes ${output.format}`,
        },
        source.at,
      ),
    );
  }
  ctx.ir.outputs.push(output);
  ctx.ext.builder = { type: source.type, name: source.name, settings };
  const installer = source.attrs.filter((a) => INSTALLER_SETTINGS.includes(a.name)).map((a) => a.name);
  if (installer.length)
    ctx.diagnostics.push(diag(packerCodes.installerData, { keys: installer.join(', ') }, source.at));
  inferDistribution(ctx, source);
}

function inferDistribution(ctx: Ctx, source: Source): void {
  const texts: { text: string; at: Attr['at']; url: boolean }[] = [];
  for (const a of source.attrs) {
    const v = evaluate(a.value, ctx.t);
    if (/^iso_urls?$/.test(a.name))
      for (const u of [v].flat()) if (typeof u === 'string') texts.push({ text: u, at: a.at, url: true });
    if (
      /^(vm_name|iso_url|iso_urls|guest_os_type|source_image_family|source_image|image_name|ami_name|vm_guest_os_type|template_name)$/.test(
        a.name,
      )
    )
      for (const u of [v].flat()) if (typeof u === 'string') texts.push({ text: u, at: a.at, url: false });
  }
  texts.push({ text: source.name, at: source.at, url: false });
  for (const { text, at, url } of texts) {
    const guess = (url ? distroFromUrl(text) : undefined) ?? distroFromText(text);
    if (!guess?.id) continue;
    ctx.ir.distribution.id = guess.id;
    ctx.positions['/distribution/id'] = at;
    if (guess.release) {
      ctx.ir.distribution.release = guess.release;
      ctx.positions['/distribution/release'] = at;
    }
    ctx.diagnostics.push(
      diag(
        packerCodes.inferred,
        {
          field: '/distribution',
          value: [guess.id, guess.release].filter(Boolean).join(' '),
          how: `from "${text}"`,
        },
        at,
      ),
    );
    return;
  }
}

/** HCL strings escape `${` as `$${`; legacy JSON strings are literal. */
function text(t: Template, s: string): string {
  return t.syntax === 'hcl' ? unescapeTemplate(s) : s;
}

const TEMPLATE_FOLDER = /^(\{\{\s*template_dir\s*\}\}|\$\{path\.root\})\//;

/** A file path as the IR takes it (relative to the template's folder), or undefined when it still holds a reference imgc does not evaluate. */
function pathOf(t: Template, s: string): string | undefined {
  const path = s.replace(TEMPLATE_FOLDER, '');
  return /\{\{|\$\{/.test(path) ? undefined : text(t, path);
}

function inlineLines(t: Template, value: HclValue | undefined): string[] | undefined {
  if (typeof value === 'string') return [text(t, value)];
  if (Array.isArray(value) && value.every((l) => typeof l === 'string'))
    return (value as string[]).map((l) => text(t, l));
  return undefined;
}

const SHELL_CARRIED = new Set(['inline', 'script', 'scripts']);

function packagesFromLine(line: string): string[] | undefined {
  for (const command of Object.values(INSTALL_COMMANDS)) {
    if (!line.startsWith(`${command} `)) continue;
    const names = line
      .slice(command.length + 1)
      .trim()
      .split(/\s+/);
    if (names.every((n) => /^[A-Za-z0-9][A-Za-z0-9.+_:@-]*$/.test(n))) return names;
  }
  return undefined;
}

function lowerShell(ctx: Ctx, p: Plugin): void {
  const settings = settingsOf(p.attrs);
  const inline = inlineLines(ctx.t, settings.inline);
  const onlyCarried = p.attrs.every((a) => SHELL_CARRIED.has(a.name));
  const packages = inline?.length === 1 && onlyCarried ? packagesFromLine(inline[0]!) : undefined;
  if (packages) {
    for (const name of packages) {
      ctx.positions[`/packages/install/${ctx.ir.packages.install.length}`] = p.at;
      ctx.ir.packages.install.push({ name });
    }
    return;
  }
  for (const a of p.attrs)
    if (!SHELL_CARRIED.has(a.name))
      ctx.diagnostics.push(diag(packerCodes.keptSetting, { type: p.type, key: a.name }, a.at));
  if (inline) {
    const raw = [settings.inline].flat().filter((l): l is string => typeof l === 'string');
    const interpolation = ctx.t.syntax === 'hcl' ? raw.join('\n').match(/(?<!\$)\$\{[^}]*\}/) : null;
    if (interpolation)
      ctx.diagnostics.push(diag(packerCodes.interpolationAsText, { text: interpolation[0] }, p.at));
    ctx.positions[`/scripts/${ctx.ir.scripts.length}`] = p.at;
    ctx.ir.scripts.push({ phase: 'post-install', chroot: true, body: inline.join('\n') });
  }
  const scripts = [settings.script, ...(Array.isArray(settings.scripts) ? settings.scripts : [])];
  for (const s of scripts)
    if (typeof s === 'string') {
      const source = pathOf(ctx.t, s);
      if (source === undefined) continue;
      ctx.positions[`/scripts/${ctx.ir.scripts.length}`] = p.at;
      ctx.ir.scripts.push({ phase: 'post-install', chroot: true, source });
    }
}

/** Every script path of a shell provisioner reads as a file path (else the provisioner stays Packer data). */
function scriptPathsRead(t: Template, p: Plugin): boolean {
  const settings = settingsOf(p.attrs);
  const paths = [settings.script, ...(Array.isArray(settings.scripts) ? settings.scripts : [])];
  return paths.every((s) => typeof s !== 'string' || pathOf(t, s) !== undefined);
}

function lowerFile(ctx: Ctx, p: Plugin): boolean {
  const s = settingsOf(p.attrs);
  if (
    typeof s.source !== 'string' ||
    typeof s.destination !== 'string' ||
    p.attrs.length !== 2 ||
    !s.destination.startsWith('/')
  )
    return false;
  const source = pathOf(ctx.t, s.source);
  if (source === undefined || /\{\{|\$\{/.test(s.destination)) return false;
  ctx.positions[`/files/${ctx.ir.files.length}`] = p.at;
  ctx.ir.files.push({ path: text(ctx.t, s.destination), source });
  return true;
}

function keepPlugin(
  ctx: Ctx,
  p: Plugin,
  kind: 'provisioner' | 'post-processor',
  notFor?: { builder: string; list: string },
): void {
  const entry = { type: p.type, settings: settingsOf(p.attrs) };
  const key = kind === 'provisioner' ? 'provisioners' : 'postProcessors';
  ctx.ext[key] = [...(ctx.ext[key] ?? []), entry];
  ctx.diagnostics.push(
    notFor
      ? diag(packerCodes.provisionerNotForBuilder, { type: p.type, ...notFor }, p.at)
      : diag(packerCodes.keptProvisioner, { kind, type: p.type }, p.at),
  );
}

/** The names a provisioner's `only`/`except` may give a builder: its name in JSON, `type.name` in HCL. */
function builderNames(t: Template, s: Source): string[] {
  return t.syntax === 'json' ? [s.name] : [`${s.type}.${s.name}`, `source.${s.type}.${s.name}`];
}

/** Why a provisioner does not run on the builder read as the image (`only` leaves it out, `except` names it). */
function notForBuilder(
  t: Template,
  p: Plugin,
  chosen: Source,
): { builder: string; list: string } | undefined {
  const settings = settingsOf(p.attrs);
  const names = builderNames(t, chosen);
  const listOf = (v: unknown) =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  const only = listOf(settings.only);
  const except = listOf(settings.except);
  const builder = names[0]!;
  if (only && !only.some((n) => names.includes(n))) return { builder, list: `only = [${only.join(', ')}]` };
  if (except?.some((n) => names.includes(n))) return { builder, list: `except = [${except.join(', ')}]` };
  return undefined;
}

export function lowerTemplate(t: Template): {
  ir?: ImageIR;
  positions: PositionTable;
  diagnostics: Diagnostic[];
} {
  const ctx: Ctx = {
    t,
    ir: emptyIr(),
    positions: {},
    diagnostics: [],
    ext: { syntax: t.syntax, builder: { type: '', name: '', settings: {} } },
  };
  if (!t.sources.length) {
    ctx.diagnostics.push(diag(packerCodes.noBuilder, { syntax: t.syntax }, t.at));
    return { positions: {}, diagnostics: ctx.diagnostics };
  }
  if (t.variables.length) ctx.ext.variables = Object.fromEntries(t.variables.map((v) => [v.name, v.value]));
  const typed = t.variables.filter((v) => v.settings);
  if (typed.length) ctx.ext.variableSettings = Object.fromEntries(typed.map((v) => [v.name, v.settings!]));
  if (t.locals.length) ctx.ext.locals = Object.fromEntries(t.locals.map((v) => [v.name, v.value]));
  if (t.other.length) ctx.ext.other = Object.fromEntries(t.other.map((v) => [v.name, v.value]));
  for (const v of t.variables) ctx.positions[`/extensions/packer/variables/${v.name}`] = v.at;
  positionUndeclared(ctx);
  for (const o of t.other) ctx.positions[`/extensions/packer/other/${o.name}`] = o.at;
  dropDuplicateSources(ctx);
  const chosen = chooseSource(ctx);
  lowerBuilder(ctx, chosen);
  for (const p of t.provisioners) {
    const skipped = notForBuilder(t, p, chosen);
    if (skipped) {
      keepPlugin(ctx, p, 'provisioner', skipped);
      continue;
    }
    if (p.type === 'shell' && p.attrs.some((a) => SHELL_CARRIED.has(a.name)) && scriptPathsRead(ctx.t, p))
      lowerShell(ctx, p);
    else if (!(p.type === 'file' && lowerFile(ctx, p))) keepPlugin(ctx, p, 'provisioner');
  }
  for (const p of t.postProcessors) {
    ctx.positions[`/extensions/packer/postProcessors/${ctx.ext.postProcessors?.length ?? 0}`] = p.at;
    keepPlugin(ctx, p, 'post-processor');
  }
  ctx.ir.extensions.packer = ctx.ext;
  return { ir: ctx.ir, positions: ctx.positions, diagnostics: ctx.diagnostics };
}
