/**
 * What KIWI's XMLState decides before anything is built: which profiles are active
 * (`--profile`, else those with import="true", plus their `<requires>` chains), whether an
 * element's `arch=` filter matches the target architecture, and which `<type>` is built
 * (`--type`, else primary="true", else the first).
 */

import { lookupTable } from '../../../lib/lookup-table.js';
import { childElements, listAttr, type XElement } from '../ast.js';

const ARCH_ALIASES: Record<string, string> = lookupTable({
  amd64: 'x86_64',
  arm64: 'aarch64',
  x64: 'x86_64',
});

export function targetArch(option: string | undefined): string {
  const raw = option ?? process.arch;
  return ARCH_ALIASES[raw] ?? raw;
}

export function archMatches(el: XElement, arch: string): boolean {
  const list = listAttr(el.attrs.arch);
  if (list.length === 0) return true;
  return list.some((a) => {
    const norm = ARCH_ALIASES[a] ?? a;
    if (norm === arch) return true;
    return norm === 'ix86' && /^i[3-6]86$/.test(arch);
  });
}

export interface ProfileDecl {
  name: string;
  element: XElement;
}

export function declaredProfiles(root: XElement): ProfileDecl[] {
  return childElements(root, 'profiles').flatMap((ps) =>
    childElements(ps, 'profile')
      .filter((p) => p.attrs.name)
      .map((p) => ({ name: p.attrs.name!, element: p })),
  );
}

/** Active profile names: chosen (or the import="true" defaults) with their requirements, in resolution order. */
export function activeProfiles(profiles: ProfileDecl[], chosen: readonly string[], arch: string): string[] {
  const byName = new Map(profiles.map((p) => [p.name, p]));
  const start = chosen.length
    ? [...chosen]
    : profiles
        .filter((p) => p.element.attrs.import === 'true' && archMatches(p.element, arch))
        .map((p) => p.name);
  const out: string[] = [];
  const visit = (name: string) => {
    if (out.includes(name)) return;
    out.push(name);
    const decl = byName.get(name);
    if (!decl) return;
    for (const r of childElements(decl.element, 'requires')) {
      if (r.attrs.profile && archMatches(r, arch)) visit(r.attrs.profile);
    }
  };
  for (const name of start) visit(name);
  return out;
}

export function sectionActive(el: XElement, active: readonly string[], arch: string): boolean {
  if (!archMatches(el, arch)) return false;
  const profiles = listAttr(el.attrs.profiles);
  return profiles.length === 0 || profiles.some((p) => active.includes(p));
}

export interface TypeChoice {
  selected?: XElement;
  /** every <type> of the active preferences, in document order */
  candidates: XElement[];
}

export function selectType(
  root: XElement,
  active: readonly string[],
  arch: string,
  wanted?: string,
): TypeChoice {
  const candidates = childElements(root, 'preferences')
    .filter((p) => sectionActive(p, active, arch))
    .flatMap((p) => childElements(p, 'type'));
  if (wanted) return { selected: candidates.find((t) => t.attrs.image === wanted), candidates };
  return { selected: candidates.find((t) => t.attrs.primary === 'true') ?? candidates[0], candidates };
}
