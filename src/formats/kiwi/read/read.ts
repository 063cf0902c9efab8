/**
 * Reads a KIWI description: a folder (config.xml, else the first *.kiwi) or a file, in XML
 * or in KIWI's YAML/JSON markup. Pipeline: parse → expand includes → upgrade to schema 8.5
 * → check names against the schema → resolve profiles, arch and build type → lower → add
 * the description folder's scripts and overlay tree.
 */

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { coreCodes } from '../../../diagnostics/codes/core.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { InputRejected, readInputTextSync } from '../../../input/bounded.js';
import { stackOverflowDiagnostic, tooDeepDiagnostic } from '../../../input/nesting.js';
import type { PositionTable } from '../../../ir/positions.js';
import type { ImageIR } from '../../../ir/schema.js';
import type { ReadOptions, ReadResult } from '../../contract.js';
import { childElements, toJson, type XDocument, type XElement } from '../ast.js';
import { kiwiCodes } from '../codes.js';
import { inferKiwiDistribution } from '../distro.js';
import {
  KIWI_EXTENSION,
  type KiwiExtension,
  type UnsupportedConstruct,
  unsupportedFromComment,
} from '../extension.js';
import { conformTo } from '../schema/conform.js';
import { schemaTables } from '../schema/versions.js';
import { HOSTNAME_FILE, ROOT_OVERLAY, SCRIPT_FILES } from '../vocabulary.js';
import { expandIncludes, readFollowingStubs } from './include.js';
import { Lowerer } from './lower.js';
import { looksLikeMarkup, parseMarkup } from './markup.js';
import { activeProfiles, declaredProfiles, selectType, targetArch } from './select.js';
import { upgradeToLatest } from './upgrade.js';
import { parseXml } from './xml.js';

export const ROOT_ARCHIVE = 'root.tar.gz';

/** The description file inside a folder, or the path itself. */
export function descriptionFile(path: string): string | undefined {
  if (!statSync(path).isDirectory()) return path;
  if (existsSync(join(path, 'config.xml'))) return join(path, 'config.xml');
  const kiwi = readdirSync(path)
    .filter((n) => n.endsWith('.kiwi'))
    .sort()[0];
  return kiwi ? join(path, kiwi) : undefined;
}

export function parseDescription(text: string, file: string) {
  if (!looksLikeMarkup(file, text)) return parseXml(text, file);
  // the yaml package reads KIWI's JSON too, so it is scanned as YAML
  const tooDeep = tooDeepDiagnostic(text, 'yaml', file);
  if (tooDeep) return { diagnostics: [tooDeep] };
  try {
    return parseMarkup(text, file);
  } catch (e) {
    const overflow = stackOverflowDiagnostic(e, text, 'yaml', file);
    if (overflow) return { diagnostics: [overflow] };
    throw e;
  }
}

export async function readKiwi(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  const diagnostics: Diagnostic[] = [];
  const positions: PositionTable = {};
  let file: string | undefined;
  try {
    file = descriptionFile(path);
  } catch (e) {
    return {
      positions,
      files: [],
      diagnostics: [
        diag(coreCodes.fileNotFound, { path, reason: String((e as Error).message) }, { file: path }),
      ],
    };
  }
  if (!file)
    return { positions, files: [], diagnostics: [diag(kiwiCodes.noDescription, { path }, { file: path })] };
  try {
    const followed = readFollowingStubs(file);
    const text = followed.text;
    const parsed = parseDescription(text, file);
    appendAll(diagnostics, parsed.diagnostics);
    if (!parsed.doc) return { positions, files: [file], diagnostics };
    const result = lowerDescription(parsed.doc, dirname(file), options, diagnostics, positions);
    return { ir: result.ir, positions, diagnostics, files: [file, ...result.files] };
  } catch (e) {
    diagnostics.push(
      e instanceof InputRejected
        ? e.diagnostic({ file })
        : diag(coreCodes.internalError, { detail: e instanceof Error ? e.message : String(e) }, { file }),
    );
    return { positions, files: [file], diagnostics };
  }
}

