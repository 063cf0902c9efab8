/**
 * IR → one HCL2 template, `image.pkr.hcl`: the variables and locals kept from a Packer source,
 * one `source` block (the kept builder, or a qemu builder from -O packerIsoUrl/packerIsoChecksum),
 * and a `build` block whose provisioners install the packages (one line per package manager,
 * as ../vocabulary.ts spells it), copy the files and run the scripts.
 */

import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { distroFromText, distroFromUrl, familyOf } from '../../../ir/distribution.js';
import type { ImageIR } from '../../../ir/schema.js';
import type { OutputFile, WriteOptions, WriteResult } from '../../contract.js';
import { packerCodes } from '../codes.js';
import { escapeTemplate, type HclValue, hclString, hclText, isExpr } from '../hcl-value.js';
import { BUILDER_FORMAT, hclReferences, INSTALL_COMMANDS } from '../vocabulary.js';

interface PackerData {
  syntax?: 'hcl' | 'json';
  variables?: Record<string, HclValue>;
  variableSettings?: Record<string, Record<string, HclValue>>;
  locals?: Record<string, HclValue>;
  builder?: { type: string; name: string; settings: Record<string, HclValue> };
  otherSources?: { type: string; name: string; settings: Record<string, HclValue> }[];
  provisioners?: { type: string; settings: Record<string, HclValue> }[];
  postProcessors?: { type: string; settings: Record<string, HclValue> }[];
  other?: Record<string, HclValue>;
}

const TARGET = 'packer';

/** Builder settings that are nested blocks in HCL2 though legacy JSON writes them as objects (what `packer hcl2_upgrade` does). */
const BLOCK_SETTINGS = new Set([
  'source_ami_filter',
  'metadata_options',
  'security_group_filter',
  'subnet_filter',
  'vpc_filter',
  'launch_block_device_mappings',
  'ami_block_device_mappings',
  'assume_role',
  'aws_polling',
  'vault_aws_engine',
  'spot_instance_types',
]);
const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** What the reader takes back from an install line as package names. */
const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9.+_:@-]*$/;
const MiB = 1024 ** 2;

interface Out {
  diagnostics: Diagnostic[];
  fromJson: boolean;
  /** the template's variables with their defaults */
  variables: Record<string, HclValue>;
  /** user variables a legacy JSON template references */
  used: Set<string>;
  /** diagnostics already given, by a key, so that one cause is told once */
  told: Set<string>;
  /** the qemu builder takes its ISO from variables (no -O packerIsoUrl/packerIsoChecksum) */
  isoVariables?: boolean;
}

function approx(out: Out, pointer: string, detail: string): void {
  out.diagnostics.push(
    diag(translateCodes.lossDetail, { pointer, target: TARGET, detail }, undefined, { pointer }),
  );
}

function tellOnce(out: Out, key: string, d: () => Diagnostic): void {
  if (out.told.has(key)) return;
  out.told.add(key);
  out.diagnostics.push(d());
}

const USER_REFERENCE = /\{\{\s*user\s+`([A-Za-z_][A-Za-z0-9_-]*)`\s*\}\}/g;

/** Legacy JSON strings carry `{{user `x`}}`; HCL2 spells them `${var.x}`. */
function converted(v: HclValue, out: Out): HclValue {
  if (!out.fromJson) return v;
  if (typeof v === 'string') {
    for (const m of v.matchAll(USER_REFERENCE)) out.used.add(m[1]!);
    return hclReferences(escapeTemplate(v));
  }
  if (Array.isArray(v)) return v.map((x) => converted(x, out));
  if (v && typeof v === 'object' && !isExpr(v))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, converted(x, out)]));
  return v;
}

function isBlock(v: HclValue): v is Record<string, HclValue> & { $block: string[] } {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Array.isArray((v as Record<string, unknown>).$block)
  );
}

