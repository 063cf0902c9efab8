/** A TDL element tree → IR, checking what Oz's TDL parser checks, each problem at its element. */
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { emptyIr } from '../../../ir/empty.js';
import type { PositionTable } from '../../../ir/positions.js';
import type { ImageIR, Script } from '../../../ir/schema.js';
import { lookupTable } from '../../../lib/lookup-table.js';
import { tdlCodes } from '../codes.js';
import { EXTENSION_ID, type TdlExtension, type TdlInstall } from '../extension.js';
import {
  ARCHES,
  BASE64,
  BOOL,
  DISK_SIZE,
  distributionOf,
  ozGigabytes,
  truthy,
  unitSizeBytes,
} from '../vocabulary.js';
import type { El } from './xml.js';

/** What tdl.rng allows under each element (children; attributes in ATTRS). */
const CHILDREN: Record<string, string[]> = lookupTable({
  template: [
    'name',
    'os',
    'description',
    'packages',
    'files',
    'commands',
    'precommands',
    'repositories',
    'disk',
  ],
  os: ['name', 'version', 'arch', 'kernelparam', 'install', 'rootpw', 'key', 'icicle'],
  install: ['url', 'iso', 'md5sum', 'sha1sum', 'sha256sum', 'extras'],
  extras: ['directory', 'file'],
  packages: ['package'],
  package: ['repository', 'file', 'arguments'],
  files: ['file'],
  commands: ['command'],
  precommands: ['command'],
  repositories: ['repository'],
  repository: ['url', 'signed', 'persisted', 'sslverify'],
  disk: ['size'],
  icicle: ['extra_command'],
});

export interface Lowered {
  ir: ImageIR;
  positions: PositionTable;
  diagnostics: Diagnostic[];
}

