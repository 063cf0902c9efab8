/**
 * IR → bootc Containerfile + bootc-image-builder `config.toml` (reference: blueprint.md §4).
 * Image content (packages, repositories, services, files, system settings, kernel arguments
 * via kargs.d, build scripts) goes into the Containerfile; users, groups and the disk layout
 * go into config.toml, which bib applies at install time. Every approximation is reported.
 */

import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { stringify as toToml } from 'smol-toml';
import { coreCodes } from '../../../diagnostics/codes/core.js';
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { readInputTextSync } from '../../../input/bounded.js';
import { pointer } from '../../../ir/pointer.js';
import type { ImageIR, Partition, Repository, Script } from '../../../ir/schema.js';
import type { FormatOptions, OutputFile } from '../../contract.js';
import { baseImageFor, distributionOf, isBootcBase, platformFor } from '../../shared/base-images.js';
import { putPlainUserFields } from '../../shared/blueprint-user.js';
import { previewValue } from '../../shared/preview-value.js';
import { scriptForTarget } from '../../shared/script-env.js';
import { withoutNulls } from '../../shared/toml-values.js';
import { shellQuote } from '../shell.js';
import {
  type ContainerfileExtension,
  type PackageFamily,
  packageFamily,
  ROLE_BY_MOUNT,
} from '../vocabulary.js';

const METADATA_LABELS = {
  name: 'org.opencontainers.image.title',
  description: 'org.opencontainers.image.description',
  version: 'org.opencontainers.image.version',
  author: 'org.opencontainers.image.authors',
  license: 'org.opencontainers.image.licenses',
} as const;

const HOST_OR_LATE_PHASES = new Set([
  'sync',
  'pre-install',
  'build',
  'pre-disk',
  'disk',
  'post-output',
  'first-boot',
  'on-error',
  'traceback',
  'clean',
]);

export interface RaiseOptions {
  sourceDir?: string;
  options?: FormatOptions;
}

export function raiseContainerfile(
  ir: ImageIR,
  opts: RaiseOptions = {},
): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  return new Raiser(ir, opts).run();
}

