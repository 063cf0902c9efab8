/** Index entries, virt-customize commands and preseed answers → IR, each field with its position. */
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { emptyIr } from '../../../ir/empty.js';
import type { PositionTable, SourcePosition } from '../../../ir/positions.js';
import type { ImageIR } from '../../../ir/schema.js';
import { virtBuilderCodes } from '../codes.js';
import { EXTENSION_ID, type VirtBuilderExtension } from '../extension.js';
import {
  distributionOfMirror,
  distributionOfOsinfo,
  FLAG_COMMANDS,
  LOWERED_INDEX_KEYS,
} from '../vocabulary.js';
import type { Command } from './commands.js';
import type { IndexSection } from './index-file.js';
import type { PreseedAnswer } from './preseed.js';

export interface Lowered {
  ir: ImageIR;
  positions: PositionTable;
  diagnostics: Diagnostic[];
}

function start() {
  const ir = emptyIr();
  const ext: VirtBuilderExtension = {};
  ir.extensions[EXTENSION_ID] = ext;
  return { ir, ext, positions: {} as PositionTable, diagnostics: [] as Diagnostic[] };
}

function finish(l: ReturnType<typeof start>): Lowered {
  if (Object.keys(l.ext).length === 0) delete l.ir.extensions[EXTENSION_ID];
  return { ir: l.ir, positions: l.positions, diagnostics: l.diagnostics };
}

export function lowerIndex(sections: IndexSection[]): Lowered {
  const l = start();
  const { ir, ext, positions, diagnostics } = l;
  ext.entries = sections.map((s) => ({
    id: s.id,
    keys: Object.fromEntries(s.keys.map((k) => [k.key, k.value])),
  }));
  const first = sections[0];
  if (!first) return finish(l);
  if (sections.length > 1)
    diagnostics.push(
      diag(virtBuilderCodes.severalTemplates, { count: sections.length, first: first.id }, first.at),
    );
  const key = (k: string) => first.keys.find((x) => x.key === k);
  const name = key('name');
  ir.metadata = { name: first.id, ...(name ? { description: name.value } : {}) };
  positions['/metadata/name'] = first.at;
  if (name) positions['/metadata/description'] = name.at;
  const arch = key('arch');
  if (arch) {
    ir.distribution.architecture = arch.value;
    positions['/distribution/architecture'] = arch.at;
  }
  const osinfo = key('osinfo');
  const named = osinfo ? distributionOfOsinfo(osinfo.value) : undefined;
  if (osinfo && !named)
    diagnostics.push(diag(virtBuilderCodes.unknownOs, { osinfo: osinfo.value }, osinfo.at));
  if (named && osinfo) {
    ir.distribution.id = named.id;
    positions['/distribution/id'] = osinfo.at;
    if (named.release) {
      ir.distribution.release = named.release;
      positions['/distribution/release'] = osinfo.at;
    }
  }
  const size = key('size');
  if (size && /^\d+$/.test(size.value) && Number.isSafeInteger(Number(size.value))) {
    ir.storage = {
      partitions: [],
      volumeGroups: [],
      raid: [],
      mountpoints: [],
      size: { min: Number(size.value) },
    };
    positions['/storage/size/min'] = size.at;
  } else if (size)
    diagnostics.push(
      diag(virtBuilderCodes.badArgument, { command: 'size=', expected: 'a size in bytes' }, size.at),
    );
  for (const k of first.keys)
    if (!LOWERED_INDEX_KEYS.has(k.key))
      diagnostics.push(diag(virtBuilderCodes.notCarried, { what: `${k.key}= of [${first.id}]` }, k.at));
  return finish(l);
}

/** `A:B` split at the first colon, or undefined. */
function pair(arg: string): [string, string] | undefined {
  const i = arg.indexOf(':');
  return i > 0 ? [arg.slice(0, i), arg.slice(i + 1)] : undefined;
}