export function lowerDescription(
  doc: XDocument,
  dir: string,
  options: ReadOptions,
  diagnostics: Diagnostic[],
  positions: PositionTable,
): { ir: ImageIR; files: string[] } {
  const root = doc.root;
  const included = expandIncludes(root, dir, doc.file);
  appendAll(diagnostics, included.diagnostics);
  appendAll(diagnostics, upgradeToLatest(root, doc.file).diagnostics);
  const unsupported = takeOutUnsupported(doc, diagnostics);
  checkPlaceholders(root, doc.file, diagnostics);

  const arch = targetArch(typeof options.options?.arch === 'string' ? options.options.arch : undefined);
  const declared = declaredProfiles(root);
  const chosen = options.profiles ?? [];
  for (const name of chosen) {
    if (!declared.some((p) => p.name === name)) {
      diagnostics.push(
        diag(
          coreCodes.unknownProfile,
          { name, known: declared.map((p) => p.name).join(', ') },
          { file: doc.file },
        ),
      );
    }
  }
  for (const p of declared) {
    for (const r of childElements(p.element, 'requires')) {
      const name = r.attrs.profile;
      if (name && !declared.some((d) => d.name === name)) {
        diagnostics.push(
          diag(
            kiwiCodes.unknownRequiredProfile,
            { name },
            { file: r.file ?? doc.file, ...(r.attrPos.profile ?? r.pos) },
          ),
        );
      }
    }
  }
  const active = activeProfiles(declared, chosen, arch);
  const wanted = typeof options.options?.kiwiType === 'string' ? options.options.kiwiType : undefined;
  const choice = selectType(root, active, arch, wanted);
  if (wanted && !choice.selected) {
    const known = [...new Set(choice.candidates.map((t) => t.attrs.image ?? ''))].join(', ');
    diagnostics.push(diag(kiwiCodes.typeNotFound, { type: wanted, known }, { file: doc.file, ...root.pos }));
  } else if (!choice.selected) {
    const inProfiles = declared
      .filter((p) =>
        childElements(root, 'preferences').some(
          (pr) =>
            (pr.attrs.profiles ?? '').split(',').includes(p.name) && childElements(pr, 'type').length > 0,
        ),
      )
      .map((p) => p.name);
    diagnostics.push(
      diag(kiwiCodes.noBuildType, { profiles: inProfiles.join(', ') }, { file: doc.file, ...root.pos }),
    );
  }
  const ir = new Lowerer(doc, {
    file: doc.file,
    arch,
    active,
    selectedType: choice.selected,
    diagnostics,
    positions,
  }).lower();
  const inferred = inferKiwiDistribution(root, doc.file, ir.distribution, positions);
  ir.distribution = inferred.distribution;
  appendAll(diagnostics, inferred.diagnostics);
  if (unsupported.length) {
    const ext = (ir.extensions[KIWI_EXTENSION] ?? {}) as KiwiExtension;
    ext.unsupported = [...unsupported, ...(ext.unsupported ?? [])];
    ir.extensions[KIWI_EXTENSION] = ext;
  }
  const files = [...included.files, ...addFolderContent(ir, dir, diagnostics, positions)];
  return { ir, files };
}

function addFolderContent(
  ir: ImageIR,
  dir: string,
  diagnostics: Diagnostic[],
  positions: PositionTable,
): string[] {
  const files: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return files;
  }
  for (const [name, when] of Object.entries(SCRIPT_FILES)) {
    if (!entries.includes(name)) continue;
    const path = join(dir, name);
    try {
      const body = readInputTextSync(path);
      if (body.includes('\u0000')) throw new Error('binary content');
      ir.scripts.push({ name, ...when, body });
      // a build error in the script points at the script file
      positions[`/scripts/${ir.scripts.length - 1}`] = { file: path, line: 1, column: 1 };
      files.push(path);
    } catch (e) {
      diagnostics.push(
        diag(kiwiCodes.scriptUnreadable, { path, reason: (e as Error).message }, { file: path }),
      );
    }
  }
  if (entries.includes(ROOT_OVERLAY) && statSync(join(dir, ROOT_OVERLAY)).isDirectory()) {
    ir.overlays.push({ source: ROOT_OVERLAY, kind: 'extra' });
    const hostname = join(dir, HOSTNAME_FILE);
    try {
      const name = readInputTextSync(hostname, 256).split('\n')[0]!.trim();
      if (name) {
        ir.system.hostname = name;
        positions['/system/hostname'] = { file: hostname, line: 1, column: 1 };
      }
    } catch {
      // no hostname file in the overlay
    }
  }
  if (entries.includes(ROOT_ARCHIVE)) ir.overlays.push({ source: ROOT_ARCHIVE, kind: 'archive' });
  return files;
}

