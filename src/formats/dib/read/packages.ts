/** package-installs entries decided against what is known (architecture, variables, distribution) and mapped through pkg-map. */
import type { SourcePosition } from '../../../ir/positions.js';
import { unameArch } from '../vocabulary.js';
import type { PackageSpec } from './element.js';
import type { Known } from './environment.js';
import { isRecord } from './yaml.js';

export interface Context {
  element: string;
  arch?: string;
  env: ReadonlyMap<string, Known>;
  distro?: { id: string; family: string; release?: string };
}

export type Decision = { install: boolean } | { undecided: string };

function archMatches(list: string, arch: string): boolean {
  return list.split(',').some((a) => (unameArch(a) ?? a.trim()) === arch);
}

function condition(text: string, env: Context['env']): boolean | string {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(!=|=)\s*(.*?)\s*$/.exec(text);
  if (!m) return `when "${text}" is not VAR = value`;
  const [, name, op, want] = m as unknown as [string, string, string, string];
  const have = env.get(name)?.value;
  if (have === undefined) return `${name} unknown`;
  return op === '=' ? have === want : have !== want;
}

/** Whether dib would install this entry, or why imgc cannot tell. */
export function decide(spec: PackageSpec, ctx: Context): Decision {
  if (spec.arch || spec.notArch) {
    if (!ctx.arch) return { undecided: 'architecture unknown' };
    if (spec.arch && !archMatches(spec.arch, ctx.arch)) return { install: false };
    if (spec.notArch && archMatches(spec.notArch, ctx.arch)) return { install: false };
  }
  for (const w of spec.when ?? []) {
    const r = condition(w, ctx.env);
    if (typeof r === 'string') return { undecided: r };
    if (!r) return { install: false };
  }
  if (spec.installtype) {
    const own = `DIB_INSTALLTYPE_${ctx.element.replace(/-/g, '_')}`;
    const type = ctx.env.get(own)?.value ?? ctx.env.get('DIB_DEFAULT_INSTALLTYPE')?.value;
    if (!type) return { undecided: `${own} and DIB_DEFAULT_INSTALLTYPE unknown` };
    if (type !== spec.installtype) return { install: false };
  }
  if (spec.pythonVersion) {
    const v = ctx.env.get('DIB_PYTHON_VERSION')?.value;
    if (!v) return { undecided: 'DIB_PYTHON_VERSION unknown' };
    if (v !== spec.pythonVersion) return { install: false };
  }
  return { install: true };
}

/** The name pkg-map gives `name` (release, then distro, then family, then default), `''` for none, or why it cannot be told. */
export function mapName(
  name: string,
  pkgMap: Record<string, unknown> | undefined,
  distro: Context['distro'],
): { name: string } | { undecided: string } {
  if (!pkgMap) return { name };
  const lookup = (...keys: (string | undefined)[]): string | undefined => {
    let cur: unknown = pkgMap;
    for (const k of keys) {
      if (k === undefined || !isRecord(cur)) return undefined;
      cur = cur[k];
    }
    return typeof cur === 'string' ? cur : undefined;
  };
  const inMap = ['release', 'distro', 'family'].some((k) =>
    JSON.stringify(pkgMap[k] ?? {}).includes(`"${name}"`),
  );
  if (!distro) {
    if (inMap) return { undecided: 'pkg-map needs the distribution' };
    return { name: lookup('default', name) ?? name };
  }
  const found =
    lookup('release', distro.id, distro.release, name) ??
    lookup('distro', distro.id, name) ??
    lookup('family', distro.family, name) ??
    lookup('default', name);
  return { name: found ?? name };
}

export type { SourcePosition };