export function lowerCommands(commands: Command[]): Lowered {
  const l = start();
  const { ir, ext, positions, diagnostics } = l;
  const keep = (c: Command) => {
    ext.commands = [...(ext.commands ?? []), c.argument ? `${c.command} ${c.argument}` : c.command];
    diagnostics.push(diag(virtBuilderCodes.notCarried, { what: c.command }, c.at));
  };
  const bad = (c: Command, expected: string) =>
    diagnostics.push(diag(virtBuilderCodes.badArgument, { command: c.command, expected }, c.at));
  const place = (pointer: string, at: SourcePosition) => {
    positions[pointer] = at;
  };
  for (const c of commands) {
    if (!FLAG_COMMANDS.has(c.command) && c.argument === '' && c.command !== 'install') {
      bad(c, 'an argument');
      continue;
    }
    switch (c.command) {
      case 'install':
      case 'uninstall': {
        const list = c.command === 'install' ? ir.packages.install : ir.packages.remove;
        const kind = c.command === 'install' ? 'install' : 'remove';
        for (const name of c.argument.split(',').filter(Boolean)) {
          place(`/packages/${kind}/${list.length}`, c.at);
          list.push({ name });
        }
        break;
      }
      case 'hostname':
        ir.system.hostname = c.argument;
        place('/system/hostname', c.at);
        break;
      case 'timezone':
        ir.system.timezone = c.argument;
        place('/system/timezone', c.at);
        break;
      case 'root-password': {
        const locked = c.argument.startsWith('locked:');
        const selector = locked ? c.argument.slice('locked:'.length) : c.argument;
        const p = pair(selector);
        if (p?.[0] === 'password')
          ir.accounts.root = { sshKeys: [], password: { plain: p[1], ...(locked ? { locked: true } : {}) } };
        else if (selector === 'locked' || selector === 'disabled')
          ir.accounts.root = { sshKeys: [], password: { locked: true } };
        else if (selector === 'random' || p?.[0] === 'file') {
          keep(c);
          break;
        } else {
          bad(c, 'a password selector: password:PW, file:FILE, random, disabled or locked[:SELECTOR]');
          break;
        }
        place('/accounts/root/password', c.at);
        break;
      }
      case 'write':
      case 'append-line': {
        const p = pair(c.argument);
        if (!p) {
          bad(c, 'FILE:CONTENT');
          break;
        }
        const [path, text] = p;
        const existing = ir.files.find((f) => f.path === path && f.content !== undefined);
        if (c.command === 'write' || !existing) {
          if (c.command === 'append-line') {
            keep(c);
            break;
          }
          place(`/files/${ir.files.length}`, c.at);
          ir.files.push({ path, content: text });
        } else {
          const sep = existing.content === '' || existing.content!.endsWith('\n') ? '' : '\n';
          existing.content = `${existing.content}${sep}${text}\n`;
        }
        break;
      }
      case 'mkdir':
        place(`/directories/${ir.directories.length}`, c.at);
        ir.directories.push({ path: c.argument });
        break;
      case 'link': {
        const p = pair(c.argument);
        if (!p) {
          bad(c, 'TARGET:LINK[:LINK...]');
          break;
        }
        for (const link of p[1].split(':')) {
          place(`/symlinks/${ir.symlinks.length}`, c.at);
          ir.symlinks.push({ path: link, target: p[0] });
        }
        break;
      }
      case 'run-command':
      case 'firstboot-command':
        place(`/scripts/${ir.scripts.length}`, c.at);
        ir.scripts.push({
          phase: c.command === 'run-command' ? 'post-install' : 'first-boot',
          chroot: true,
          body: c.argument,
        });
        break;
      case 'run':
      case 'firstboot':
        place(`/scripts/${ir.scripts.length}`, c.at);
        ir.scripts.push({
          phase: c.command === 'run' ? 'post-install' : 'first-boot',
          chroot: true,
          source: c.argument,
        });
        break;
      default:
        keep(c);
    }
  }
  return finish(l);
}

/** Questions lowered into IR fields; every other answer is kept as written. */
export function lowerPreseed(answers: PreseedAnswer[]): Lowered {
  const l = start();
  const { ir, ext, positions, diagnostics } = l;
  const keep = (a: PreseedAnswer) => {
    ext.preseed = [
      ...(ext.preseed ?? []),
      `${a.owner} ${a.question} ${a.type}${a.value ? ` ${a.value}` : ''}`,
    ];
  };
  let kept = 0;
  let firstKept: SourcePosition | undefined;
  for (const a of answers) {
    switch (a.question) {
      case 'passwd/root-password':
        ir.accounts.root = { sshKeys: [], password: { plain: a.value } };
        positions['/accounts/root/password'] = a.at;
        break;
      case 'passwd/root-password-crypted':
        ir.accounts.root = { sshKeys: [], password: { hash: a.value } };
        positions['/accounts/root/password'] = a.at;
        break;
      case 'passwd/root-password-again':
        break;
      case 'time/zone':
        ir.system.timezone = a.value;
        positions['/system/timezone'] = a.at;
        break;
      case 'debian-installer/locale':
        ir.system.locale = a.value;
        positions['/system/locale'] = a.at;
        break;
      case 'keyboard-configuration/xkb-keymap':
      case 'console-setup/layoutcode':
        ir.system.keymap = a.value;
        positions['/system/keymap'] = a.at;
        break;
      case 'clock-setup/utc':
        ir.system.utc = a.value === 'true';
        positions['/system/utc'] = a.at;
        break;
      case 'pkgsel/include':
        for (const name of a.value.split(/[\s,]+/).filter(Boolean)) {
          positions[`/packages/install/${ir.packages.install.length}`] = a.at;
          ir.packages.install.push({ name });
        }
        break;
      case 'mirror/http/hostname':
      case 'mirror/http/mirror': {
        const id = distributionOfMirror(a.value);
        if (id && !ir.distribution.id) {
          ir.distribution.id = id;
          positions['/distribution/id'] = a.at;
          diagnostics.push(
            diag(
              virtBuilderCodes.distributionFrom,
              { distribution: id, from: `the mirror ${a.value}` },
              a.at,
            ),
          );
        }
        keep(a);
        break;
      }
      case 'mirror/suite':
        ir.distribution.release = a.value;
        positions['/distribution/release'] = a.at;
        break;
      default:
        keep(a);
        kept++;
        firstKept ??= a.at;
    }
  }
  if (kept && firstKept)
    diagnostics.push(
      diag(
        virtBuilderCodes.notCarried,
        { what: `${kept} preseed answers (partman, netcfg, grub-installer, ...)` },
        firstKept,
      ),
    );
  return finish(l);
}
