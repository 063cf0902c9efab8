/** One element folder's content: package-installs, pkg-map, environment.d, phase scripts and the rest. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { readInputTextSync } from '../../../input/bounded.js';
import type { PositionTable, SourcePosition } from '../../../ir/positions.js';
import { dibCodes } from '../codes.js';
import { NOT_CONTENT, PHASES, READ_ENTRIES } from '../vocabulary.js';
import { type EnvironmentFile, readEnvironmentFile } from './environment.js';
import { isRecord, isScalar, parseDibYaml } from './yaml.js';

export interface PackageSpec {
  name: string;
  at: SourcePosition;
  phase?: string;
  uninstall?: boolean;
  buildOnly?: boolean;
  installtype?: string;
  arch?: string;
  notArch?: string;
  when?: string[];
  pythonVersion?: string;
}

export interface ElementContent {
  packages: PackageSpec[];
  /** pkg-map as parsed (family / distro / release / default maps) */
  pkgMap?: Record<string, unknown>;
  environment: { name: string; file: string; parsed: EnvironmentFile }[];
  scripts: { dir: string; name: string; file: string }[];
  /** block-device-*.yaml files, parsed */
  blockDevice: { file: string; config: unknown; positions: PositionTable }[];
  /** folders and files the IR has no field for (relative to the element), with their paths */
  other: { entry: string; file: string }[];
  hasStatic: boolean;
  diagnostics: Diagnostic[];
}

const SPEC_KEYS = new Set([
  'phase',
  'uninstall',
  'build-only',
  'installtype',
  'arch',
  'not-arch',
  'when',
  'dib_python_version',
]);

function files(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => statSync(join(dir, n)).isFile())
      .sort();
  } catch {
    return [];
  }
}

function readYaml(
  file: string,
  what: string,
  diagnostics: Diagnostic[],
): { value: unknown; positions: PositionTable } | undefined {
  let text: string;
  try {
    text = readInputTextSync(file);
  } catch (e) {
    diagnostics.push(
      diag(dibCodes.malformed, { what, detail: (e as Error).message }, { file, line: 1, column: 1 }),
    );
    return undefined;
  }
  const parsed = parseDibYaml(text, file);
  if (!parsed.ok) {
    diagnostics.push(
      diag(
        dibCodes.malformed,
        { what, detail: parsed.message },
        { file, line: parsed.line, column: parsed.column },
      ),
    );
    return undefined;
  }
  return parsed;
}

function readPackageInstalls(file: string, diagnostics: Diagnostic[]): PackageSpec[] {
  const parsed = readYaml(file, 'package-installs', diagnostics);
  if (!parsed || parsed.value === null) return [];
  const start = { file, line: 1, column: 1 };
  if (!isRecord(parsed.value)) {
    diagnostics.push(
      diag(
        dibCodes.badShape,
        { what: 'package-installs', expected: 'a map of package names' },
        parsed.positions[''] ?? start,
      ),
    );
    return [];
  }
  const out: PackageSpec[] = [];
  for (const [name, raw] of Object.entries(parsed.value)) {
    const at = parsed.positions[`/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`] ?? start;
    const specs = raw === null || raw === undefined ? [{}] : Array.isArray(raw) ? raw : [raw];
    for (const spec of specs) {
      if (!isRecord(spec)) {
        diagnostics.push(
          diag(
            dibCodes.badShape,
            {
              what: `package-installs entry "${name}"`,
              expected: 'nothing, a map of conditions or a list of them',
            },
            at,
          ),
        );
        continue;
      }
      const unknownKey = Object.keys(spec).find((k) => !SPEC_KEYS.has(k));
      if (unknownKey) {
        diagnostics.push(
          diag(
            dibCodes.badShape,
            {
              what: `package-installs entry "${name}" key "${unknownKey}"`,
              expected: [...SPEC_KEYS].join(', '),
            },
            at,
          ),
        );
        continue;
      }
      const notScalar = [
        ...Object.entries(spec),
        ...[spec.when].flat().map((w) => ['when', w] as const),
      ].find(
        ([k, v]) => v !== null && v !== undefined && !isScalar(v) && !(k === 'when' && Array.isArray(v)),
      );
      if (notScalar) {
        diagnostics.push(
          diag(
            dibCodes.badShape,
            {
              what: `package-installs entry "${name}" key "${notScalar[0]}"`,
              expected: 'a string, number or boolean',
            },
            at,
          ),
        );
        continue;
      }
      const text = (k: string) => (spec[k] === undefined || spec[k] === null ? undefined : String(spec[k]));
      const when =
        spec.when === undefined
          ? undefined
          : (Array.isArray(spec.when) ? spec.when : [spec.when]).map(String);
      const p: PackageSpec = { name, at };
      if (text('phase')) p.phase = text('phase')!;
      if (spec.uninstall === true || text('uninstall') === 'True') p.uninstall = true;
      if (spec['build-only'] === true || text('build-only') === 'True') p.buildOnly = true;
      if (text('installtype')) p.installtype = text('installtype')!;
      if (text('arch')) p.arch = text('arch')!;
      if (text('not-arch')) p.notArch = text('not-arch')!;
      if (when) p.when = when;
      if (text('dib_python_version')) p.pythonVersion = text('dib_python_version')!;
      out.push(p);
    }
  }
  return out;
}

export function readElement(dir: string): ElementContent {
  const diagnostics: Diagnostic[] = [];
  const content: ElementContent = {
    packages: [],
    environment: [],
    scripts: [],
    blockDevice: [],
    other: [],
    hasStatic: false,
    diagnostics,
  };
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return content;
  }
  for (const entry of entries) {
    const path = join(dir, entry);
    if (NOT_CONTENT.test(entry)) continue;
    if (entry === 'package-installs.yaml' || entry === 'package-installs.json')
      appendAll(content.packages, readPackageInstalls(path, diagnostics));
    else if (entry === 'pkg-map') {
      const parsed = readYaml(path, 'pkg-map', diagnostics);
      if (parsed && isRecord(parsed.value)) content.pkgMap = parsed.value;
      else if (parsed)
        diagnostics.push(
          diag(
            dibCodes.badShape,
            { what: 'pkg-map', expected: 'a JSON object' },
            { file: path, line: 1, column: 1 },
          ),
        );
    } else if (entry === 'environment.d') {
      for (const name of files(path)) {
        const file = join(path, name);
        try {
          content.environment.push({
            name,
            file,
            parsed: readEnvironmentFile(readInputTextSync(file), file),
          });
        } catch (e) {
          diagnostics.push(
            diag(
              dibCodes.malformed,
              { what: 'environment.d file', detail: (e as Error).message },
              { file, line: 1, column: 1 },
            ),
          );
        }
      }
    } else if (PHASES.some((p) => p.dir === entry)) {
      for (const name of files(path)) content.scripts.push({ dir: entry, name, file: join(path, name) });
    } else if (entry === 'static') content.hasStatic = true;
    else if (/^block-device-.*\.yaml$/.test(entry)) {
      const parsed = readYaml(path, entry, diagnostics);
      if (parsed) content.blockDevice.push({ file: path, config: parsed.value, positions: parsed.positions });
    } else if (!READ_ENTRIES.has(entry)) content.other.push({ entry, file: path });
  }
  return content;
}
