/** IR → `index` (a virt-builder template entry) + `customize.virt-customize` (the commands that make the image). */

import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { positionOf } from '../../../ir/positions.js';
import type { ImageIR } from '../../../ir/schema.js';
import type { FormatWriter, OutputFile, WriteOptions, WriteResult } from '../../contract.js';
import { virtBuilderCodes } from '../codes.js';
import { EXTENSION_ID, type IndexEntry, type VirtBuilderExtension } from '../extension.js';
import { distributionOfOsinfo, osinfoOf } from '../vocabulary.js';

export const virtBuilderCapabilities: readonly string[] = [
  '/metadata/name',
  '/metadata/description',
  '/distribution/id',
  '/distribution/release',
  '/distribution/architecture',
  '/packages/install/*/name',
  '/packages/remove/*/name',
  '/system/hostname',
  '/system/timezone',
  '/accounts/root/password/plain',
  '/accounts/root/password/locked',
  '/files/*/path',
  '/files/*/content',
  '/directories/*/path',
  '/symlinks/*/path',
  '/symlinks/*/target',
  '/scripts/*/phase',
  '/scripts/*/chroot',
  '/scripts/*/body',
  '/scripts/*/source',
  '/storage/size/min',
  '/extensions/virt-builder/entries/**',
  '/extensions/virt-builder/commands/*',
];

export const virtBuilderApproximations: readonly string[] = [
  '/distribution/id',
  '/distribution/release',
  '/files/*/content',
  '/scripts/*/phase',
  '/scripts/*/chroot',
  '/scripts/*/body',
];

export const virtBuilderWriter: FormatWriter = {
  capabilities: virtBuilderCapabilities,
  approximations: virtBuilderApproximations,
  profiles: false,
  write: writeVirtBuilder,
};

function writeVirtBuilder(ir: ImageIR, options: WriteOptions): WriteResult {
  const diagnostics: Diagnostic[] = [];
  const lost = (detail: string, pointer: string) =>
    diagnostics.push(
      diag(
        translateCodes.lossDetail,
        { pointer, target: 'virt-builder', detail },
        positionOf(options.positions ?? {}, pointer),
        { pointer },
      ),
    );
  const ext = (ir.extensions[EXTENSION_ID] ?? {}) as VirtBuilderExtension;
  const files: OutputFile[] = [];
  /** a script beside the source definition, copied beside the command file that runs it */
  const copied = (source: string): boolean => {
    const clean = normalize(source);
    if (isAbsolute(source) || clean.startsWith('..') || !options.sourceDir) return false;
    const from = join(options.sourceDir, clean);
    if (!existsSync(from)) return false;
    files.push({ path: clean, copyFrom: from, mode: 0o755 });
    return true;
  };
  // an index when the IR describes a template; the command file when it has commands (or nothing else is written)
  const describesTemplate =
    ir.metadata?.name !== undefined ||
    ir.distribution.id !== undefined ||
    ir.distribution.architecture !== undefined ||
    ir.storage?.size !== undefined ||
    ext.entries !== undefined;
  const commands = commandsText(ir, ext, lost, copied);
  const hasCommands = commands.split('\n').some((l) => l && !l.startsWith('#'));
  if (hasCommands || !describesTemplate)
    files.unshift({ path: 'customize.virt-customize', content: commands });
  if (describesTemplate) files.unshift({ path: 'index', content: indexText(ir, ext, diagnostics, lost) });
  return { files, diagnostics };
}

type Lost = (detail: string, pointer: string) => void;

function indexText(ir: ImageIR, ext: VirtBuilderExtension, diagnostics: Diagnostic[], lost: Lost): string {
  const id = ir.metadata?.name ?? 'image';
  if (!ir.metadata?.name) lost('an index entry needs a template id; "image" was written', '/metadata/name');
  const d = ir.distribution;
  if (!d.architecture) diagnostics.push(diag(virtBuilderCodes.noArch, undefined));
  const kept = ext.entries?.[0]?.id === id ? ext.entries : undefined;
  const osinfo = osinfoFor(d.id, d.release, kept?.[0]?.keys.osinfo);
  if (!osinfo && (d.id !== undefined || d.release !== undefined)) {
    const what = `${d.id ?? 'an unnamed distribution'} ${d.release ?? ''}`.trim();
    if (d.id !== undefined)
      lost(`no osinfo short id (as libosinfo names them) for ${what}`, '/distribution/id');
    if (d.release !== undefined) lost(`no osinfo short id for ${what}`, '/distribution/release');
  }
  const keys: Record<string, string> = { ...(kept?.[0]?.keys ?? {}) };
  delete keys.osinfo;
  delete keys.arch;
  delete keys.name;
  delete keys.size;
  const size = ir.storage?.size?.min ?? ir.storage?.size?.max;
  if (size === undefined) diagnostics.push(diag(virtBuilderCodes.noSize, undefined));
  const file = keys.file ?? `${id}.xz`;
  if (!kept) diagnostics.push(diag(virtBuilderCodes.templateFile, { file }));
  const first: IndexEntry = {
    id,
    keys: {
      ...(ir.metadata?.description !== undefined ? { name: ir.metadata.description } : {}),
      ...(osinfo ? { osinfo } : {}),
      arch: d.architecture ?? '',
      file,
      format: 'raw',
      size: String(size ?? 6 * 1024 ** 3),
      ...keys,
    },
  };
  return [first, ...(kept?.slice(1) ?? [])].map(entryText).join('\n');
}

