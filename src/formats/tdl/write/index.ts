/** IR → template.tdl, the Oz template that ImageFactory and oz-install read. */
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { positionOf } from '../../../ir/positions.js';
import type { ImageIR } from '../../../ir/schema.js';
import type { FormatWriter, WriteOptions } from '../../contract.js';
import { tdlCodes } from '../codes.js';
import { EXTENSION_ID, type TdlExtension } from '../extension.js';
import {
  ARCHES,
  distributionOf,
  ozGigabytes,
  ozOsOf,
  publicInstallTree,
  unitSizeBytes,
} from '../vocabulary.js';

export const tdlCapabilities: readonly string[] = [
  '/metadata/name',
  '/metadata/description',
  '/distribution/id',
  '/distribution/release',
  '/distribution/architecture',
  '/system/kernel/cmdline/*',
  '/accounts/root/password/plain',
  '/packages/install/*/name',
  '/repositories/*/id',
  '/repositories/*/urls/*',
  '/repositories/*/gpgCheck',
  '/repositories/*/sslVerify',
  '/repositories/*/usage',
  '/files/*/path',
  '/files/*/content',
  '/files/*/contentBase64',
  '/files/*/source',
  '/scripts/*/name',
  '/scripts/*/phase',
  '/scripts/*/chroot',
  '/scripts/*/body',
  '/scripts/*/source',
  '/extensions/tdl/os/**',
  '/extensions/tdl/install/**',
  '/extensions/tdl/key',
  '/extensions/tdl/icicle',
  '/extensions/tdl/diskSize',
  '/extensions/tdl/packageDetails/**',
  '/extensions/tdl/urlCommands/**',
];

/** Carried only in some cases and reported otherwise. */
export const tdlApproximations: readonly string[] = [
  '/extensions/tdl/diskSize',
  '/distribution/id',
  '/distribution/release',
  '/distribution/architecture',
  '/accounts/root/password/plain',
  '/repositories/*/urls/*',
  '/repositories/*/usage',
  '/scripts/*/phase',
  '/scripts/*/chroot',
];

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const tdlWriter: FormatWriter = {
  capabilities: tdlCapabilities,
  approximations: tdlApproximations,
  profiles: false,
  write: writeTdl,
};

