/**
 * IR → a KIWI description folder: config.xml at schema 8.5 (or 7.5 for KIWI 9.x with
 * `--kiwi-schema 7.5`), the hook scripts (config.sh and friends) and the `root/` overlay.
 * Whatever the target schema does not define is left out and reported, so the written
 * XML validates against that schema.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import type { ImageIR, Script } from '../../../ir/schema.js';
import type { OutputFile, WriteOptions, WriteResult } from '../../contract.js';
import { distributionNotCarried } from '../../shared/distribution-carried.js';
import { childElements, textOf, type XElement } from '../ast.js';
import { kiwiCodes } from '../codes.js';
import { inferKiwiDistribution } from '../distro.js';
import { conformTo } from '../schema/conform.js';
import type { SchemaTable } from '../schema/table.js';
import { schemaTables } from '../schema/versions.js';
import { HOSTNAME_FILE, ROOT_OVERLAY, SCRIPT_FILES } from '../vocabulary.js';
import { fitAptBuild } from './apt-build.js';
import { printDocument } from './print.js';
import { raiseKiwi } from './raise.js';
import { ATTRIBUTE_POINTERS } from './raised-types.js';
import { ensureBuildType, fitTypesToRules, typeAttributePointer } from './type-fit.js';

export const WRITABLE_SCHEMAS = ['8.5', '7.5'] as const;

/** Where a script without a KIWI file name goes, by phase and chroot. */
function scriptFileFor(s: Script): string | undefined {
  if (s.name && s.name in SCRIPT_FILES) return s.name;
  for (const [name, when] of Object.entries(SCRIPT_FILES)) {
    if (name.startsWith('config-') || name.startsWith('edit_')) continue;
    if (when.phase === s.phase && when.chroot === s.chroot) return name;
  }
  return undefined;
}

/** Operating systems the IR can name (Oz installs them) that no KIWI package manager builds. */
const NOT_LINUX: ReadonlySet<string> = new Set(['windows', 'freebsd', 'openbsd', 'netbsd', 'solaris']);

export function writeKiwi(ir: ImageIR, options: WriteOptions = {}): WriteResult {
  const diagnostics: Diagnostic[] = [];
  const version = String(options.options?.kiwiSchema ?? '8.5');
  if (!(WRITABLE_SCHEMAS as readonly string[]).includes(version)) {
    return { files: [], diagnostics: [diag(kiwiCodes.writeSchemaUnsupported, { version })] };
  }
  if (ir.distribution.id && NOT_LINUX.has(ir.distribution.id))
    return {
      files: [],
      diagnostics: [
        diag(kiwiCodes.notLinux, { id: ir.distribution.id }, undefined, {
          pointer: '/distribution/id',
          source: 'translate',
        }),
      ],
    };
  const raised = raiseKiwi(ir);
  appendAll(diagnostics, raised.diagnostics);
  const root = raised.doc.root;
  if (version === '7.5') downgradeTo75(root, diagnostics);
  fitToSchema(root, schemaTables[version]!, version, diagnostics);
  fitTypesToRules(root, version, ir, diagnostics);
  ensureBuildType(root, ir, version, diagnostics);
  const files: OutputFile[] = scriptFiles(ir, options, diagnostics);
  appendAll(diagnostics, fitAptBuild(ir, root, files, version));
  appendAll(diagnostics, distributionCarried(root, ir));
  files.unshift({ path: 'config.xml', content: printDocument(raised.doc) });
  appendAll(files, copiedFiles(ir, root, options, diagnostics));
  if (ir.system.hostname !== undefined)
    files.push({ path: HOSTNAME_FILE, content: `${ir.system.hostname}\n` });
  return { files, diagnostics };
}

/**
 * KIWI has no distribution element: a reader infers it from what the description says
 * (repositories, names, packages), as imgc's KIWI reader does.
 */
function distributionCarried(root: XElement, ir: ImageIR): Diagnostic[] {
  if (!ir.distribution.id) return [];
  const written = childElements(root, 'preferences')
    .flatMap((p) => childElements(p, 'release-version'))
    .map(textOf)[0];
  const back = inferKiwiDistribution(root, 'config.xml', written ? { release: written } : {}, {});
  return distributionNotCarried(ir, 'kiwi', back.distribution, {
    unnamed: (id, readsAs) =>
      `KIWI has no distribution element and nothing written names ${id}${readsAs ? ` (it reads as ${readsAs})` : ''}; name it with --distro when reading the description back`,
    noRelease: (release, id) => `nothing written names release ${release} of ${id}`,
  });
}