/**
 * Packer's JSON reading takes a setting of "" as the setting's zero value (false, 0, unset);
 * HCL2 converts "" to no bool or number. A setting that is one user variable defaulting to ""
 * is written so that "" leaves it unset and any other value is converted as before.
 */
function emptyAsUnset(key: string, raw: HclValue, out: Out, pointer: string): HclValue | undefined {
  if (!out.fromJson || typeof raw !== 'string') return undefined;
  const name = /^\{\{\s*user\s+`([A-Za-z_][A-Za-z0-9_-]*)`\s*\}\}$/.exec(raw)?.[1];
  if (name === undefined) return undefined;
  const fallback = Object.hasOwn(out.variables, name) ? out.variables[name] : undefined;
  if (fallback !== undefined && fallback !== '') return undefined;
  out.used.add(name);
  tellOnce(out, `empty:${key}:${name}`, () =>
    diag(packerCodes.writeEmptyAsUnset, { setting: key, name }, undefined, { pointer }),
  );
  return { $expr: `var.${name} != "" ? var.${name} : null` };
}

function bodyLines(
  settings: Record<string, HclValue>,
  indent: string,
  out: Out,
  pointer = '/extensions/packer',
): string[] {
  const lines: string[] = [];
  for (const [key, raw] of Object.entries(settings)) {
    const value = emptyAsUnset(key, raw, out, pointer) ?? converted(raw, out);
    if (isBlock(value)) {
      const { $block, ...inner } = value;
      const [type, ...labels] = key.split(' ');
      lines.push(`${indent}${type}${[...$block].map((l) => ` ${hclString(l)}`).join('')} {`);
      appendAll(lines, bodyLines(inner as Record<string, HclValue>, `${indent}  `, out));
      lines.push(`${indent}}`);
      void labels;
      continue;
    }
    const asBlocks = BLOCK_SETTINGS.has(key) ? [value].flat() : [];
    if (
      asBlocks.length &&
      asBlocks.every((b) => b && typeof b === 'object' && !Array.isArray(b) && !isExpr(b))
    ) {
      for (const b of asBlocks) {
        lines.push(`${indent}${key} {`);
        appendAll(lines, bodyLines(b as Record<string, HclValue>, `${indent}  `, out));
        lines.push(`${indent}}`);
      }
      continue;
    }
    lines.push(`${indent}${IDENT.test(key) ? key : hclString(key)} = ${hclText(value, indent)}`);
  }
  return lines;
}

function block(
  header: string,
  settings: Record<string, HclValue>,
  out: Out,
  indent = '',
  pointer?: string,
): string {
  return [`${indent}${header} {`, ...bodyLines(settings, `${indent}  `, out, pointer), `${indent}}`].join(
    '\n',
  );
}

function builderOf(
  ir: ImageIR,
  data: PackerData,
  options: WriteOptions,
  out: Out,
): PackerData['builder'] | undefined {
  if (data.builder?.type) return data.builder;
  const iso = options.options?.packerIsoUrl;
  const checksum = options.options?.packerIsoChecksum;
  const given = typeof iso === 'string' && typeof checksum === 'string';
  if (!given) {
    out.diagnostics.push(diag(packerCodes.writeNeedsIso, undefined, undefined, { pointer: '/outputs' }));
    out.isoVariables = true;
  }
  const note = (field: string, value: string, how: string) =>
    out.diagnostics.push(
      diag(packerCodes.writeInferred, { field, value, how }, undefined, { pointer: '/outputs' }),
    );
  note('builder', 'qemu', 'the definition names no Packer builder; qemu builds a disk from the ISO');
  note(
    'ssh_username',
    'root',
    'Packer connects over SSH to run the provisioners; the installer must allow root',
  );
  return {
    type: 'qemu',
    name: ir.metadata?.name && IDENT.test(ir.metadata.name) ? ir.metadata.name : 'image',
    settings: {
      iso_url: given ? iso : { $expr: 'var.iso_url' },
      iso_checksum: given ? checksum : { $expr: 'var.iso_checksum' },
      ssh_username: 'root',
      headless: true,
      shutdown_command: 'shutdown -P now',
    },
  };
}