function writeTdl(ir: ImageIR, options: WriteOptions) {
  const diagnostics: Diagnostic[] = [];
  const lost = (detail: string, pointer: string) =>
    diagnostics.push(
      diag(
        translateCodes.lossDetail,
        { pointer, target: 'tdl', detail },
        positionOf(options.positions ?? {}, pointer),
        {
          pointer,
        },
      ),
    );
  const ext = (ir.extensions[EXTENSION_ID] ?? {}) as TdlExtension;
  const out: string[] = ['<template version="1.0">'];
  const el = (indent: number, name: string, text: string, attrs = '') =>
    out.push(`${' '.repeat(indent)}<${name}${attrs}>${esc(text)}</${name}>`);

  el(2, 'name', ir.metadata?.name ?? 'image');
  if (!ir.metadata?.name) lost('a template needs a <name>; "image" was written', '/metadata/name');
  if (ir.metadata?.description !== undefined) el(2, 'description', ir.metadata.description);

  // os
  const d = ir.distribution;
  const kept = ext.os && distributionOf(ext.os.name, ext.os.version);
  const os =
    ext.os && (!d.id || (kept?.id === d.id && kept.release === d.release))
      ? ext.os
      : d.id && d.release
        ? ozOsOf(d.id, d.release)
        : undefined;
  if (!os)
    lost(
      `Oz knows no OS for ${d.id ?? 'an unnamed distribution'} ${d.release ?? ''}`.trim(),
      '/distribution',
    );
  out.push('  <os>');
  el(4, 'name', os?.name ?? d.id ?? '');
  el(4, 'version', os?.version ?? d.release ?? '');
  const arch = d.architecture === 'i686' ? 'i386' : d.architecture;
  if (!arch) diagnostics.push(diag(tdlCodes.noArch, undefined));
  else if (!ARCHES.includes(arch)) diagnostics.push(diag(tdlCodes.archNotOz, { arch }));
  if (os && d.id && d.release && distributionOf(os.name, os.version)?.release !== d.release)
    lost(
      `Oz names ${d.id} ${d.release} "${os.name} ${os.version}", which reads back as another release`,
      '/distribution/release',
    );
  if (os && d.id && distributionOf(os.name, os.version)?.id !== d.id)
    lost(`Oz names ${d.id} "${os.name}", which reads back as another distribution`, '/distribution/id');
  el(4, 'arch', arch ?? '');
  writeInstall();
  writeRootPassword();
  if (ir.system.kernel.cmdline.length) el(4, 'kernelparam', ir.system.kernel.cmdline.join(' '));
  if (ext.key !== undefined) el(4, 'key', ext.key);
  if (ext.icicle !== undefined)
    out.push(`    <icicle><extra_command>${esc(ext.icicle)}</extra_command></icicle>`);
  out.push('  </os>');

  if (ir.repositories.length) {
    out.push('  <repositories>');
    for (const [i, r] of ir.repositories.entries()) {
      if (!r.urls[0]) {
        lost(`repository ${r.id} has no base URL; a TDL repository needs <url>`, `/repositories/${i}`);
        continue;
      }
      if (r.urls.length > 1)
        lost(`repository ${r.id}: a TDL repository has one URL`, `/repositories/${i}/urls`);
      out.push(`    <repository name="${esc(r.id)}">`);
      el(6, 'url', r.urls[0]);
      if (r.gpgCheck !== undefined) el(6, 'signed', r.gpgCheck ? 'yes' : 'no');
      if (r.usage === 'build-only') el(6, 'persisted', 'no');
      else if (r.usage === 'build-and-image') el(6, 'persisted', 'yes');
      else if (r.usage === 'image-only')
        lost(`repository ${r.id}: Oz installs from every repository it lists`, `/repositories/${i}/usage`);
      if (r.sslVerify !== undefined) el(6, 'sslverify', r.sslVerify ? 'yes' : 'no');
      out.push('    </repository>');
    }
    out.push('  </repositories>');
  }

  if (ir.packages.install.length) {
    out.push('  <packages>');
    for (const p of ir.packages.install) {
      const details = ext.packageDetails?.[p.name];
      if (!details) {
        out.push(`    <package name="${esc(p.name)}"/>`);
        continue;
      }
      out.push(`    <package name="${esc(p.name)}">`);
      for (const [k, v] of Object.entries(details)) el(6, k, v);
      out.push('    </package>');
    }
    out.push('  </packages>');
  }

  if (ir.files.length) {
    out.push('  <files>');
    for (const f of ir.files) {
      const name = ` name="${esc(f.path)}"`;
      if (f.contentBase64 !== undefined) el(4, 'file', f.contentBase64, `${name} type="base64"`);
      else if (f.content !== undefined) el(4, 'file', f.content, name);
      else el(4, 'file', f.source ?? '', `${name} type="url"`);
    }
    out.push('  </files>');
  }

  const pre = ir.scripts.flatMap((s, i) => (s.phase === 'pre-packages' ? [[s, i] as const] : []));
  const post = ir.scripts.flatMap((s, i) => (s.phase === 'pre-packages' ? [] : [[s, i] as const]));
  for (const [section, list] of [
    ['precommands', pre],
    ['commands', post],
  ] as const) {
    const byUrl = (ext.urlCommands ?? []).filter((c) => c.section === section);
    if (!list.length && !byUrl.length) continue;
    out.push(`  <${section}>`);
    for (const [s, i] of list) {
      if (s.phase !== 'pre-packages' && s.phase !== 'post-install')
        lost(`a ${s.phase} script: Oz runs commands after the packages are installed`, `/scripts/${i}/phase`);
      if (!s.chroot)
        lost('Oz runs commands inside the guest; this one ran on the build host', `/scripts/${i}/chroot`);
      const name = ` name="${esc(s.name ?? `script-${i + 1}`)}"`;
      if (s.body !== undefined) el(4, 'command', s.body, name);
      else el(4, 'command', s.source ?? '', `${name} type="url"`);
    }
    for (const c of byUrl) el(4, 'command', c.url, ` name="${esc(c.name)}" type="url"`);
    out.push(`  </${section}>`);
  }
  if (ext.diskSize !== undefined) {
    const bytes = unitSizeBytes(ext.diskSize);
    const size = bytes === undefined ? ext.diskSize : ozGigabytes(bytes);
    if (size !== ext.diskSize)
      lost(
        `disk size ${ext.diskSize} is written as ${size}, which Oz 0.17 reads`,
        '/extensions/tdl/diskSize',
      );
    out.push(`  <disk><size>${esc(size)}</size></disk>`);
  }
  out.push('</template>');
  return { files: [{ path: 'template.tdl', content: `${out.join('\n')}\n` }], diagnostics };

  /** Oz sets only root's password, as clear text; other accounts fall outside the capability table. */
  function writeRootPassword() {
    const plain = ir.accounts.root?.password?.plain;
    if (plain !== undefined) el(4, 'rootpw', plain);
  }

  function writeInstall() {
    const inst = ext.install;
    if (inst?.type === 'iso' && inst.iso) {
      out.push('    <install type="iso">');
      el(6, 'iso', inst.iso);
      if (inst.checksum) el(6, inst.checksum.kind, inst.checksum.value);
    } else {
      const asked = options.options?.['tdl-install-url'];
      let url = inst?.url ?? (typeof asked === 'string' && asked ? asked : undefined);
      if (!url) {
        const tree = d.id && d.release && publicInstallTree(d.id, d.release, d.architecture ?? 'x86_64');
        const repo = ir.repositories.find((r) => r.urls[0] && /^https?:/.test(r.urls[0]));
        if (tree) {
          url = tree;
          diagnostics.push(
            diag(tdlCodes.installFrom, { url, from: `the public install tree of ${d.id} ${d.release}` }),
          );
        } else if (repo) {
          url = repo.urls[0]!;
          diagnostics.push(
            diag(tdlCodes.installFrom, { url, from: `the first URL of repository ${repo.id}` }),
          );
        } else diagnostics.push(diag(tdlCodes.noInstall, { id: d.id ?? 'an unnamed distribution' }));
      }
      out.push('    <install type="url">');
      el(6, 'url', url ?? '');
    }
    if (inst?.extras?.length) {
      out.push('      <extras>');
      for (const x of inst.extras)
        out.push(`        <${x.kind} source="${esc(x.source)}" destination="${esc(x.destination)}"/>`);
      out.push('      </extras>');
    }
    out.push('    </install>');
  }
}