class Raiser {
  private readonly out: string[] = [];
  private readonly files: OutputFile[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly ext: ContainerfileExtension;
  /** undefined: no package manager known for the distribution; packages and repositories are lost */
  private family: PackageFamily | undefined;

  constructor(
    private readonly ir: ImageIR,
    private readonly opts: RaiseOptions,
  ) {
    this.ext = (ir.extensions.containerfile ?? {}) as ContainerfileExtension;
  }

  private lossy(ptr: string, detail: string) {
    this.diagnostics.push(
      diag(translateCodes.lossDetail, { pointer: ptr, target: 'containerfile', detail }, undefined, {
        pointer: ptr,
        source: 'containerfile',
      }),
    );
  }

  /** Groups whose kind the family's install spelling does not carry back. */
  private kindsOtherThan(kind: 'pattern' | undefined, detail: string) {
    this.ir.packages.groups.forEach((g, i) => {
      if (g.kind !== undefined && g.kind !== kind)
        this.lossy(pointer('packages', 'groups', i, 'kind'), detail);
    });
  }

  run() {
    this.ir.outputs.forEach((o, i) => {
      if (o.type !== 'bootc-oci')
        this.lossy(`/outputs/${i}`, `a Containerfile builds a bootc container image, not a ${o.type} output`);
      else if (o.ostree)
        this.lossy(`/outputs/${i}/ostree`, 'a Containerfile names no OSTree ref, remote or URL');
    });
    this.header();
    if (this.family === undefined && this.ir.distribution.id !== undefined)
      this.lossy('/distribution/id', `${this.noPackageManager()}: no package or dnf repository is written`);
    this.repositories();
    const scripts = this.orderedScripts();
    for (const [script, i] of scripts.filter(([s]) => s.phase === 'pre-packages')) this.script(script, i);
    this.packages(scripts.some(([s]) => s.phase === 'pre-packages'));
    this.overlays();
    this.directories();
    this.plainFiles();
    this.symlinks();
    this.system();
    for (const [script, i] of scripts.filter(([s]) => s.phase !== 'pre-packages')) this.script(script, i);
    for (const text of this.ext.instructions ?? []) this.out.push('', text);
    if (this.ext.from !== undefined || baseImageFor(this.ir.distribution)?.bootc)
      this.out.push('', 'RUN bootc container lint');
    this.files.unshift({ path: 'Containerfile', content: `${this.out.join('\n').replace(/^\n+/, '')}\n` });
    const config = this.config();
    if (config) this.files.push({ path: 'config.toml', content: config });
    return { files: this.files, diagnostics: this.diagnostics };
  }

  private header() {
    for (const arg of this.ext.globalArgs ?? []) this.out.push(`ARG ${arg}`);
    for (const stage of this.ext.stages ?? []) this.out.push('', stage);
    const d = this.ir.distribution;
    let image =
      typeof this.opts.options?.['base-image'] === 'string'
        ? (this.opts.options['base-image'] as string)
        : this.keptBase();
    if (image === undefined) {
      const base = baseImageFor(d);
      if (!base) {
        // no default base: translate stops earlier (IMGC1021); a direct writer call says so too
        image = 'scratch';
        this.diagnostics.push(
          diag(
            coreCodes.distroUnknown,
            { why: 'the IR names no distribution and the Containerfile needs a base image' },
            undefined,
            { pointer: '/distribution/id', source: 'containerfile' },
          ),
        );
      } else {
        image = base.image;
        if (!base.bootc)
          this.lossy(
            '/distribution',
            `${d.id} publishes no bootc base image; ${image} is a plain container image, so bootc, a kernel and ostree must be added before bootc-image-builder can use it`,
          );
        const back = distributionOf(image);
        if (d.id && !d.release)
          this.lossy(
            '/distribution/release',
            `no release given; the base image tag is ${image.split(':').pop()}`,
          );
        else if (back?.id !== d.id || back?.release !== d.release)
          this.lossy(
            '/distribution/release',
            back
              ? `written as ${image}, which reads back as ${back.id} ${back.release ?? '(no release)'}`
              : `written as ${image}, an image imgc does not know: it reads back with no distribution`,
          );
      }
      if (d.variant) this.lossy('/distribution/variant', 'the base image has no variant');
    }
    // the package manager the source used on a base image kept as read, else the distribution's
    this.family =
      image === this.ext.from && this.ext.packageManager !== undefined
        ? this.ext.packageManager
        : packageFamily(d.id);
    let platform = this.ext.platform;
    if (d.architecture) {
      platform = platformFor(d.architecture);
      if (!platform)
        this.lossy('/distribution/architecture', `no container platform is known for ${d.architecture}`);
    }
    this.out.push('', `FROM ${platform ? `--platform=${platform} ` : ''}${image}`);
    if (this.ext.env?.length) this.out.push('', ...this.ext.env);
    const labels: [string, string][] = [];
    for (const [field, label] of Object.entries(METADATA_LABELS)) {
      const v = this.ir.metadata?.[field as keyof typeof METADATA_LABELS];
      if (v !== undefined) labels.push([label, v]);
    }
    appendAll(labels, Object.entries(this.ext.labels ?? {}));
    // a bootc-oci output on a base that is not bootc's own is marked as a bootc image
    const bootc = this.ir.outputs.some((o) => o.type === 'bootc-oci');
    if (bootc && !isBootcBase(image) && this.ext.labels?.['containers.bootc'] === undefined)
      labels.push(['containers.bootc', '1']);
    if (labels.length)
      this.out.push('', ...labels.map(([k, v]) => `LABEL ${labelKey(k)}=${JSON.stringify(v)}`));
  }

  /** The base image as read, unless the IR now names another distribution than it. */
  private keptBase(): string | undefined {
    const from = this.ext.from;
    if (from === undefined || !this.ir.distribution.id) return from;
    const args = new Map(
      (this.ext.globalArgs ?? []).map((a) => [
        a.split('=')[0]!,
        a.slice(a.indexOf('=') + 1).replace(/^"(.*)"$/, '$1'),
      ]),
    );
    const expanded = from.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a, b) => args.get(a ?? b) ?? whole);
    const kept = distributionOf(expanded);
    if (kept?.id === this.ir.distribution.id) return from;
    this.lossy(
      '/extensions/containerfile/from',
      `the base image ${from} does not match distribution ${this.ir.distribution.id}; replaced`,
    );
    return undefined;
  }

  private repositories() {
    const byFile = new Map<string, { repos: Repository[]; index: number[] }>();
    this.ir.repositories.forEach((r, i) => {
      const ptr = pointer('repositories', i);
      const apt =
        r.type === 'apt' || r.type === 'apt-deb822' || (r.type === undefined && this.family === 'apt');
      if (r.gpgKeys?.some((k) => k.includes('-----BEGIN')))
        this.lossy(
          `${ptr}/gpgKeys`,
          'inline armored keys are not written; put the key file next to the Containerfile',
        );
      let fileName: string;
      if (apt) {
        if (r.type === 'apt') this.lossy(`${ptr}/type`, 'written as a deb822 .sources file');
        for (const k of [
          'priority',
          'cost',
          'mirrorlist',
          'metalink',
          'includePackages',
          'excludePackages',
          'proxy',
          'username',
          'password',
          'gpgCheck',
          'repoGpgCheck',
          'sslVerify',
          'moduleHotfixes',
          'name',
        ] as const) {
          if (r[k] !== undefined) this.lossy(`${ptr}/${k}`, 'deb822 sources have no such field');
        }
        fileName = `${r.id}.sources`;
        if (r.fileName !== undefined && r.fileName !== fileName)
          this.lossy(`${ptr}/fileName`, `written as ${fileName}`);
        this.files.push({ path: `repos/${fileName}`, content: deb822(r) });
        this.out.push('', `COPY repos/${fileName} /etc/apt/sources.list.d/${fileName}`);
        return;
      }
      if (this.family === undefined) {
        this.lost(ptr, r);
        return;
      }
      if (r.type !== undefined && r.type !== 'rpm-md')
        this.lossy(`${ptr}/type`, `${r.type} repositories are written as dnf .repo files`);
      for (const k of ['suites', 'components'] as const)
        if (r[k] !== undefined) this.lossy(`${ptr}/${k}`, 'dnf repositories have no such field');
      fileName = r.fileName ?? `${r.id}.repo`;
      if (!/^[\w.-]+$/.test(fileName)) {
        fileName = /^[\w.-]+$/.test(posixBase(fileName)) ? posixBase(fileName) : `${r.id}.repo`;
        this.lossy(`${ptr}/fileName`, `written as /etc/yum.repos.d/${fileName}`);
      }
      if (!fileName.endsWith('.repo')) {
        this.lossy(`${ptr}/fileName`, `written as ${fileName}.repo`);
        fileName = `${fileName}.repo`;
      }
      const entry = byFile.get(fileName) ?? { repos: [], index: [] };
      entry.repos.push(r);
      entry.index.push(i);
      byFile.set(fileName, entry);
    });
    for (const [fileName, { repos }] of byFile) {
      this.files.push({ path: `repos/${fileName}`, content: repos.map(dnfRepo).join('\n') });
      this.out.push('', `COPY repos/${fileName} /etc/yum.repos.d/${fileName}`);
    }
  }

  private noPackageManager(): string {
    return `imgc knows no package manager for ${this.ir.distribution.id ?? 'an unnamed distribution'}'s base image`;
  }

  private lost(ptr: string, value: unknown) {
    this.diagnostics.push(
      diag(
        translateCodes.loss,
        { pointer: ptr, target: 'containerfile', value: previewValue(value) },
        undefined,
        { pointer: ptr, source: 'containerfile' },
      ),
    );
  }

  /** Without a known package manager nothing about packages can be written: each part is lost. */
  private packagesLost() {
    const p = this.ir.packages;
    for (const list of ['install', 'remove', 'exclude', 'groups', 'modules'] as const)
      p[list].forEach((item, i) => {
        this.lost(pointer('packages', list, i), item);
      });
  }

  private preScriptsReadBackLate() {
    this.ir.scripts.forEach((s, i) => {
      if (s.phase === 'pre-packages')
        this.lossy(
          pointer('scripts', i, 'phase'),
          'nothing is installed, so the script reads back as post-install',
        );
    });
  }

  private packages(hasPreScripts: boolean) {
    const p = this.ir.packages;
    if (this.family === undefined) {
      this.packagesLost();
      if (hasPreScripts) this.preScriptsReadBackLate();
      return;
    }
    const cmds: string[] = [];
    const pkgNames = p.install.map((x) => x.name);
    const warnVersions = (list: 'install' | 'exclude' | 'remove') =>
      p[list].forEach((x, i) => {
        if (x.version !== undefined)
          this.lossy(pointer('packages', list, i, 'version'), 'package versions are not written');
        if (x.arch !== undefined)
          this.lossy(pointer('packages', list, i, 'arch'), 'package architectures are not written');
      });
    warnVersions('install');
    p.install.forEach((x, i) => {
      if (x.name.startsWith('@') && this.family === 'dnf')
        this.lossy(
          pointer('packages', 'install', i, 'name'),
          `dnf reads ${x.name} as a group; it reads back as one`,
        );
    });
    warnVersions('exclude');
    warnVersions('remove');
    if (p.installDocs === true)
      this.lossy('/packages/installDocs', 'documentation is installed by default; not written');
    if (p.installWeakDeps === true)
      this.lossy('/packages/installWeakDeps', 'weak dependencies are installed by default; not written');
    const q = (names: string[]) => wrapWords(names.map(shellQuote));
    if (this.family === 'dnf') {
      p.modules.forEach((m, i) => {
        if (m.profile !== undefined)
          this.lossy(pointer('packages', 'modules', i, 'profile'), 'module profiles are not written');
        if (m.state === 'installed')
          this.lossy(pointer('packages', 'modules', i, 'state'), 'written as `dnf module enable`');
        cmds.push(
          `dnf -y module ${m.state === 'disabled' ? 'disable' : 'enable'} ${shellQuote(m.stream ? `${m.name}:${m.stream}` : m.name)}`,
        );
      });
      this.kindsOtherThan(undefined, 'dnf installs @group and reads it back without a kind');
      const words = [...pkgNames, ...p.groups.map((g) => `@${g.name}`)];
      if (words.length) {
        const opts = ['-y'];
        if (p.installDocs === false) opts.push('--nodocs');
        if (p.installWeakDeps === false) opts.push('--setopt=install_weak_deps=False');
        for (const x of p.exclude) opts.push(`--exclude=${shellQuote(x.name)}`);
        cmds.push(`dnf ${opts.join(' ')} install ${q(words)}`);
      } else if (p.exclude.length)
        this.lossy(
          '/packages/exclude',
          'excludes are written on the install command, and nothing is installed',
        );
      if (p.remove.length) cmds.push(`dnf -y remove ${q(p.remove.map((x) => x.name))}`);
      if (cmds.length) cmds.push('dnf clean all');
    } else {
      if (p.modules.length) this.lossy('/packages/modules', `${this.family} has no module streams`);
      if (p.exclude.length)
        this.lossy('/packages/exclude', `${this.family} install commands have no excludes`);
      if (p.installDocs === false)
        this.lossy('/packages/installDocs', `${this.family} has no install option for documentation`);
      if (this.family === 'apt') {
        if (p.groups.length) this.lossy('/packages/groups', 'apt has no package groups');
        if (pkgNames.length) {
          cmds.push('apt-get update');
          cmds.push(
            `apt-get install -y ${p.installWeakDeps === false ? '--no-install-recommends ' : ''}${q(pkgNames)}`,
          );
        }
        if (p.remove.length) cmds.push(`apt-get purge -y ${q(p.remove.map((x) => x.name))}`);
        if (cmds.length) cmds.push('rm -rf /var/lib/apt/lists/*');
      } else if (this.family === 'zypper') {
        this.kindsOtherThan('pattern', 'zypper installs every group as pattern:NAME');
        const words = [...pkgNames, ...p.groups.map((g) => `pattern:${g.name}`)];
        if (words.length)
          cmds.push(
            `zypper --non-interactive install ${p.installWeakDeps === false ? '--no-recommends ' : ''}${q(words)}`,
          );
        if (p.remove.length) cmds.push(`zypper --non-interactive remove ${q(p.remove.map((x) => x.name))}`);
        if (cmds.length) cmds.push('zypper clean -a');
      } else {
        if (p.groups.length) this.lossy('/packages/groups', 'written as package names');
        const words = [...pkgNames, ...p.groups.map((g) => g.name)];
        if (p.installWeakDeps === false)
          this.lossy('/packages/installWeakDeps', 'pacman has no weak dependencies');
        if (words.length) cmds.push(`pacman -Syu --noconfirm --needed ${q(words)}`);
        if (p.remove.length) cmds.push(`pacman -Rns --noconfirm ${q(p.remove.map((x) => x.name))}`);
        if (cmds.length) cmds.push('pacman -Scc --noconfirm');
      }
    }
    const installs = pkgNames.length > 0 || p.groups.length > 0;
    if (!installs && p.installDocs === false)
      this.lossy('/packages/installDocs', 'nothing is installed, so no install option carries it');
    if (!installs && p.installWeakDeps === false)
      this.lossy('/packages/installWeakDeps', 'nothing is installed, so no install option carries it');
    if (hasPreScripts && !pkgNames.length && !p.groups.length && !p.modules.length)
      this.preScriptsReadBackLate();
    if (cmds.length) this.out.push('', `RUN ${cmds.join(' && \\\n    ')}`);
  }

  private contextCopy(source: string, ptr: string): string {
    const rel = normalize(source);
    const safe = !isAbsolute(rel) && !rel.startsWith('..') && !/^[a-z]+:/.test(source);
    const target = safe ? rel : `imported/${rel.replace(/^[/.]+/, '').replace(/[^\w./-]/g, '_')}`;
    const from = this.opts.sourceDir
      ? join(this.opts.sourceDir, source)
      : isAbsolute(source)
        ? source
        : undefined;
    if (from && existsSync(from)) this.files.push({ path: target, copyFrom: from });
    else
      this.lossy(
        ptr,
        `${source} was not found next to the source definition; the COPY line refers to it anyway`,
      );
    if (!safe) this.lossy(ptr, `copied into the build context as ${target}`);
    return target;
  }

  private overlays() {
    this.ir.overlays.forEach((o, i) => {
      const ptr = pointer('overlays', i);
      const src = this.contextCopy(o.source, `${ptr}/source`);
      this.out.push('', `COPY ${src}/ ${o.destination ?? '/'}`);
    });
  }

  private directories() {
    const cmds = this.ir.directories.map((d, i) => {
      const owned = d.user !== undefined || d.group !== undefined;
      if (d.ensureParents && !owned) return ['mkdir', '-p', ...(d.mode ? ['-m', d.mode] : []), d.path];
      if (d.ensureParents)
        this.lossy(
          pointer('directories', i, 'ensureParents'),
          'install -d creates the parents anyway; not written',
        );
      return [
        'install',
        '-d',
        ...(d.mode ? ['-m', d.mode] : []),
        ...(d.user !== undefined ? ['-o', String(d.user)] : []),
        ...(d.group !== undefined ? ['-g', String(d.group)] : []),
        d.path,
      ];
    });
    if (cmds.length)
      this.out.push('', `RUN ${cmds.map((c) => c.map(shellQuote).join(' ')).join(' && \\\n    ')}`);
  }

  private plainFiles() {
    this.ir.files.forEach((entry, i) => {
      const ptr = pointer('files', i);
      let f = entry;
      if (!f.path.startsWith('/')) {
        f = { ...f, path: `/${f.path}` };
        this.lossy(`${ptr}/path`, `not an absolute path; written as ${f.path}`);
      }
      const flags = [
        ...(f.mode ? [`--chmod=${f.mode}`] : []),
        ...(f.user !== undefined || f.group !== undefined
          ? [`--chown=${f.user ?? ''}${f.group !== undefined ? `:${f.group}` : ''}`]
          : []),
      ];
      const head = ['COPY', ...flags].join(' ');
      if (f.content?.endsWith('\n')) {
        const field = flags.length ? undefined : knownFileField(f.path, f.content);
        if (field) this.lossy(ptr, `a plain ${f.path} with this content reads back as ${field}, not a file`);
        this.heredoc(`${head} <<`, ` ${f.path}`, f.content);
      } else if (f.content !== undefined || f.contentBase64 !== undefined) {
        const target = `files${f.path}`;
        this.files.push({ path: target, content: f.content ?? Buffer.from(f.contentBase64!, 'base64') });
        this.lossy(
          f.content !== undefined ? `${ptr}/content` : `${ptr}/contentBase64`,
          `written as ${target} next to the Containerfile (a heredoc needs a final newline and text)`,
        );
        this.out.push('', `${head} ${target} ${f.path}`);
      } else if (f.source !== undefined) {
        const src = this.contextCopy(f.source, `${ptr}/source`);
        this.out.push('', `${head} ${src} ${f.path}`);
      } else {
        this.heredoc(`${head} <<`, ` ${f.path}`, '');
        this.lossy(ptr, 'a file without content is written empty');
      }
    });
  }

  private symlinks() {
    this.ir.symlinks.forEach((s, i) => {
      // the reader takes this link as the timezone (lowerLn)
      if (s.path === '/etc/localtime' && /^(?:\.\.)?\/usr\/share\/zoneinfo\/./.test(s.target))
        this.lossy(
          pointer('symlinks', i),
          'RUN ln -sf …/zoneinfo/… /etc/localtime reads back as the timezone',
        );
    });
    const cmds = this.ir.symlinks.map((s) => `ln -sf ${shellQuote(s.target)} ${shellQuote(s.path)}`);
    if (cmds.length) this.out.push('', `RUN ${cmds.join(' && \\\n    ')}`);
  }

  private system() {
    const s = this.ir.system;
    if (s.locale !== undefined) this.heredoc('COPY <<', ' /etc/locale.conf', `LANG=${s.locale}\n`);
    if (s.keymap !== undefined) this.heredoc('COPY <<', ' /etc/vconsole.conf', `KEYMAP=${s.keymap}\n`);
    if (s.hostname !== undefined) {
      this.heredoc('COPY <<', ' /etc/hostname', `${s.hostname}\n`);
      this.lossy('/system/hostname', 'baked into the image; every machine deployed from it gets this name');
    }
    const run: string[] = [];
    if (s.timezone !== undefined)
      run.push(`ln -sf ${shellQuote(`/usr/share/zoneinfo/${s.timezone}`)} /etc/localtime`);
    if (s.fips) run.push('update-crypto-policies --no-reload --set FIPS');
    const fw = s.firewall;
    if (fw) {
      const global = [
        ...(fw.enabled === undefined ? [] : [fw.enabled ? '--enabled' : '--disabled']),
        ...fw.ports.map((p) => `--add-port=${p}`),
        ...fw.services.enable.map((x) => `--add-service=${x}`),
        ...fw.services.disable.map((x) => `--remove-service=${x}`),
      ];
      if (global.length) run.push(`firewall-offline-cmd ${global.map(shellQuote).join(' ')}`);
      for (const z of fw.zones)
        if (z.sources.length)
          run.push(
            `firewall-offline-cmd ${[`--zone=${z.name}`, ...z.sources.map((x) => `--add-source=${x}`)].map(shellQuote).join(' ')}`,
          );
      fw.zones.forEach((z, i) => {
        if (!z.sources.length)
          this.lossy(pointer('system', 'firewall', 'zones', i), 'a zone without sources is not written');
      });
      if (fw.trust?.length)
        run.push(
          `firewall-offline-cmd --zone=trusted ${fw.trust.map((x) => shellQuote(`--add-interface=${x}`)).join(' ')}`,
        );
    }
    for (const verb of ['enable', 'disable', 'mask'] as const) {
      const units = s.services[verb];
      if (units.length) run.push(`systemctl ${verb} ${units.map(shellQuote).join(' ')}`);
    }
    if (run.length) this.out.push('', `RUN ${run.join(' && \\\n    ')}`);
    const kargs = [
      ...(s.fips && !s.kernel.cmdline.includes('fips=1') ? ['fips=1'] : []),
      ...s.kernel.cmdline,
    ];
    if (kargs.length)
      this.heredoc(
        'COPY <<',
        ' /usr/lib/bootc/kargs.d/50-imgc.toml',
        `kargs = [${kargs.map((k) => JSON.stringify(k)).join(', ')}]\n`,
      );
  }

  /** Scripts in the order the Containerfile runs them: pre-packages first. */
  private orderedScripts(): [Script, number][] {
    const kept: [Script, number][] = [];
    for (const [i, s] of this.ir.scripts.entries()) {
      const ptr = pointer('scripts', i);
      if (!s.chroot) {
        this.lossy(
          ptr,
          'runs on the build host; a Containerfile only runs commands inside the image; not written',
        );
        continue;
      }
      if (HOST_OR_LATE_PHASES.has(s.phase)) {
        this.lossy(ptr, `phase ${s.phase} has no Containerfile step; not written`);
        continue;
      }
      if (s.body === undefined && s.source === undefined) continue;
      kept.push([s, i]);
    }
    const pre = kept.filter(([s]) => s.phase === 'pre-packages');
    const ordered = [...pre, ...kept.filter(([s]) => s.phase !== 'pre-packages')];
    if (ordered.some(([, i], n) => kept[n]![1] !== i)) {
      this.lossy('/scripts', 'scripts that run before the packages are written first; the order changes');
    }
    return ordered;
  }

  private script(s: Script, i: number) {
    const ptr = pointer('scripts', i);
    if (s.phase !== 'pre-packages' && s.phase !== 'post-install')
      this.lossy(`${ptr}/phase`, `runs after the packages, like post-install`);
    let body = s.body;
    if (body === undefined && s.source !== undefined) {
      body = this.readSource(s.source);
      if (body === undefined)
        return this.lossy(ptr, `script ${s.source} was not found next to the source definition; not written`);
      this.lossy(`${ptr}/source`, 'the script text is written into the Containerfile');
    }
    if (s.interpreter !== undefined && !body!.startsWith('#!')) {
      body = `#!${s.interpreter}\n${body}`;
      this.lossy(`${ptr}/body`, `a #!${s.interpreter} line is added`);
    }
    const written = scriptForTarget(
      this.ir,
      i,
      body!,
      'containerfile',
      s.chroot
        ? undefined
        : 'a RUN instruction runs in the image, not on the host where the script expects to run',
    );
    appendAll(this.diagnostics, written.diagnostics);
    body = written.body;
    const flags = this.ext.scriptFlags?.[String(i)];
    this.heredoc(`RUN ${flags ? `${flags} ` : ''}<<`, '', `${body}\n`);
  }

  private readSource(source: string): string | undefined {
    if (!this.opts.sourceDir) return undefined;
    const path = join(this.opts.sourceDir, source);
    try {
      return existsSync(path) ? readInputTextSync(path) : undefined;
    } catch {
      return undefined;
    }
  }

  private heredoc(before: string, after: string, body: string) {
    const lines = new Set(body.split('\n'));
    let delimiter = 'EOF';
    for (let n = 1; lines.has(delimiter); n++) delimiter = `EOF${n}`;
    this.out.push('', `${before}'${delimiter}'${after}`, `${body}${delimiter}`);
  }

  private config(): string | undefined {
    const c: Record<string, unknown> = {};
    const acc = this.ir.accounts;
    const users: Record<string, unknown>[] = [];
    if (acc.root) {
      const r: Record<string, unknown> = { name: 'root' };
      this.password(r, acc.root.password, '/accounts/root/password');
      if (acc.root.sshKeys.length) r.key = acc.root.sshKeys.join('\n');
      if (acc.root.shell) r.shell = acc.root.shell;
      users.push(r);
    }
    acc.users.forEach((u, i) => {
      const ptr = pointer('accounts', 'users', i);
      const r: Record<string, unknown> = { name: u.name };
      if (u.description !== undefined) r.description = u.description;
      this.password(r, u.password, `${ptr}/password`);
      putPlainUserFields(u, r);
      if (u.password?.forceChange) r.force_password_reset = true;
      users.push(r);
    });
    if (users.length) c.user = users;
    if (acc.groups.length)
      c.group = acc.groups.map((g) =>
        g.gid === undefined ? { name: g.name } : { name: g.name, gid: g.gid },
      );
    const st = this.ir.storage;
    if (st) {
      const explicit = st.partitions.length > 0 || st.volumeGroups.length > 0;
      if (explicit) {
        const disk: Record<string, unknown> = {};
        if (st.partitionTable) disk.type = st.partitionTable;
        if (st.size?.min !== undefined) disk.minsize = st.size.min;
        if (st.sectorSize !== undefined) disk.sector_size = st.sectorSize;
        if (st.startOffset !== undefined) disk.start_offset = st.startOffset;
        const partitions = st.partitions
          .map((p, i) => this.roleChecked(p, i, this.partition(p, i)))
          .filter((x) => x !== undefined);
        st.volumeGroups.forEach((vg, i) => {
          if (st.partitions.some((p) => p.volumeGroup === vg.name)) return;
          partitions.push({
            type: 'lvm',
            name: vg.name,
            logical_volumes: vg.logicalVolumes.map(logicalVolume),
          });
          this.lossy(
            pointer('storage', 'volumeGroups', i, 'physicalVolumes'),
            'written as an LVM partition of its own',
          );
        });
        disk.partitions = partitions;
        c.disk = disk;
        if (st.mountpoints.length)
          this.lossy(
            '/storage/mountpoints',
            'bib takes either a disk layout or filesystem sizes; the layout is written',
          );
      }
      if (st.mode !== undefined && st.mode !== (explicit ? 'explicit' : undefined))
        this.lossy(
          '/storage/mode',
          explicit ? 'bib takes an explicit layout' : 'bib has no partitioning mode',
        );
      if (!explicit) {
        for (const k of ['partitionTable', 'size', 'sectorSize', 'startOffset'] as const)
          if (st[k] !== undefined)
            this.lossy(`/storage/${k}`, 'bib takes disk settings only with a partition layout; not written');
      }
      if (!explicit && st.mountpoints.length) {
        c.filesystem = st.mountpoints.map((m) => ({ mountpoint: m.mountpoint, minsize: m.size.min ?? 0 }));
        st.mountpoints.forEach((m, i) => {
          if (m.size.min === undefined)
            this.lossy(
              pointer('storage', 'mountpoints', i, 'size'),
              'bib needs a minimum size; 0 is written',
            );
          if (m.size.max !== undefined)
            this.lossy(pointer('storage', 'mountpoints', i, 'size', 'max'), 'bib has no maximum size');
        });
      }
    }
    const merged = mergeConfig({ customizations: c }, this.ext.config ?? {});
    const custom = merged.customizations as Record<string, unknown>;
    if (!Object.keys(custom).length) delete merged.customizations;
    if (!Object.keys(merged).length) return undefined;
    const nullAt = (path: string) =>
      this.diagnostics.push(
        diag(
          translateCodes.nullNotWritable,
          { target: 'containerfile', path: `config.toml: ${path}` },
          undefined,
          {
            pointer: '/extensions/containerfile/config',
            source: 'containerfile',
          },
        ),
      );
    return `${toToml(withoutNulls(merged, nullAt) as Record<string, unknown>)}\n`;
  }

  private password(
    r: Record<string, unknown>,
    pw: NonNullable<ImageIR['accounts']['root']>['password'],
    ptr: string,
  ) {
    if (!pw) return;
    if (pw.hash !== undefined && /^\$[0-9a-z]+\$/.test(pw.hash)) r.password = pw.hash;
    else if (pw.hash !== undefined)
      this.lossy(
        `${ptr}/hash`,
        'not a crypt(3) hash; bib would take it as a clear-text password, so it is not written',
      );
    else if (pw.plain !== undefined) r.password = pw.plain;
  }

  /** bib has no partition roles: a role survives only where the written entry implies it */
  private roleChecked(p: Partition, i: number, out: Record<string, unknown> | undefined) {
    if (!p.role || !out) return out;
    const implied =
      out.type === 'lvm'
        ? 'lvm'
        : out.type === 'btrfs'
          ? undefined
          : out.fs_type === 'swap'
            ? 'swap'
            : ROLE_BY_MOUNT[String(out.mountpoint)];
    if (implied !== p.role)
      this.lossy(
        pointer('storage', 'partitions', i, 'role'),
        `bib has no partition roles; ${implied ? `the entry reads back as ${implied}` : 'the role is not written'}`,
      );
    return out;
  }

  private partition(p: Partition, i: number): Record<string, unknown> | undefined {
    const ptr = pointer('storage', 'partitions', i);
    const out: Record<string, unknown> = {};
    if (p.size?.min === undefined) this.lossy(`${ptr}/size`, 'bib requires minsize; none is written');
    if (p.size?.max !== undefined) this.lossy(`${ptr}/size/max`, 'bib has no maximum size');
    const vg = p.volumeGroup
      ? this.ir.storage!.volumeGroups.find((v) => v.name === p.volumeGroup)
      : undefined;
    if (vg) {
      out.type = 'lvm';
      out.name = vg.name;
      if (p.size?.min !== undefined) out.minsize = p.size.min;
      out.logical_volumes = vg.logicalVolumes.map(logicalVolume);
      return out;
    }
    if (p.subvolumes?.length) {
      if (p.mountpoint)
        this.lossy(
          `${ptr}/mountpoint`,
          'a bib btrfs volume has no mountpoint of its own, only its subvolumes',
        );
      if (p.fsLabel) this.lossy(`${ptr}/fsLabel`, 'a bib btrfs volume has no label');
      out.type = 'btrfs';
      if (p.size?.min !== undefined) out.minsize = p.size.min;
      out.subvolumes = p.subvolumes.map((s) => ({
        name: s.name,
        ...(s.mountpoint ? { mountpoint: s.mountpoint } : {}),
      }));
      return out;
    }
    if (p.mountpoint) out.mountpoint = p.mountpoint;
    if (p.fsLabel) out.label = p.fsLabel;
    if (p.filesystem) out.fs_type = p.filesystem;
    if (p.size?.min !== undefined) out.minsize = p.size.min;
    if (p.typeUuid) out.part_type = p.typeUuid;
    if (p.name) out.part_label = p.name;
    if (p.uuid) out.part_uuid = p.uuid;
    return out;
  }
}

