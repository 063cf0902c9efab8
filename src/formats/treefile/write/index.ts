/** IR → treefile.json (+ a .repo file per repository file name, + the files it names). */
import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { distroOfRepositories } from '../../../ir/distro-defaults.js';
import { positionOf } from '../../../ir/positions.js';
import type { ImageIR, Repository } from '../../../ir/schema.js';
import type { FormatWriter, OutputFile, WriteOptions } from '../../contract.js';
import { treefileCodes } from '../codes.js';
import { EXTENSION_ID, type TreefileExtension } from '../extension.js';
import { packageEntry } from '../vocabulary.js';
import { treefileApproximations, treefileCapabilities } from './capabilities.js';

const DEFAULT_REPO_FILE = 'imgc.repo';

export const treefileWriter: FormatWriter = {
  capabilities: treefileCapabilities,
  approximations: treefileApproximations,
  profiles: false,
  write: writeTreefile,
};

/** A relative path that stays inside the definition's folder, or undefined. */
function inside(source: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(source) || isAbsolute(source)) return undefined;
  const clean = normalize(source);
  return clean.startsWith('..') ? undefined : clean.split('\\').join('/');
}

/** A .repo gpgkey= holds URLs; a key given as its armoured text cannot be written there. */
const isKeyUrl = (key: string) => /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(key);

function repoSection(r: Repository): string {
  const lines = [`[${r.id}]`];
  const add = (k: string, v: string | number | boolean | undefined) => {
    if (v === undefined) return;
    lines.push(`${k}=${typeof v === 'boolean' ? (v ? 1 : 0) : v}`);
  };
  add('name', r.name);
  if (r.urls.length) add('baseurl', r.urls.join(' '));
  add('metalink', r.metalink);
  add('mirrorlist', r.mirrorlist);
  add('enabled', r.enabled);
  add('gpgcheck', r.gpgCheck);
  add('repo_gpgcheck', r.repoGpgCheck);
  if (r.gpgKeys?.length && r.gpgKeys.every(isKeyUrl)) add('gpgkey', r.gpgKeys.join(' '));
  add('sslverify', r.sslVerify);
  add('priority', r.priority);
  add('cost', r.cost);
  if (r.includePackages?.length) add('includepkgs', r.includePackages.join(' '));
  if (r.excludePackages?.length) add('excludepkgs', r.excludePackages.join(' '));
  return `${lines.join('\n')}\n`;
}