function scriptFiles(ir: ImageIR, options: WriteOptions, diagnostics: Diagnostic[]): OutputFile[] {
  const bodies = new Map<string, string[]>();
  const copies: OutputFile[] = [];
  ir.scripts.forEach((s, i) => {
    const file = scriptFileFor(s);
    const ptr = `/scripts/${i}`;
    if (!file) {
      diagnostics.push(
        diag(
          translateCodes.lossDetail,
          {
            pointer: ptr,
            target: 'kiwi',
            detail: `KIWI has no hook for ${s.chroot ? '' : 'host '}${s.phase} scripts; not written`,
          },
          undefined,
          { pointer: ptr },
        ),
      );
      return;
    }
    if (s.name !== undefined && s.name !== file) {
      diagnostics.push(
        diag(
          translateCodes.lossDetail,
          {
            pointer: `${ptr}/name`,
            target: 'kiwi',
            detail: `written as ${file}, the KIWI hook for this phase`,
          },
          undefined,
          { pointer: `${ptr}/name` },
        ),
      );
    }
    let body = s.body;
    if (s.source !== undefined) {
      diagnostics.push(
        diag(
          translateCodes.lossDetail,
          {
            pointer: `${ptr}/source`,
            target: 'kiwi',
            detail: `written to ${file}; it reads back as the script body`,
          },
          undefined,
          { pointer: `${ptr}/source` },
        ),
      );
    }
    if (body === undefined && s.source !== undefined) {
      if (options.sourceDir && !bodies.has(file) && existsSync(join(options.sourceDir, s.source))) {
        copies.push({ path: file, copyFrom: join(options.sourceDir, s.source), mode: 0o755 });
        bodies.set(file, []);
        return;
      }
      diagnostics.push(
        diag(
          translateCodes.lossDetail,
          { pointer: ptr, target: 'kiwi', detail: `script file ${s.source} could not be copied` },
          undefined,
          { pointer: ptr },
        ),
      );
      return;
    }
    if (body === undefined) return;
    if (s.interpreter && !body.startsWith('#!')) body = `#!${s.interpreter}\n${body}`;
    const list = bodies.get(file) ?? [];
    if (list.length) {
      const firstIndex = ir.scripts.findIndex((x) => scriptFileFor(x) === file);
      if (firstIndex !== i && list.length === 1) {
        diagnostics.push(
          diag(
            translateCodes.lossDetail,
            {
              pointer: `/scripts/${firstIndex}/body`,
              target: 'kiwi',
              detail: `${file} also holds later scripts`,
            },
            undefined,
            { pointer: `/scripts/${firstIndex}/body` },
          ),
        );
      }
      diagnostics.push(
        diag(
          translateCodes.lossDetail,
          { pointer: ptr, target: 'kiwi', detail: `appended to ${file}, which another script already fills` },
          undefined,
          { pointer: ptr },
        ),
      );
    }
    list.push(body);
    bodies.set(file, list);
  });
  const out: OutputFile[] = [...copies];
  for (const [file, list] of bodies)
    if (list.length) out.push({ path: file, content: list.join('\n'), mode: 0o755 });
  return out;
}