/** The osinfo id read, while it still names the IR's distribution (or the IR names none); else one made from the IR. */
function osinfoFor(
  id: string | undefined,
  release: string | undefined,
  read: string | undefined,
): string | undefined {
  if (read !== undefined) {
    const named = distributionOfOsinfo(read);
    if (!id || (named?.id === id && named.release === release)) return read;
  }
  const made = id ? osinfoOf(id, release) : undefined;
  // only an id that reads back as this distribution and release (debianbookworm would not)
  const back = made ? distributionOfOsinfo(made) : undefined;
  return back !== undefined && back.id === id && back.release === release ? made : undefined;
}

function entryText(e: IndexEntry): string {
  const lines = [`[${e.id}]`];
  for (const [k, v] of Object.entries(e.keys)) {
    const [head, ...rest] = v.split('\n');
    lines.push(`${k}=${head}`, ...rest.map((r) => ` ${r}`));
  }
  return `${lines.join('\n')}\n`;
}

function commandsText(
  ir: ImageIR,
  ext: VirtBuilderExtension,
  lost: Lost,
  copied: (source: string) => boolean,
): string {
  const out: string[] = ['# virt-customize --commands-from-file (written by imgc)'];
  const oneLine = (s: string) => !s.includes('\n') && !s.endsWith('\\');
  const s = ir.system;
  if (s.hostname !== undefined) out.push(`hostname ${s.hostname}`);
  if (s.timezone !== undefined) out.push(`timezone ${s.timezone}`);
  const pw = ir.accounts.root?.password;
  // virt-customize takes no hash; a hash falls outside the capability table
  if (pw?.plain !== undefined) out.push(`root-password ${pw.locked ? 'locked:' : ''}password:${pw.plain}`);
  else if (pw?.locked) out.push('root-password locked');
  const install = ir.packages.install.map((p) => p.name);
  if (install.length) out.push(`install ${install.join(',')}`);
  const remove = ir.packages.remove.map((p) => p.name);
  if (remove.length) out.push(`uninstall ${remove.join(',')}`);
  for (const d of ir.directories) out.push(`mkdir ${d.path}`);
  ir.files.forEach((f, i) => {
    if (f.content === undefined) {
      lost(
        'virt-customize writes files from text here; this one has a source or binary content',
        `/files/${i}`,
      );
      return;
    }
    if (oneLine(f.content)) out.push(`write ${f.path}:${f.content}`);
    else if (f.content.endsWith('\n') && f.content.split('\n').slice(0, -1).every(oneLine)) {
      out.push(`write ${f.path}:`);
      for (const line of f.content.slice(0, -1).split('\n')) out.push(`append-line ${f.path}:${line}`);
    } else lost('virt-customize writes a file line by line, each ending in a newline', `/files/${i}/content`);
  });
  for (const l of ir.symlinks) out.push(`link ${l.target}:${l.path}`);
  ir.scripts.forEach((script, i) => {
    const boot = script.phase === 'first-boot';
    if (!boot && script.phase !== 'post-install')
      lost(
        `a ${script.phase} script: virt-customize runs commands on the finished image`,
        `/scripts/${i}/phase`,
      );
    if (!script.chroot)
      lost('virt-customize runs commands inside the image, not on the build host', `/scripts/${i}/chroot`);
    if (script.source !== undefined) {
      if (!copied(script.source))
        lost(
          `script ${script.source} is not beside the definition, so it is not copied`,
          `/scripts/${i}/source`,
        );
      out.push(`${boot ? 'firstboot' : 'run'} ${script.source}`);
    } else if (script.body !== undefined && oneLine(script.body))
      out.push(`${boot ? 'firstboot-command' : 'run-command'} ${script.body}`);
    else lost('a run-command is one line; write the script to a file and name it with run', `/scripts/${i}`);
  });
  for (const c of ext.commands ?? []) out.push(c);
  return `${out.join('\n')}\n`;
}