/** Packer ≥ 1.6 takes the checksum type inside iso_checksum (`type:hash`), as `packer fix` rewrites it. */
function mergeChecksumType(settings: Record<string, HclValue>, out: Out): void {
  const type = settings.iso_checksum_type;
  if (type === undefined) return;
  delete settings.iso_checksum_type;
  const sum = settings.iso_checksum;
  if (type === 'none') settings.iso_checksum = 'none';
  else if (typeof type === 'string' && typeof sum === 'string' && !/^(file:|none$|[a-z0-9]+:)/.test(sum))
    settings.iso_checksum = `${type}:${sum}`;
  out.diagnostics.push(
    diag(
      packerCodes.writeInferred,
      {
        field: 'iso_checksum',
        value: String(settings.iso_checksum),
        how: 'iso_checksum_type merged into it, as `packer fix` does for Packer 1.6 and later',
      },
      undefined,
      { pointer: '/extensions/packer/builder/settings/iso_checksum_type' },
    ),
  );
}

/** Builder settings Packer types list(string). */
const LIST_SETTINGS = ['iso_urls', 'boot_command', 'floppy_files', 'floppy_dirs', 'cd_files'];

/**
 * A legacy JSON template may give a list setting one string (Packer's JSON decoding took it,
 * "" as no items); HCL2 wants a list of strings, and packer validate refuses anything else.
 */
function listSettings(settings: Record<string, HclValue>): void {
  for (const key of LIST_SETTINGS) {
    const v = settings[key];
    if (typeof v === 'string') settings[key] = v === '' ? [] : [v];
  }
}

function sourceSettings(
  ir: ImageIR,
  builder: NonNullable<PackerData['builder']>,
  out: Out,
): Record<string, HclValue> {
  const settings = { ...builder.settings };
  mergeChecksumType(settings, out);
  listSettings(settings);
  const size = ir.storage?.size?.min ?? ir.storage?.size?.max;
  if (size !== undefined) settings.disk_size = Math.ceil(size / MiB);
  if (size !== undefined && size % MiB)
    approx(out, '/storage/size/min', 'Packer sizes disks in MiB; rounded up');
  const output = ir.outputs[0];
  if (output?.format && output.format !== BUILDER_FORMAT[builder.type]) settings.format = output.format;
  if (output?.name) settings.vm_name = output.name;
  if (output && output.type !== 'disk')
    approx(
      out,
      '/outputs/0/type',
      `Packer builders make disks; the ${output.type} output is written as the builder's disk`,
    );
  for (const i of ir.outputs.keys())
    if (i > 0)
      approx(out, `/outputs/${i}`, 'one Packer source makes one artefact; this output is not written');
  return settings;
}

/** IR text as an HCL string value: escaped for HCL2, and kept from `converted` (which would escape it again). */
function literal(text: string, out: Out): HclValue {
  return out.fromJson
    ? { $expr: hclString(hclReferences(escapeTemplate(text))) }
    : { $expr: hclString(escapeTemplate(text)) };
}

/** The Vagrant provider a builder's artefact is boxed for, as the vagrant post-processor's override keys name it. */
function vagrantProvider(builderType: string): string | undefined {
  const prefixes: [RegExp, string][] = [
    [/^virtualbox/, 'virtualbox'],
    [/^vmware/, 'vmware'],
    [/^(qemu|libvirt)/, 'libvirt'],
    [/^parallels/, 'parallels'],
    [/^hyperv/, 'hyperv'],
    [/^amazon/, 'aws'],
    [/^azure/, 'azure'],
    [/^googlecompute/, 'google'],
    [/^docker/, 'docker'],
    [/^digitalocean/, 'digitalocean'],
    [/^lxc/, 'lxc'],
    [/^scaleway/, 'scaleway'],
  ];
  return prefixes.find(([re]) => re.test(builderType))?.[1];
}

