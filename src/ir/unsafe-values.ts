/**
 * Values that would let a definition reach past the image: control characters in values that
 * go into generated config files (a newline in a repository URL adds a `Trusted: yes` line),
 * image paths that climb with `..`, names that a package manager or systemctl would take for
 * an option, and output names that are paths. Found on the IR, so every format and every command refuses them alike.
 */
import type { ImageIR } from './schema.js';

export type UnsafeKind = 'control-character' | 'climbing-path' | 'option-like-name' | 'not-a-file-name';

export interface UnsafeValue {
  pointer: string;
  kind: UnsafeKind;
  value: string;
}

const CONTROL = /[\u0000-\u001f\u007f]/;
/** Sections whose strings are written into generated config files or command lines. */
const LINE_SECTIONS = ['distribution', 'repositories', 'packages', 'system', 'accounts', 'boot'];

export function unsafeValues(ir: ImageIR): UnsafeValue[] {
  const found: UnsafeValue[] = [];
  checkBody(ir as unknown as Record<string, unknown>, '', found);
  for (const [i, p] of (ir.profiles ?? []).entries())
    checkBody((p.overlay ?? {}) as Record<string, unknown>, `/profiles/${i}/overlay`, found);
  return found;
}

function checkBody(body: Record<string, unknown>, base: string, found: UnsafeValue[]): void {
  for (const section of LINE_SECTIONS) {
    walkStrings(body[section], `${base}/${section}`, (pointer, value) => {
      if (CONTROL.test(value) && !isArmoredKey(pointer, value))
        found.push({ pointer, kind: 'control-character', value });
    });
  }
  walkStrings(body.packages, `${base}/packages`, (pointer, value) => {
    if (/\/name$/.test(pointer) && value.startsWith('-'))
      found.push({ pointer, kind: 'option-like-name', value });
  });
  const system = body.system as { services?: unknown } | undefined;
  walkStrings(system?.services, `${base}/system/services`, (pointer, value) => {
    if (value.startsWith('-')) found.push({ pointer, kind: 'option-like-name', value });
  });
  const accounts = body.accounts as { users?: { home?: unknown }[] } | undefined;
  for (const [i, u] of (accounts?.users ?? []).entries())
    climbing(u.home, `${base}/accounts/users/${i}/home`, found);
  for (const list of ['files', 'directories', 'symlinks'] as const) {
    const entries = (body[list] as { path?: unknown }[] | undefined) ?? [];
    for (const [i, e] of entries.entries()) climbing(e.path, `${base}/${list}/${i}/path`, found);
  }
  // An output's name is joined to the output folder: absolute or climbing, it would write elsewhere.
  const outputs = (body.outputs as { name?: unknown }[] | undefined) ?? [];
  for (const [i, o] of outputs.entries())
    if (
      typeof o.name === 'string' &&
      (o.name.startsWith('/') || ['', '.', '..'].includes(o.name) || o.name.split('/').includes('..'))
    )
      found.push({ pointer: `${base}/outputs/${i}/name`, kind: 'not-a-file-name', value: o.name });
  const overlays = (body.overlays as { destination?: unknown }[] | undefined) ?? [];
  for (const [i, o] of overlays.entries())
    climbing(o.destination, `${base}/overlays/${i}/destination`, found);
}

function climbing(value: unknown, pointer: string, found: UnsafeValue[]): void {
  if (typeof value === 'string' && value.split('/').includes('..'))
    found.push({ pointer, kind: 'climbing-path', value });
}

/** Inline keys and certificates are written to files of their own: their line breaks are content. */
function isArmoredKey(pointer: string, value: string): boolean {
  return (
    /\/(gpgKeys|caCertificates)\/\d+$|\/(key|certificate)$/.test(pointer) &&
    value.trimStart().startsWith('-----BEGIN ')
  );
}

function walkStrings(value: unknown, pointer: string, visit: (pointer: string, value: string) => void): void {
  if (typeof value === 'string') visit(pointer, value);
  else if (Array.isArray(value))
    for (const [i, v] of value.entries()) walkStrings(v, `${pointer}/${i}`, visit);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value))
      walkStrings(v, `${pointer}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`, visit);
}
