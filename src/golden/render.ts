/** Drift for people: grouped by kind and origin, /etc apart, packages last; colour on a TTY. */
import type { DriftReport, PathDrift } from './drift.js';

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
const sign = { added: '+', removed: '-', changed: '~' } as const;
const colour = { added: '32', removed: '31', changed: '33' } as const;

function describe(p: PathDrift): string {
  const owner = p.package ? ` (${p.origin}: ${p.package})` : ` (${p.origin})`;
  if (p.kind !== 'changed') return `${p.path}${owner}`;
  const parts = (p.aspects ?? []).map((a) => {
    const g = p.golden!;
    const n = p.now!;
    if (a === 'mode') return `mode ${g.mode}→${n.mode}`;
    if (a === 'owner') return `owner ${g.uid}:${g.gid}→${n.uid}:${n.gid}`;
    if (a === 'target') return `link ${g.target}→${n.target}`;
    if (a === 'type') return `type ${g.type}→${n.type}`;
    if (a === 'content') return `content (${g.size ?? 0}→${n.size ?? 0} bytes)`;
    return a;
  });
  return `${p.path}${owner}: ${parts.join(', ')}`;
}

export function renderDrift(report: DriftReport, color: boolean): string {
  const lines: string[] = [];
  const etc = report.paths.filter((p) => p.path === '/etc' || p.path.startsWith('/etc/'));
  const rest = report.paths.filter((p) => !etc.includes(p));
  for (const kind of ['added', 'removed', 'changed'] as const) {
    const group = rest.filter((p) => p.kind === kind);
    if (!group.length) continue;
    lines.push(paint(color, '1', `${kind} (${group.length}):`));
    for (const p of group) lines.push(`  ${paint(color, colour[kind], sign[kind])} ${describe(p)}`);
  }
  if (etc.length) {
    lines.push(paint(color, '1', `/etc against the image default (${etc.length}):`));
    for (const p of etc) {
      const g = p.golden
        ? `image ${p.golden.type} ${p.golden.mode} ${p.golden.sha256?.slice(0, 12) ?? ''}`.trim()
        : 'not in the image';
      const n = p.now
        ? `now ${p.now.type} ${p.now.mode} ${p.now.sha256?.slice(0, 12) ?? ''}`.trim()
        : 'now absent';
      lines.push(`  ${paint(color, colour[p.kind], sign[p.kind])} ${describe(p)}\n      ${g} | ${n}`);
    }
  }
  if (report.packages.length) {
    lines.push(paint(color, '1', `packages (${report.packages.length}):`));
    for (const p of report.packages) {
      const versions =
        p.kind === 'installed' ? p.now : p.kind === 'removed' ? p.golden : `${p.golden} → ${p.now}`;
      lines.push(`  ${p.kind.padEnd(10)} ${p.name}:${p.architecture} ${versions}`);
    }
  }
  if (!lines.length) lines.push('no drift');
  return `${lines.join('\n')}\n`;
}
