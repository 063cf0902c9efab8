/**
 * IR → a live-build tree: `auto/config` (one `lb config noauto` call with the distribution,
 * architecture, mirror, archive areas, image type, kernel command line and the options kept
 * from a live-build source), `config/package-lists/imgc.list.chroot`, one
 * `config/archives/<id>.list.chroot` per further apt repository, the files under
 * `config/includes.chroot_after_packages/`, and the scripts as `config/hooks/normal/*.hook.chroot`.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { ARCH_TO_DEB } from '../../../distros/debian.js';
import { debianCodename } from '../../../ir/distribution.js';
import type { ImageIR } from '../../../ir/schema.js';
import type { OutputFile, WriteOptions, WriteResult } from '../../contract.js';
import { liveBuildCodes } from '../codes.js';
import type { LiveBuildExtension } from '../extension.js';
import { MODES, WRITTEN_IMAGE_TYPE } from '../vocabulary.js';

const TARGET = 'live-build';
const INCLUDES = 'config/includes.chroot_after_packages';

interface Out {
  diagnostics: Diagnostic[];
  files: OutputFile[];
  options: [string, string, boolean?][];
}

function approx(out: Out, pointer: string, detail: string): void {
  out.diagnostics.push(
    diag(translateCodes.lossDetail, { pointer, target: TARGET, detail }, undefined, { pointer }),
  );
}

/** A shell word: bare when safe, double-quoted when it expands variables (kept from a live-build source), else single-quoted. */
function quote(v: string, expands = false): string {
  if (/^[A-Za-z0-9_./:@%+,=][A-Za-z0-9_./:@%+,=-]*$/.test(v)) return v;
  if (expands) return `"${v.replace(/["\\]/g, '\\$&')}"`;
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

function distributionOptions(ir: ImageIR, out: Out): void {
  const d = ir.distribution;
  const mode = d.id ? Object.entries(MODES).find(([, id]) => id === d.id)?.[0] : undefined;
  if (mode) out.options.push(['mode', mode]);
  else if (d.id) {
    approx(out, '/distribution', `live-build builds Debian and Ubuntu; ${d.id} is not written`);
    out.diagnostics.push(
      diag(
        liveBuildCodes.writeNotDebian,
        { distribution: [d.id, d.release].filter(Boolean).join(' ') },
        undefined,
        { pointer: '/distribution' },
      ),
    );
  }
  if (d.release) {
    const suite = d.id === 'debian' ? debianCodename(d.release) : d.release;
    if (suite !== d.release)
      approx(out, '/distribution/release', `lb config takes the suite: ${d.release} is written as ${suite}`);
    if (mode || !d.id) out.options.push(['distribution', suite]);
  } else
    out.diagnostics.push(
      diag(
        liveBuildCodes.writeInferred,
        {
          field: '--distribution',
          value: 'bullseye',
          how: 'the definition names no release; lb config 20230502 then uses its default',
        },
        undefined,
        { pointer: '/distribution/release' },
      ),
    );
  if (d.architecture) {
    const deb = ARCH_TO_DEB[d.architecture];
    if (deb) out.options.push(['architectures', deb]);
    else
      approx(
        out,
        '/distribution/architecture',
        `no Debian architecture for ${d.architecture}; lb config uses the host's`,
      );
  }
}

function repositoryOptions(ir: ImageIR, out: Out): void {
  const apt = ir.repositories.filter(
    (r) => r.type === 'apt' || r.type === 'apt-deb822' || r.type === undefined,
  );
  ir.repositories.forEach((r, i) => {
    if (!apt.includes(r))
      approx(
        out,
        `/repositories/${i}`,
        `live-build takes apt archives only; this ${r.type} repository is not written`,
      );
  });
  const ext = ir.extensions['live-build'] as LiveBuildExtension | undefined;
  const mirrorKept = ext?.options?.some((o) => /mirror-bootstrap$/.test(o.name));
  const first = mirrorKept ? undefined : apt[0];
  const rest = mirrorKept ? apt : apt.slice(1);
  if (first && !first.urls[0])
    approx(
      out,
      `/repositories/${ir.repositories.indexOf(first)}`,
      'a bootstrap mirror needs a URL; this repository has none and is not written',
    );
  if (first?.urls[0]) {
    out.options.push(['mirror-bootstrap', first.urls[0]]);
    if (first.id !== 'live-build')
      approx(
        out,
        `/repositories/${ir.repositories.indexOf(first)}/id`,
        'the bootstrap mirror has no name in lb config; it reads back as "live-build"',
      );
    if (first.components?.length) out.options.push(['archive-areas', first.components.join(' ')]);
    const i = ir.repositories.indexOf(first);
    if (first.urls.length > 1)
      approx(
        out,
        `/repositories/${i}/urls`,
        'lb config takes one bootstrap mirror; only the first URL is written',
      );
    if (first.suites?.some((s) => s !== ir.distribution.release))
      approx(
        out,
        `/repositories/${i}/suites`,
        'the bootstrap mirror serves --distribution; its own suites are not written',
      );
  }
  for (const r of rest) {
    const i = ir.repositories.indexOf(r);
    const suites = r.suites?.length ? r.suites : ir.distribution.release ? [ir.distribution.release] : [];
    if (!r.urls.length || !suites.length) {
      approx(out, `/repositories/${i}`, 'an archive needs a URL and a suite; not written');
      continue;
    }
    const lines = r.urls.flatMap((u) =>
      suites.map((s) => `deb ${u} ${s}${r.components?.length ? ` ${r.components.join(' ')}` : ''}`),
    );
    const id = r.id?.replace(/[^A-Za-z0-9_.-]/g, '-') || `repo-${i}`;
    if (id !== r.id || r.urls.length * suites.length > 1)
      approx(out, `/repositories/${i}/id`, `written as config/archives/${id}.list.chroot`);
    out.files.push({ path: `config/archives/${id}.list.chroot`, content: `${lines.join('\n')}\n` });
  }
}

function imageOptions(ir: ImageIR, out: Out): void {
  const [first, ...rest] = ir.outputs;
  if (first) {
    const type = WRITTEN_IMAGE_TYPE[first.type];
    if (type) out.options.push(['binary-images', type]);
    else
      approx(
        out,
        '/outputs/0/type',
        `live-build makes live media (iso, hdd, netboot, tar); the ${first.type} output is written as lb config's default iso-hybrid`,
      );
    if (first.name) out.options.push(['image-name', first.name]);
  }
  for (const i of rest.keys())
    approx(out, `/outputs/${i + 1}`, 'lb config makes one image type; this output is not written');
  if (ir.packages.installWeakDeps !== undefined)
    out.options.push(['apt-recommends', String(ir.packages.installWeakDeps)]);
  if (ir.system.kernel.cmdline.length)
    out.options.push(['bootappend-live', ir.system.kernel.cmdline.join(' ')]);
}

function keptOptions(ir: ImageIR, out: Out): void {
  const ext = ir.extensions['live-build'] as LiveBuildExtension | undefined;
  const written = new Set(out.options.map(([n]) => n));
  for (const o of ext?.options ?? [])
    if (!written.has(o.name)) out.options.push([o.name, o.value, /[$`]/.test(o.value)]);
}

function packageList(ir: ImageIR, out: Out): void {
  if (!ir.packages.install.length) return;
  out.files.push({
    path: 'config/package-lists/imgc.list.chroot',
    content: `${ir.packages.install.map((p, i) => listName(p.name, i, out)).join('\n')}\n`,
  });
}

/** A package list holds bare names, split on white space: a version constraint is not written. */
function listName(name: string, index: number, out: Out): string {
  const [bare = name] = name.trim().split(/\s+/);
  if (bare !== name)
    approx(
      out,
      `/packages/install/${index}/name`,
      `live-build package lists hold names only; "${name}" is written as ${bare}`,
    );
  return bare;
}

function includes(ir: ImageIR, options: WriteOptions, out: Out): void {
  ir.files.forEach((f, i) => {
    const folder = /^(?:config\/)?(includes\.chroot(?:_before_packages|_after_packages)?)\//.exec(
      f.source ?? '',
    );
    const path = `${folder ? `config/${folder[1]}` : INCLUDES}${normalize(`/${f.path}`)}`;
    if (folder && !f.source!.startsWith('config/'))
      approx(out, `/files/${i}/source`, `written under config/${folder[1]}/`);
    const mode = f.mode === undefined ? undefined : Number.parseInt(f.mode, 8);
    if (mode !== undefined && mode !== 0o755)
      approx(
        out,
        `/files/${i}/mode`,
        `written with mode ${f.mode}; a live-build tree keeps permission bits, and imgc reads back only an executable file's (0755)`,
      );
    if (typeof f.content === 'string')
      approx(out, `/files/${i}/content`, `written as ${path}; it reads back as that file`);
    else if (f.source !== undefined && !folder) approx(out, `/files/${i}/source`, `copied to ${path}`);
    if (typeof f.content === 'string')
      out.files.push({ path, content: f.content, ...(mode !== undefined ? { mode } : {}) });
    else if (
      f.source !== undefined &&
      options.sourceDir &&
      !isAbsolute(f.source) &&
      existsSync(join(options.sourceDir, f.source))
    )
      out.files.push({
        path,
        copyFrom: join(options.sourceDir, f.source),
        ...(mode !== undefined ? { mode } : {}),
      });
    else
      approx(
        out,
        `/files/${i}`,
        f.source !== undefined
          ? `${f.source} is not found beside the definition; not written`
          : 'a file without content; not written',
      );
  });
}

function hooks(ir: ImageIR, out: Out): void {
  ir.scripts.forEach((s, i) => {
    if (s.body === undefined) {
      approx(
        out,
        `/scripts/${i}`,
        'a script file is not copied into a hook; its text is not in the definition',
      );
      return;
    }
    if (s.phase !== 'post-install')
      approx(
        out,
        `/scripts/${i}/phase`,
        `chroot hooks run after the packages; the ${s.phase} script runs there`,
      );
    if (!s.chroot)
      approx(out, `/scripts/${i}/chroot`, 'chroot hooks run in the image, not on the build host');
    let body = s.body;
    if (!body.startsWith('#!')) {
      body = `#!/bin/sh\n${body}`;
      approx(out, `/scripts/${i}/body`, 'a hook is run as a program: #!/bin/sh is added as its first line');
    }
    const name = s.name?.endsWith('.hook.chroot')
      ? s.name
      : `${String(9000 + i).padStart(4, '0')}-${(s.name ?? 'imgc').replace(/[^A-Za-z0-9_.-]/g, '-')}.hook.chroot`;
    if (s.name !== undefined && name !== s.name)
      approx(out, `/scripts/${i}/name`, `written as the chroot hook ${name}`);
    out.files.push({ path: `config/hooks/normal/${name}`, content: body, mode: 0o755 });
  });
}

function autoConfig(ir: ImageIR, out: Out): OutputFile {
  const ext = ir.extensions['live-build'] as LiveBuildExtension | undefined;
  const preamble = ext?.preamble ?? '';
  const lines = [
    'lb config noauto',
    ...out.options.map(([n, v, expands]) => `--${n} ${quote(v, expands)}`),
    '"${@}"',
  ];
  const text = `${ext?.shebang ?? '#!/bin/sh'}\n# live-build configuration written by imgc. Run: lb config, then lb build\nset -e\n${preamble}\n${lines.join(' \\\n\t')}\n`;
  return { path: 'auto/config', content: text, mode: 0o755 };
}

export function raiseLiveBuild(ir: ImageIR, options: WriteOptions): WriteResult {
  const out: Out = { diagnostics: [], files: [], options: [] };
  distributionOptions(ir, out);
  repositoryOptions(ir, out);
  imageOptions(ir, out);
  keptOptions(ir, out);
  packageList(ir, out);
  includes(ir, options, out);
  hooks(ir, out);
  return { files: [autoConfig(ir, out), ...out.files], diagnostics: out.diagnostics };
}