const isPlainObject = (v: HclValue): v is Record<string, HclValue> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !isExpr(v);

/**
 * A vagrant post-processor's `override` maps providers to settings; Packer 1.6 types it as a
 * map of strings in HCL2. Each provider becomes its own post-processor, limited with `only` to
 * the sources boxed for that provider, so every source gets the settings it got before.
 */
function splitVagrant(
  p: { type: string; settings: Record<string, HclValue> },
  sources: { type: string; name: string }[],
  out: Out,
  pointer: string,
): { type: string; settings: Record<string, HclValue> }[] | undefined {
  const { override, ...base } = p.settings;
  if (p.type !== 'vagrant' || override === undefined || !isPlainObject(override)) return undefined;
  if (!Object.values(override).every(isPlainObject) || 'only' in base || 'except' in base) return undefined;
  const providers = Object.keys(override);
  const parts: { type: string; settings: Record<string, HclValue> }[] = [];
  const covered = new Set<string>();
  for (const provider of providers) {
    const only = sources
      .filter((s) => vagrantProvider(s.type) === provider)
      .map((s) => `${s.type}.${s.name}`);
    if (!only.length) continue;
    for (const o of only) covered.add(o);
    parts.push({ type: 'vagrant', settings: { only, ...base, ...(override[provider] as object) } });
  }
  const rest = sources.map((s) => `${s.type}.${s.name}`).filter((n) => !covered.has(n));
  if (rest.length) parts.push({ type: 'vagrant', settings: { only: rest, ...base } });
  out.diagnostics.push(
    diag(packerCodes.writeSplitOverride, { providers: providers.join(', ') }, undefined, { pointer }),
  );
  if (!out.fromJson)
    approx(out, pointer, 'the vagrant override is written as one post-processor per provider');
  return parts;
}

/**
 * Legacy JSON `only`/`except` name builders by their `name`; HCL2 names sources `TYPE.NAME`, and
 * a bare name would match no source, so the step would silently never (or always) run.
 */
function limitedTo(
  settings: Record<string, HclValue>,
  sources: { type: string; name: string; jsonName?: string }[],
  out: Out,
): Record<string, HclValue> {
  if (!out.fromJson) return settings;
  const copy = { ...settings };
  for (const key of ['only', 'except'] as const) {
    const names = copy[key];
    if (!Array.isArray(names)) continue;
    copy[key] = names.map((n) => {
      const s = typeof n === 'string' ? sources.find((x) => (x.jsonName ?? x.name) === n) : undefined;
      return s ? `${s.type}.${s.name}` : n;
    });
  }
  return copy;
}