function writeTreefile(ir: ImageIR, options: WriteOptions) {
  const diagnostics: Diagnostic[] = [];
  const files: OutputFile[] = [];
  const lost = (detail: string, pointer: string) =>
    diagnostics.push(
      diag(
        translateCodes.lossDetail,
        { pointer, target: 'treefile', detail },
        positionOf(options.positions ?? {}, pointer),
        {
          pointer,
        },
      ),
    );
  /** a file next to the source definition, copied when it is there */
  const copied = (source: string, mode?: number): boolean => {
    const from = options.sourceDir ? join(options.sourceDir, source) : undefined;
    if (!from || !existsSync(from)) return false;
    files.push({ path: source, copyFrom: from, ...(mode ? { mode } : {}) });
    return true;
  };
  const ext = (ir.extensions[EXTENSION_ID] ?? {}) as TreefileExtension;
  const doc: Record<string, unknown> = {};

  const commits = ir.outputs.filter((o) => o.type === 'ostree-commit');
  ir.outputs.forEach((o, i) => {
    if (o.type !== 'ostree-commit')
      lost(`a ${o.type} output (a treefile composes an ostree commit)`, `/outputs/${i}`);
  });
  const ref = commits[0]?.name;
  if (ref) doc.ref = ref;
  else diagnostics.push(diag(treefileCodes.noRefWritten, undefined, undefined, { pointer: '/outputs' }));
  for (let i = 1; i < commits.length; i++) lost('a second ostree commit', `/outputs/${i}`);
  if (commits[0] && !ref) lost('an ostree commit without a name (the ref)', '/outputs/0');
  const named = ir.distribution.id;
  if (named && distroOfRepositories(ir.repositories)?.guess.id !== named)
    lost(
      `the distribution ${named}: a treefile names it only through its repositories' URLs`,
      '/distribution/id',
    );
  if (ir.distribution.release !== undefined) doc.releasever = ir.distribution.release;
  if (ext.variables && Object.keys(ext.variables).length) doc.variables = ext.variables;

  const repoNames = [...ir.repositories.map((r) => r.id), ...(ext.unresolvedRepos ?? [])];
  if (repoNames.length) doc.repos = [...new Set(repoNames)];
  if (ir.repositories.length) {
    const byFile = new Map<string, string[]>();
    for (const [i, r] of ir.repositories.entries()) {
      const valid = r.fileName !== undefined && /^[^/]+\.repo$/.test(r.fileName);
      if (r.fileName !== undefined && !valid)
        lost(
          `${r.fileName} is not a .repo file name; the section goes to ${DEFAULT_REPO_FILE}`,
          `/repositories/${i}/fileName`,
        );
      if (r.gpgKeys?.length && !r.gpgKeys.every(isKeyUrl))
        lost('a .repo gpgkey= takes key URLs, not armoured key text', `/repositories/${i}/gpgKeys`);
      const name = valid ? r.fileName! : DEFAULT_REPO_FILE;
      byFile.set(name, [...(byFile.get(name) ?? []), repoSection(r)]);
    }
    for (const [name, sections] of byFile) files.push({ path: name, content: sections.join('\n') });
  }

  if (ir.packages.install.length) doc.packages = ir.packages.install.map((p) => packageEntry(p.name));
  if (ir.packages.exclude.length) doc['exclude-packages'] = ir.packages.exclude.map((p) => p.name);
  if (ir.packages.installWeakDeps !== undefined) doc.recommends = ir.packages.installWeakDeps;
  if (ir.packages.installDocs !== undefined) doc.documentation = ir.packages.installDocs;
  if (ir.packages.languages?.length) doc['install-langs'] = ir.packages.languages;
  if (ir.system.services.enable.length) doc.units = ir.system.services.enable;

  const postprocess: string[] = [];
  let scriptFile: string | undefined;
  for (const [i, s] of ir.scripts.entries()) {
    const at = `/scripts/${i}`;
    if (s.phase !== 'post-install' || !s.chroot) {
      const where = s.chroot ? 'in' : 'outside';
      lost(`a ${s.phase} script ${where} the image root (postprocess runs in it after packages)`, at);
      continue;
    }
    if (s.network) lost('network access for a script (postprocess runs without network)', `${at}/network`);
    if (s.body !== undefined) {
      postprocess.push(s.body);
      continue;
    }
    const source = s.source && inside(s.source);
    if (!source || scriptFile || !copied(source, 0o755)) {
      lost('a second script file, or one outside the definition folder or missing', at);
      continue;
    }
    scriptFile = source;
  }
  if (postprocess.length) doc.postprocess = postprocess;
  if (scriptFile) doc['postprocess-script'] = scriptFile;

  const addFiles: [string, string][] = [];
  for (const [i, f] of ir.files.entries()) {
    const source = f.source && inside(f.source);
    if (!source || !copied(source)) {
      lost(
        'add-files copies a file from beside the treefile: inline content, or a source outside the folder or missing, cannot be written',
        `/files/${i}`,
      );
      continue;
    }
    addFiles.push([source, f.path]);
  }
  if (addFiles.length) doc['add-files'] = addFiles;

  for (const [k, v] of Object.entries(ext.keys ?? {})) if (!(k in doc)) doc[k] = v;
  for (const k of Object.keys(ext.unknown ?? {}))
    lost(`the key "${k}", which rpm-ostree does not know`, `/extensions/treefile/unknown`);
  for (const [k, v] of Object.entries(ext.otherArch ?? {})) {
    if (k.startsWith('arch-include.')) {
      const arches = (doc['arch-include'] ?? {}) as Record<string, unknown>;
      arches[k.slice('arch-include.'.length)] = v;
      doc['arch-include'] = arches;
    } else doc[k] = v;
  }
  files.unshift({ path: 'treefile.json', content: `${JSON.stringify(doc, null, 2)}\n` });
  return { files, diagnostics };
}