export function lowerTdl(root: El, file: string): Lowered {
  const ir = emptyIr();
  const positions: PositionTable = {};
  const diagnostics: Diagnostic[] = [];
  const ext: TdlExtension = {};
  const at = (el: El) => ({ file, ...el.pos });
  const err = (def: Parameters<typeof diag>[0], params: unknown, el: El) =>
    diagnostics.push(diag(def, params as never, at(el)));
  const kids = (el: El, name: string) => el.children.filter((c) => c.name === name);
  const unknown: Record<string, string> = {};
  const checkChildren = (el: El, path: string) => {
    const allowed = CHILDREN[el.name];
    for (const c of el.children) {
      if (allowed && !allowed.includes(c.name)) {
        unknown[`${path}/${c.name}`] = c.text.trim();
        err(tdlCodes.unknownElement, { what: `<${c.name}> in <${el.name}>` }, c);
      } else checkChildren(c, `${path}/${c.name}`);
    }
  };
  /** the one child `name`, its text trimmed; errors when required and absent or empty, or repeated */
  const one = (el: El, name: string, required: boolean, what = `<${name}> in <${el.name}>`) => {
    const found = kids(el, name);
    if (found.length > 1) err(tdlCodes.duplicate, { what }, found[1]!);
    const text = found[0]?.text.trim();
    const empty = found[0] ? !text && found[0].children.length === 0 : true;
    if (required && empty) err(tdlCodes.missing, { what }, found[0] ?? el);
    return found[0] && text !== undefined ? { el: found[0], text } : undefined;
  };

  if (root.name !== 'template') {
    err(tdlCodes.notTemplate, { found: root.name }, root);
    return { ir, positions, diagnostics };
  }
  const version = root.attrs.version;
  if (version !== undefined && version !== '1.0') err(tdlCodes.badVersion, { version }, root);
  checkChildren(root, '');

  const name = one(root, 'name', true, 'the template <name>');
  if (name?.text) {
    ir.metadata = { name: name.text };
    positions['/metadata/name'] = at(name.el);
  }
  const description = one(root, 'description', false);
  if (description) {
    ir.metadata = { ...ir.metadata, description: description.text };
    positions['/metadata/description'] = at(description.el);
  }

  lowerOs(one(root, 'os', true, '<os>')?.el);
  lowerPackages();
  lowerRepositories();
  lowerFiles();
  lowerCommands('precommands', 'pre-packages');
  lowerCommands('commands', 'post-install');
  const disk = one(root, 'disk', false);
  if (disk) {
    const size = one(disk.el, 'size', false);
    if (size) {
      const bytes = unitSizeBytes(size.text);
      if (bytes !== undefined) {
        ext.diskSize = size.text;
        err(tdlCodes.newerDiskSize, { size: size.text, written: ozGigabytes(bytes) }, size.el);
      } else if (!DISK_SIZE.test(size.text) || size.text === '')
        err(
          tdlCodes.badValue,
          { what: 'disk size', value: size.text, expected: 'a number with an optional G or T' },
          size.el,
        );
      else {
        ext.diskSize = size.text;
        err(tdlCodes.notCarried, { what: '<disk><size>' }, size.el);
      }
    }
  }
  if (Object.keys(unknown).length) ext.unknown = unknown;
  if (Object.keys(ext).length) ir.extensions[EXTENSION_ID] = ext;
  return { ir, positions, diagnostics };

  function lowerOs(os: El | undefined) {
    if (!os) return;
    const osName = one(os, 'name', true, '<os><name>');
    const osVersion = one(os, 'version', true, '<os><version>');
    const arch = one(os, 'arch', true, '<os><arch>');
    if (osName?.text && osVersion?.text) {
      ext.os = { name: osName.text, version: osVersion.text };
      const d = distributionOf(osName.text, osVersion.text);
      if (d) {
        ir.distribution.id = d.id;
        ir.distribution.release = d.release;
        positions['/distribution/id'] = at(osName.el);
        positions['/distribution/release'] = at(osVersion.el);
      } else err(tdlCodes.notCarried, { what: `the OS "${osName.text}"` }, osName.el);
    }
    if (arch?.text) {
      if (!ARCHES.includes(arch.text))
        err(
          tdlCodes.badValue,
          { what: 'architecture', value: arch.text, expected: ARCHES.join(', ') },
          arch.el,
        );
      else {
        // Oz's i386 is the IR's i686 (as mkosi's x86); the writer turns it back
        ir.distribution.architecture = arch.text === 'i386' ? 'i686' : arch.text;
        positions['/distribution/architecture'] = at(arch.el);
      }
    }
    const kernelparam = one(os, 'kernelparam', false);
    if (kernelparam) {
      ir.system.kernel.cmdline = kernelparam.text.split(/\s+/).filter(Boolean);
      positions['/system/kernel/cmdline'] = at(kernelparam.el);
    }
    const rootpw = one(os, 'rootpw', false);
    if (rootpw) {
      ir.accounts.root = { ...ir.accounts.root, sshKeys: [], password: { plain: rootpw.text } };
      positions['/accounts/root/password'] = at(rootpw.el);
    }
    const key = one(os, 'key', false);
    if (key) {
      ext.key = key.text;
      err(tdlCodes.notCarried, { what: '<os><key>' }, key.el);
    }
    const icicle = one(os, 'icicle', false);
    if (icicle) {
      ext.icicle = icicle.el.children.find((c) => c.name === 'extra_command')?.text.trim() ?? '';
      err(tdlCodes.notCarried, { what: '<os><icicle>' }, icicle.el);
    }
    const installs = kids(os, 'install');
    if (installs.length === 0) return err(tdlCodes.missing, { what: '<os><install>' }, os);
    if (installs.length > 1) err(tdlCodes.duplicate, { what: '<os><install>' }, installs[1]!);
    lowerInstall(installs[0]!);
  }

  function lowerInstall(install: El) {
    const type = install.attrs.type;
    if (type === undefined)
      return err(tdlCodes.missing, { what: 'the type attribute of <install>' }, install);
    if (type !== 'url' && type !== 'iso')
      return err(tdlCodes.badValue, { what: 'install type', value: type, expected: 'url or iso' }, install);
    const result: TdlInstall = { type };
    if (type === 'url') {
      const url = one(install, 'url', true, '<install><url>');
      if (url) result.url = url.text;
    } else {
      const iso = one(install, 'iso', true, '<install><iso>');
      if (iso) result.iso = iso.text;
      const sums = (['md5sum', 'sha1sum', 'sha256sum'] as const).filter((k) => kids(install, k).length);
      if (sums.length > 1)
        err(tdlCodes.duplicate, { what: `checksum (${sums.join(' and ')})` }, kids(install, sums[1]!)[0]!);
      else if (sums[0]) result.checksum = { kind: sums[0], value: kids(install, sums[0])[0]!.text.trim() };
    }
    const extras = kids(install, 'extras')[0];
    if (extras) {
      result.extras = extras.children
        .filter((c) => c.name === 'directory' || c.name === 'file')
        .map((c) => ({
          kind: c.name as 'directory' | 'file',
          source: c.attrs.source ?? '',
          destination: c.attrs.destination ?? '',
        }));
    }
    ext.install = result;
    err(tdlCodes.notCarried, { what: `the ${type} install source` }, install);
  }

  function lowerPackages() {
    for (const pkgs of kids(root, 'packages'))
      for (const p of kids(pkgs, 'package')) {
        const n = p.attrs.name?.trim();
        if (!n) {
          err(tdlCodes.missing, { what: 'the name attribute of <package>' }, p);
          continue;
        }
        positions[`/packages/install/${ir.packages.install.length}`] = at(p);
        ir.packages.install.push({ name: n });
        const details: Record<string, string> = {};
        for (const k of ['repository', 'file', 'arguments'] as const) {
          const v = kids(p, k)[0];
          if (v) details[k] = v.text.trim();
        }
        if (Object.keys(details).length) {
          ext.packageDetails = { ...ext.packageDetails, [n]: details };
          err(tdlCodes.notCarried, { what: `the repository, file or arguments of package ${n}` }, p);
        }
      }
  }

  function lowerRepositories() {
    for (const repos of kids(root, 'repositories'))
      for (const r of kids(repos, 'repository')) {
        const id = r.attrs.name?.trim();
        if (!id) {
          err(tdlCodes.missing, { what: 'the name attribute of <repository>' }, r);
          continue;
        }
        const url = one(r, 'url', true, `<url> of repository ${id}`);
        if (!url?.text) continue;
        if (/^[a-z]+:\/\/(localhost|127\.0\.0\.1)([:/]|$)/i.test(url.text)) {
          err(tdlCodes.localhostRepository, { url: url.text }, url.el);
          continue;
        }
        const flags: Record<string, boolean> = {};
        for (const k of ['signed', 'persisted', 'sslverify']) {
          const f = one(r, k, false);
          if (!f) continue;
          if (!BOOL.test(f.text))
            err(
              tdlCodes.badValue,
              { what: `<${k}>`, value: f.text, expected: 'true, false, yes or no' },
              f.el,
            );
          else flags[k] = truthy(f.text);
        }
        positions[`/repositories/${ir.repositories.length}`] = at(r);
        ir.repositories.push({
          id,
          urls: [url.text],
          ...(flags.signed !== undefined ? { gpgCheck: flags.signed } : {}),
          ...(flags.sslverify !== undefined ? { sslVerify: flags.sslverify } : {}),
          ...(flags.persisted === false ? { usage: 'build-only' as const } : {}),
          ...(flags.persisted === true ? { usage: 'build-and-image' as const } : {}),
        });
      }
  }

  function lowerFiles() {
    for (const files of kids(root, 'files'))
      for (const f of kids(files, 'file')) {
        const path = f.attrs.name?.trim();
        if (!path) {
          err(tdlCodes.missing, { what: 'the name attribute of <file>' }, f);
          continue;
        }
        const type = f.attrs.type ?? 'raw';
        const body = f.text;
        const ptr = `/files/${ir.files.length}`;
        if (type === 'raw') ir.files.push({ path, content: body });
        else if (type === 'base64') {
          const b = body.trim();
          if (b !== '' && !BASE64.test(b)) {
            err(
              tdlCodes.badValue,
              { what: `base64 content of ${path}`, value: b.slice(0, 20), expected: 'base64 text' },
              f,
            );
            continue;
          }
          ir.files.push({ path, contentBase64: b });
        } else if (type === 'url') ir.files.push({ path, source: body.trim() });
        else {
          err(tdlCodes.badValue, { what: 'file type', value: type, expected: 'raw, base64 or url' }, f);
          continue;
        }
        positions[ptr] = at(f);
      }
  }

  function lowerCommands(section: 'commands' | 'precommands', phase: Script['phase']) {
    for (const block of kids(root, section)) {
      const commands = kids(block, 'command');
      const positioned = commands.filter((c) => c.attrs.position !== undefined);
      if (positioned.length && positioned.length !== commands.length)
        err(tdlCodes.commandPositions, { detail: 'some commands have a position and some do not' }, block);
      const seen = new Set<string>();
      for (const c of positioned) {
        const p = c.attrs.position!;
        if (!/^\d+$/.test(p))
          err(tdlCodes.badValue, { what: 'command position', value: p, expected: 'a number' }, c);
        else if (seen.has(p)) err(tdlCodes.commandPositions, { detail: `position ${p} is used twice` }, c);
        seen.add(p);
      }
      const ordered =
        positioned.length === commands.length
          ? [...commands].sort((a, b) => Number(a.attrs.position) - Number(b.attrs.position))
          : commands;
      for (const c of ordered) {
        const n = c.attrs.name?.trim();
        if (!n) {
          err(tdlCodes.missing, { what: 'the name attribute of <command>' }, c);
          continue;
        }
        const type = c.attrs.type ?? 'raw';
        const script: Script = { name: n, phase, chroot: true };
        if (type === 'raw') script.body = c.text;
        else if (type === 'base64') {
          const b = c.text.trim();
          if (!BASE64.test(b)) {
            err(
              tdlCodes.badValue,
              { what: `base64 command ${n}`, value: b.slice(0, 20), expected: 'non-empty base64 text' },
              c,
            );
            continue;
          }
          script.body = Buffer.from(b, 'base64').toString('utf8');
        } else if (type === 'url') {
          ext.urlCommands = [...(ext.urlCommands ?? []), { section, name: n, url: c.text.trim() }];
          err(tdlCodes.notCarried, { what: `command ${n}, fetched from a URL,` }, c);
          continue;
        } else {
          err(tdlCodes.badValue, { what: 'command type', value: type, expected: 'raw, base64 or url' }, c);
          continue;
        }
        positions[`/scripts/${ir.scripts.length}`] = at(c);
        ir.scripts.push(script);
      }
    }
  }
}