function provisioners(
  ir: ImageIR,
  data: PackerData,
  out: Out,
  sources: { type: string; name: string; jsonName?: string }[],
): string[] {
  const blocks: string[] = [];
  const names = ir.packages.install.map((p) => p.name);
  if (names.length) {
    const family = ir.distribution.id ? familyOf(ir.distribution.id) : undefined;
    const command = family ? INSTALL_COMMANDS[family] : undefined;
    if (command && names.some((n) => !PACKAGE_NAME.test(n)))
      approx(
        out,
        '/packages/install',
        'a name with a pattern is written into the install line, which reads back as a script',
      );
    if (command)
      blocks.push(
        block(
          'provisioner "shell"',
          { inline: [escapeTemplate(`${command} ${names.join(' ')}`)] },
          out,
          '  ',
        ),
      );
    else
      approx(
        out,
        '/packages/install',
        `no install command known for ${ir.distribution.id ?? 'an unnamed distribution'}; the packages are not written`,
      );
  }
  for (const [i, f] of ir.files.entries()) {
    if (f.source === undefined) {
      approx(
        out,
        `/files/${i}`,
        'a Packer file provisioner copies a file from beside the template; this file has no source and is not written',
      );
      continue;
    }
    blocks.push(
      block(
        'provisioner "file"',
        { source: literal(f.source, out), destination: literal(f.path, out) },
        out,
        '  ',
      ),
    );
  }
  for (const [i, s] of ir.scripts.entries()) {
    if (s.phase !== 'post-install')
      approx(
        out,
        `/scripts/${i}/phase`,
        `Packer provisioners run on the installed system; the ${s.phase} script runs there`,
      );
    if (!s.chroot)
      approx(out, `/scripts/${i}/chroot`, 'Packer provisioners run in the image, not on the build host');
    if (s.body !== undefined)
      blocks.push(
        block(
          'provisioner "shell"',
          {
            inline: s.body.split('\n').map((l) => literal(l, out)),
          },
          out,
          '  ',
        ),
      );
    else if (s.source !== undefined) {
      if (converted(s.source, out) !== s.source)
        approx(
          out,
          `/scripts/${i}/source`,
          'the {{user `x`}} reference in the script path is written as ${var.x}',
        );
      blocks.push(block('provisioner "shell"', { script: literal(s.source, out) }, out, '  '));
    }
  }
  for (const p of data.provisioners ?? [])
    blocks.push(block(`provisioner ${hclString(p.type)}`, limitedTo(p.settings, sources, out), out, '  '));
  for (const [i, p] of (data.postProcessors ?? []).entries()) {
    const pointer = `/extensions/packer/postProcessors/${i}`;
    const limited = { ...p, settings: limitedTo(p.settings, sources, out) };
    for (const part of splitVagrant(limited, sources, out, pointer) ?? [limited])
      blocks.push(block(`post-processor ${hclString(part.type)}`, part.settings, out, '  ', pointer));
  }
  return blocks;
}

/** What in a `packer` block Packer 1.6 refuses: it has neither plugin requirements nor a core version past its own. */
function newerPackerNeeds(name: string, value: HclValue, out: Out): void {
  if (name !== 'packer' || !isBlock(value)) return;
  const needs = [
    'required_plugins' in value ? 'required_plugins' : undefined,
    typeof value.required_version === 'string' &&
    !/^\s*[>~=]*\s*1\.[0-6](\.|\s|$)/.test(value.required_version)
      ? `required_version = "${value.required_version}"`
      : undefined,
  ].filter((x): x is string => !!x);
  if (needs.length)
    out.diagnostics.push(
      diag(
        packerCodes.writeNeedsNewerPacker,
        { what: `the packer block's ${needs.join(' and ')}` },
        undefined,
        {
          pointer: `/extensions/packer/other/${name}`,
        },
      ),
    );
}

function otherBlocks(data: PackerData, out: Out): string[] {
  const blocks: string[] = [];
  for (const [name, value] of Object.entries(data.other ?? {})) {
    newerPackerNeeds(name, value, out);
    if (isBlock(value)) {
      const { $block, ...inner } = value;
      const type = name.split(' ')[0]!;
      blocks.push(
        block(
          `${type}${$block.map((l) => ` ${hclString(l)}`).join('')}`,
          inner as Record<string, HclValue>,
          out,
        ),
      );
    } else
      approx(
        out,
        `/extensions/packer/other/${name}`,
        `the template's "${name}" has no HCL2 place; it is not written`,
      );
  }
  return blocks;
}