function copiedFiles(
  ir: ImageIR,
  root: XElement,
  options: WriteOptions,
  diagnostics: Diagnostic[],
): OutputFile[] {
  const dir = options.sourceDir;
  const out: OutputFile[] = [];
  const seen = new Set<string>();
  const loss = (pointer: string, detail: string) =>
    diagnostics.push(
      diag(translateCodes.lossDetail, { pointer, target: 'kiwi', detail }, undefined, { pointer }),
    );
  const copy = (rel: string, ptr: string) => {
    if (seen.has(rel) || rel.startsWith('/') || rel.includes('..') || /^[a-z]+:\/\//.test(rel)) return;
    seen.add(rel);
    if (dir && existsSync(join(dir, rel))) out.push({ path: rel, copyFrom: join(dir, rel) });
    else loss(ptr, `${rel} is referenced but was not found next to the source; copy it by hand`);
  };
  const copyScope = (prefix: string, overlays: ImageIR['overlays'], files: ImageIR['files']) => {
    overlays.forEach((o, i) => {
      const ptr = `${prefix}/overlays/${i}`;
      if (o.source === ROOT_OVERLAY && o.kind !== 'archive' && (o.destination ?? '/') === '/')
        copy(ROOT_OVERLAY, ptr);
      else if (o.kind === 'archive') copy(o.source, ptr);
      else loss(ptr, `KIWI takes one overlay tree, root/; ${o.source} is not written`);
    });
    files.forEach((f, i) => {
      const ptr = `${prefix}/files/${i}`;
      if (f.source !== undefined) copy(f.source, ptr);
      else
        loss(
          ptr,
          `${f.path} has no source file; KIWI <file> copies one, so it is not written (add it to root/ by hand)`,
        );
    });
  };
  copyScope('', ir.overlays, ir.files);
  ir.profiles.forEach((p, i) => {
    copyScope(`/profiles/${i}/overlay`, p.overlay.overlays ?? [], p.overlay.files ?? []);
  });
  if (dir) {
    try {
      for (const name of readdirSync(dir))
        if (/^config-cdroot\.tar(\.\w+)?$/.test(name)) copy(name, '/extensions/kiwi');
    } catch {
      // the source folder is optional
    }
  }
  const walk = (el: XElement) => {
    if (el.name === 'type') {
      for (const a of ['editbootconfig', 'editbootinstall'])
        if (el.attrs[a]) copy(el.attrs[a]!, '/extensions/kiwi');
    }
    for (const c of childElements(el)) walk(c);
  };
  walk(root);
  return out;
}

/** Rewrites the constructs schema 8.5 changed since 7.5, the reverse of KIWI's upgrade steps. */
function downgradeTo75(root: XElement, diagnostics: Diagnostic[]): void {
  root.attrs.schemaversion = '7.5';
  const report = (detail: string) =>
    diagnostics.push(diag(kiwiCodes.writeDowngraded, { version: '7.5', detail }));
  const visit = (el: XElement) => {
    if (el.name === 'packagemanager') {
      const pm = textOf(el);
      if (pm === 'dnf4' || pm === 'dnf5') {
        el.children = [{ kind: 'text', text: 'dnf' }];
        if (pm === 'dnf5') report('packagemanager dnf5 written as dnf (KIWI 9 drives dnf 4)');
      }
    }
    if (el.name === 'bootloader' && (el.attrs.output_console || el.attrs.input_console)) {
      const out = el.attrs.output_console;
      const inp = el.attrs.input_console;
      delete el.attrs.output_console;
      delete el.attrs.input_console;
      el.attrs.console = out && inp ? `${out} ${inp}` : (out ?? inp)!;
    }
    if (el.name === 'type' && el.attrs.btrfs_root_is_snapper_snapshot !== undefined) {
      el.attrs.btrfs_root_is_snapshot = el.attrs.btrfs_root_is_snapper_snapshot;
      delete el.attrs.btrfs_root_is_snapper_snapshot;
    }
    for (const c of childElements(el)) visit(c);
  };
  visit(root);
}

/** Drops attributes, values and elements the target schema does not allow, reporting each. */
function fitToSchema(root: XElement, table: SchemaTable, version: string, diagnostics: Diagnostic[]): void {
  conformTo(root, table, version, (d) => {
    // an attribute of a <type> raised from the IR holds an IR field: the loss is that field's
    const pointer =
      d.attribute === undefined
        ? '/extensions/kiwi'
        : d.element.name === 'type'
          ? typeAttributePointer(d.element, d.attribute)
          : (ATTRIBUTE_POINTERS.get(d.element)?.[d.attribute] ?? '/extensions/kiwi');
    diagnostics.push(
      version === '8.5'
        ? diag(
            translateCodes.lossDetail,
            { pointer, target: 'kiwi', detail: `${d.detail}; not written` },
            undefined,
            { pointer },
          )
        : diag(kiwiCodes.writeDowngraded, { version, detail: `${d.detail}; not written` }),
    );
  });
}