/** Words joined by spaces, continued on new lines so no line grows past ~90 characters. */
function wrapWords(words: string[]): string {
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + w.length + 1 > 72) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.join(' \\\n        ');
}

function logicalVolume(
  lv: NonNullable<ImageIR['storage']>['volumeGroups'][number]['logicalVolumes'][number],
) {
  return {
    name: lv.name,
    ...(lv.mountpoint ? { mountpoint: lv.mountpoint } : {}),
    ...(lv.filesystem ? { fs_type: lv.filesystem } : {}),
    ...(lv.fsLabel ? { label: lv.fsLabel } : {}),
    ...(lv.size?.min !== undefined ? { minsize: lv.size.min } : {}),
  };
}

function posixBase(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function labelKey(k: string): string {
  return /^[\w.-]+$/.test(k) ? k : JSON.stringify(k);
}

function dnfRepo(r: Repository): string {
  const lines = [`[${r.id}]`];
  const b = (v: boolean) => (v ? '1' : '0');
  if (r.name !== undefined) lines.push(`name=${r.name}`);
  if (r.urls.length) lines.push(`baseurl=${r.urls.join(' ')}`);
  if (r.mirrorlist !== undefined) lines.push(`mirrorlist=${r.mirrorlist}`);
  if (r.metalink !== undefined) lines.push(`metalink=${r.metalink}`);
  if (r.enabled !== undefined) lines.push(`enabled=${b(r.enabled)}`);
  if (r.gpgCheck !== undefined) lines.push(`gpgcheck=${b(r.gpgCheck)}`);
  if (r.repoGpgCheck !== undefined) lines.push(`repo_gpgcheck=${b(r.repoGpgCheck)}`);
  const keys = (r.gpgKeys ?? []).filter((k) => !k.includes('-----BEGIN'));
  if (keys.length) lines.push(`gpgkey=${keys.join(' ')}`);
  if (r.sslVerify !== undefined) lines.push(`sslverify=${b(r.sslVerify)}`);
  if (r.priority !== undefined) lines.push(`priority=${r.priority}`);
  if (r.cost !== undefined) lines.push(`cost=${r.cost}`);
  if (r.moduleHotfixes !== undefined) lines.push(`module_hotfixes=${b(r.moduleHotfixes)}`);
  if (r.includePackages?.length) lines.push(`includepkgs=${r.includePackages.join(' ')}`);
  if (r.excludePackages?.length) lines.push(`excludepkgs=${r.excludePackages.join(' ')}`);
  if (r.proxy !== undefined) lines.push(`proxy=${r.proxy}`);
  if (r.username !== undefined) lines.push(`username=${r.username}`);
  if (r.password !== undefined) lines.push(`password=${r.password}`);
  return `${lines.join('\n')}\n`;
}

function deb822(r: Repository): string {
  const lines = ['Types: deb', `URIs: ${r.urls.join(' ')}`];
  if (r.suites?.length) lines.push(`Suites: ${r.suites.join(' ')}`);
  if (r.components?.length) lines.push(`Components: ${r.components.join(' ')}`);
  if (r.enabled !== undefined) lines.push(`Enabled: ${r.enabled ? 'yes' : 'no'}`);
  if (r.gpgKeys?.length) lines.push(`Signed-By: ${r.gpgKeys.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

function mergeConfig(base: Record<string, unknown>, add: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(add)) {
    const cur = out[k];
    out[k] =
      cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v)
        ? mergeConfig(cur as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/**
 * The IR field the reader makes of a COPY heredoc of this file with no --chmod/--chown
 * (read/lower.ts lowerKnownFile): the hostname, locale and keymap files of one setting.
 */
function knownFileField(path: string, content: string): string | undefined {
  const single = /^([^\n]*)\n?$/.exec(content)?.[1];
  if (single === undefined) return undefined;
  if (path === '/etc/hostname' && /^[A-Za-z0-9.-]+$/.test(single)) return '/system/hostname';
  const assigns = (key: string) => new RegExp(`^${key}=(?:"([^"]*)"|(\\S+))$`).test(single);
  if (path === '/etc/locale.conf' && assigns('LANG')) return '/system/locale';
  if (path === '/etc/vconsole.conf' && assigns('KEYMAP')) return '/system/keymap';
  return undefined;
}