/** HCL2 variable defaults may not use variables; `{{env `X`}}` becomes `env("X")`, the one function they allow. */
function variableDefault(value: HclValue, name: string, out: Out): HclValue {
  if (!out.fromJson || typeof value !== 'string') return value;
  const env = /^\{\{\s*env\s+`([^`]+)`\s*\}\}$/.exec(value);
  if (env) return { $expr: `env(${hclString(env[1]!)})` };
  const inFolder = /^\{\{\s*template_dir\s*\}\}\/([^{}]*)$/.exec(value);
  if (inFolder) {
    approx(
      out,
      `/extensions/packer/variables/${name}`,
      `an HCL2 variable default cannot name the template folder; "${value}" is written as "${inFolder[1]}", relative to the folder packer runs in`,
    );
    return inFolder[1]!;
  }
  if (!/\{\{/.test(value)) return value;
  approx(
    out,
    `/extensions/packer/variables/${name}`,
    'an HCL2 variable default cannot use template functions or other variables; written as text',
  );
  return { $expr: hclString(value) };
}

/**
 * HCL2 source labels are referenced as source.TYPE.NAME: a name may not hold dots or template
 * references. A legacy JSON `{{user `x`}}` in a builder name takes the variable's default, as
 * Packer's JSON reading did; other characters become dashes.
 */
function sourceName(name: string, out: Out, pointer: string): string {
  if (/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) return name;
  const hows: string[] = [];
  let label = name;
  if (out.fromJson && /\{\{\s*user\s/.test(name)) {
    label = label.replace(USER_REFERENCE, (_, v: string) => {
      const d = Object.hasOwn(out.variables, v) ? out.variables[v] : undefined;
      return typeof d === 'string' || typeof d === 'number' ? String(d) : v;
    });
    hows.push('user variables replaced by their defaults');
  }
  const safe = label.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[^A-Za-z]+/, '') || 'image';
  if (safe !== label) hows.push('characters HCL2 labels cannot hold written as dashes');
  out.diagnostics.push(
    diag(packerCodes.writeResolvedName, { name, label: safe, how: hows.join('; ') }, undefined, { pointer }),
  );
  if (!out.fromJson)
    approx(
      out,
      pointer,
      `the source name "${name}" is written as "${safe}" (HCL2 references split names at dots)`,
    );
  return safe;
}

/** Script and file sources named relative to the definition are copied beside the template, where Packer looks for them. */
function copiedSources(ir: ImageIR, options: WriteOptions, out: Out): OutputFile[] {
  if (!options.sourceDir) return [];
  const files: OutputFile[] = [];
  const named = [
    ...ir.files.map((f, i) => ({ source: f.source, pointer: `/files/${i}/source` })),
    ...ir.scripts.map((s, i) => ({ source: s.source, pointer: `/scripts/${i}/source` })),
  ];
  for (const { source, pointer } of named) {
    if (source === undefined || isAbsolute(source) || /^[a-z]+:|\{\{|\$\{/.test(source)) continue;
    const rel = normalize(source);
    if (rel.startsWith('..') || files.some((f) => f.path === rel)) continue;
    const from = join(options.sourceDir, rel);
    if (existsSync(from)) files.push({ path: rel, copyFrom: from });
    else approx(out, pointer, `${from} does not exist; the template names it but it is not copied`);
  }
  return files;
}

/** A template imgc makes names no distribution: the reader guesses it from the ISO URL, the VM or source name. Reports what would not come back. */
function reportDistribution(
  ir: ImageIR,
  sourceName: string,
  settings: Record<string, HclValue>,
  out: Out,
): void {
  const { id, release } = ir.distribution;
  if (!id) {
    if (release !== undefined)
      approx(
        out,
        '/distribution/release',
        `a Packer template names no release, and nothing written tells ${release}`,
      );
    return;
  }
  const iso = typeof settings.iso_url === 'string' ? settings.iso_url : undefined;
  const texts = [typeof settings.vm_name === 'string' ? settings.vm_name : undefined, sourceName];
  const guess =
    (iso ? (distroFromUrl(iso) ?? distroFromText(iso)) : undefined) ??
    texts.map((t) => (t ? distroFromText(t) : undefined)).find((g) => g?.id);
  if (guess?.id !== id)
    approx(out, '/distribution', `a Packer template names no distribution, and nothing written tells ${id}`);
  else if (release !== undefined && guess.release !== release)
    approx(
      out,
      '/distribution/release',
      `a Packer template names no release, and nothing written tells ${release}`,
    );
}

/** Variables a legacy JSON template uses without declaring them: Packer's JSON reading gave them "". */
function undeclaredVariables(out: Out): Record<string, HclValue> {
  const added: Record<string, HclValue> = {};
  for (const name of out.used) {
    if (Object.hasOwn(out.variables, name)) continue;
    added[name] = '';
    out.diagnostics.push(
      diag(packerCodes.writeDeclaredVariable, { name }, undefined, {
        pointer: `/extensions/packer/variables/${name}`,
      }),
    );
  }
  return added;
}

export function raisePacker(ir: ImageIR, options: WriteOptions): WriteResult {
  const data = (ir.extensions.packer ?? {}) as PackerData;
  const out: Out = {
    diagnostics: [],
    fromJson: data.syntax === 'json',
    variables: data.variables ?? {},
    used: new Set(),
    told: new Set(),
  };
  const found = builderOf(ir, data, options, out);
  if (!found) return { files: [], diagnostics: out.diagnostics };
  const builder = {
    ...found,
    jsonName: found.name,
    name: sourceName(found.name, out, '/extensions/packer/builder/name'),
  };
  if (out.fromJson)
    approx(
      out,
      '/extensions/packer',
      'a legacy JSON template is written as HCL2: {{user `x`}} references become ${var.x}',
    );
  const body: string[] = [];
  if (data.locals && Object.keys(data.locals).length) body.push(block('locals', data.locals, out));
  appendAll(body, otherBlocks(data, out));
  const settings = sourceSettings(ir, builder, out);
  if (!data.builder?.type) reportDistribution(ir, builder.name, settings, out);
  body.push(
    block(
      `source ${hclString(builder.type)} ${hclString(builder.name)}`,
      settings,
      out,
      '',
      '/extensions/packer/builder/settings',
    ),
  );
  const others = (data.otherSources ?? []).map((s, i) => ({
    ...s,
    jsonName: s.name,
    name: sourceName(s.name, out, `/extensions/packer/otherSources/${i}/name`),
  }));
  for (const [i, s] of others.entries()) {
    const settings = { ...s.settings };
    mergeChecksumType(settings, out);
    listSettings(settings);
    body.push(
      block(
        `source ${hclString(s.type)} ${hclString(s.name)}`,
        settings,
        out,
        '',
        `/extensions/packer/otherSources/${i}/settings`,
      ),
    );
  }
  const sources = [builder, ...others];
  body.push(
    [
      'build {',
      `  sources = ${hclText(
        sources.map((s) => `source.${s.type}.${s.name}`),
        '  ',
      )}`,
      ...provisioners(ir, data, out, sources).map((b) => `\n${b}`),
      '}',
    ].join('\n'),
  );
  const variables = {
    ...(out.isoVariables ? { iso_url: null, iso_checksum: null } : {}),
    ...data.variables,
    ...undeclaredVariables(out),
  };
  const declarations = Object.entries(variables).map(([name, value]) => {
    const settings = data.variableSettings;
    const { type, ...rest } = settings && Object.hasOwn(settings, name) ? settings[name]! : {};
    return block(
      `variable ${hclString(name)}`,
      {
        ...(type !== undefined ? { type } : {}),
        ...(value === null ? {} : { default: variableDefault(value, name, out) }),
        ...rest,
      },
      out,
    );
  });
  const parts: string[] = [
    `# Packer template written by imgc${ir.metadata?.name ? ` for ${ir.metadata.name}` : ''}. Check: packer validate .`,
    ...declarations,
    ...body,
  ];
  return {
    files: [
      { path: 'image.pkr.hcl', content: `${parts.join('\n\n')}\n` },
      ...copiedSources(ir, options, out),
    ],
    diagnostics: out.diagnostics,
  };
}