/**
 * Takes out what schema 8.5 does not allow (unknown names, bad values, elements missing a
 * required part), with a positioned warning each; the pieces are kept as extension data.
 */
function takeOutUnsupported(doc: XDocument, diagnostics: Diagnostic[]): UnsupportedConstruct[] {
  const kept: UnsupportedConstruct[] = [];
  const paths = new Map<XElement, string>();
  const label = (el: XElement) => {
    const key = ['image', 'name', 'type', 'profiles', 'alias'].find((k) => el.attrs[k] !== undefined);
    return key ? `${el.name}[@${key}='${el.attrs[key]}']` : el.name;
  };
  const walk = (el: XElement, prefix: string) => {
    const path = prefix ? `${prefix}/${label(el)}` : el.name;
    paths.set(el, path);
    for (const c of childElements(el)) walk(c, path);
  };
  walk(doc.root, '');
  conformTo(doc.root, schemaTables['8.5']!, '8.5', (d) => {
    const file = d.element.file ?? doc.file;
    if (d.attribute !== undefined) {
      const value = d.element.attrs[d.attribute] ?? '';
      const at = { file, ...(d.element.attrPos[d.attribute] ?? d.element.pos) };
      kept.push({
        in: paths.get(d.element) ?? d.element.name,
        reason: d.reason,
        attribute: { name: d.attribute, value },
      });
      diagnostics.push(
        d.reason === 'unknown-attribute'
          ? diag(kiwiCodes.unknownAttribute, { name: d.attribute, element: d.element.name }, at)
          : diag(
              kiwiCodes.badValue,
              { what: `${d.attribute}= on <${d.element.name}>`, value, expected: 'allowed by schema 8.5' },
              at,
            ),
      );
      return;
    }
    const at = { file, ...d.element.pos };
    kept.push({
      in: d.parent ? (paths.get(d.parent) ?? d.parent.name) : '',
      reason: d.reason,
      element: toJson(d.element),
    });
    diagnostics.push(
      d.reason === 'unknown-element'
        ? diag(kiwiCodes.unknownElement, { name: d.element.name, parent: d.parent?.name ?? '' }, at)
        : diag(kiwiCodes.unsupportedElement, { name: d.element.name, detail: d.detail }, at),
    );
  });
  for (const c of doc.prolog) {
    const restored = unsupportedFromComment(c.text);
    if (restored) kept.push(restored);
  }
  return kept;
}

const PLACEHOLDER = /@[A-Z][A-Z0-9_]*@|\{exc_[a-z_]+\}/;

function checkPlaceholders(root: XElement, file: string, diagnostics: Diagnostic[]): void {
  const visit = (el: XElement) => {
    for (const [a, v] of Object.entries(el.attrs)) {
      if (PLACEHOLDER.test(v))
        diagnostics.push(
          diag(kiwiCodes.placeholder, { value: v }, { file: el.file ?? file, ...(el.attrPos[a] ?? el.pos) }),
        );
    }
    for (const c of el.children) {
      if (c.kind === 'text' && PLACEHOLDER.test(c.text)) {
        diagnostics.push(
          diag(kiwiCodes.placeholder, { value: c.text.trim() }, { file: el.file ?? file, ...el.pos }),
        );
      } else if (c.kind === 'element') visit(c);
    }
  };
  visit(root);
}

export function isKiwiFileName(name: string): boolean {
  return name === 'config.xml' || name.endsWith('.kiwi') || basename(name) === 'config.kiwi';
}
