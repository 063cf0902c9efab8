/** bench/results-kiwi-race.md: raw runs, medians and ratios, the package check, the profiles. */
import { writeFileSync } from 'node:fs';
import type { PackageDifference } from './packages.js';
import type { Phases } from './profile.js';

export interface RaceRun {
  round: number;
  tool: 'kiwi' | 'imgc';
  variant: string;
  cache: 'cold' | 'warm';
  seconds: number;
  code: number | null;
  loadBefore: string;
  loadAfter: string;
  phases: Phases;
  tarballBytes?: number;
}

export interface RaceResults {
  began: Date;
  ended: Date;
  rounds: number;
  xzLevel: string;
  machine: string;
  commit: string;
  kiwiVersion: string;
  kiwiConfig: string;
  runs: RaceRun[];
  packageCounts: Record<string, number>;
  sameWithinTool: boolean;
  differences: PackageDifference[] | undefined;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');

function seconds(runs: RaceRun[], variant: string, cache: string): number[] {
  return runs.filter((r) => r.variant === variant && r.cache === cache && r.code === 0).map((r) => r.seconds);
}

function rawTable(r: RaceResults): string[] {
  const lines = [
    '| round | build | cache | wall (s) | exit | load before | load after | tarball (MB) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const run of r.runs)
    lines.push(
      `| ${run.round} | ${run.variant} | ${run.cache} | ${run.seconds.toFixed(1)} | ${run.code} | ${run.loadBefore} | ${run.loadAfter} | ${run.tarballBytes ? (run.tarballBytes / 1e6).toFixed(1) : '–'} |`,
    );
  return lines;
}

function ratioTable(r: RaceResults): string[] {
  const lines = [
    '| cache | KIWI median (s) | imgc build | imgc median (s) | imgc / KIWI | goal ≤ 0.3 |',
    '|---|---|---|---|---|---|',
  ];
  for (const cache of ['cold', 'warm'] as const) {
    const kiwi = median(seconds(r.runs, 'kiwi', cache));
    const variants = cache === 'cold' ? ['imgc'] : ['imgc --no-tree-cache', 'imgc'];
    for (const v of variants) {
      const own = median(seconds(r.runs, v, cache));
      const ratio = own / kiwi;
      const label = v === 'imgc' ? (cache === 'cold' ? 'imgc (empty cache)' : 'imgc (tree cache on)') : v;
      lines.push(
        `| ${cache} | ${f(kiwi)} | ${label} | ${f(own)} | **${ratio.toFixed(2)}** | ${ratio <= 0.3 ? 'met' : 'not met'} |`,
      );
    }
  }
  return lines;
}

function profileTable(r: RaceResults, tool: 'kiwi' | 'imgc'): string[] {
  const groups = [...new Set(r.runs.filter((x) => x.tool === tool).map((x) => `${x.variant}|${x.cache}`))];
  const names = [...new Set(r.runs.filter((x) => x.tool === tool).flatMap((x) => Object.keys(x.phases)))];
  const lines = [
    `| ${tool === 'kiwi' ? 'KIWI phase (log message)' : 'imgc step'} | ${groups.map((g) => g.replace('|', ', ')).join(' | ')} |`,
    `|---|${groups.map(() => '---').join('|')}|`,
  ];
  const medianOf = (name: string, g: string) =>
    median(
      r.runs.filter((x) => `${x.variant}|${x.cache}` === g && x.code === 0).map((x) => x.phases[name] ?? 0),
    );
  const rows = names
    .map((n) => ({ n, cells: groups.map((g) => medianOf(n, g)) }))
    .filter((row) => row.cells.some((c) => c >= 0.5))
    .sort((a, b) => Math.max(...b.cells) - Math.max(...a.cells));
  for (const row of rows) lines.push(`| ${row.n.replace(/\|/g, '\\|')} | ${row.cells.map(f).join(' | ')} |`);
  const outside = groups.map((g) =>
    median(
      r.runs
        .filter((x) => `${x.variant}|${x.cache}` === g && x.code === 0)
        .map((x) => x.seconds - Object.values(x.phases).reduce((a, b) => a + b, 0)),
    ),
  );
  lines.push(
    `| *outside these (${tool === 'kiwi' ? 'before the first and after the last log line' : 'start-up, plan, between steps'})* | ${outside.map(f).join(' | ')} |`,
  );
  const wall = groups.map((g) => {
    const [variant, cache] = g.split('|');
    return median(seconds(r.runs, variant!, cache!));
  });
  lines.push(`| *wall (median)* | ${wall.map(f).join(' | ')} |`);
  return lines;
}

function packageSection(r: RaceResults): string[] {
  const counts = Object.entries(r.packageCounts).map(([l, n]) => `${l}: ${n}`);
  const lines = [
    `Installed packages per run (dpkg status in each tarball): ${counts.join(', ')}.`,
    `Every run of one tool gave the same list: ${r.sameWithinTool ? 'yes' : 'no'}.`,
    '',
  ];
  if (!r.differences) return [...lines, 'No comparison: a tool built nothing.'];
  if (!r.differences.length) return [...lines, 'KIWI and imgc: **the same packages at the same versions**.'];
  lines.push('| package | KIWI | imgc |', '|---|---|---|');
  for (const d of r.differences) lines.push(`| ${d.name} | ${d.kiwi ?? '(none)'} | ${d.imgc ?? '(none)'} |`);
  return lines;
}

export function writeResults(file: string, r: RaceResults): void {
  const lines = [
    '# bench/kiwi-race.sh — results (issue 22)',
    '',
    `Run ${r.began.toISOString()} – ${r.ended.toISOString()}, ${r.rounds} rounds, ${r.machine}, commit ${r.commit},`,
    `${r.kiwiVersion}. Wall times in seconds; each round runs KIWI cold, imgc cold, KIWI warm,`,
    'imgc warm with `--no-tree-cache`, imgc warm with its tree cache, one after another.',
    `Both tarballs compressed by \`xz\` with all threads at level ${r.xzLevel}.`,
    '',
    '## Medians and ratios',
    '',
    ...ratioTable(r),
    '',
    '## Raw runs',
    '',
    ...rawTable(r),
    '',
    '## Same package set',
    '',
    ...packageSection(r),
    '',
    '## Where the time goes (medians per phase)',
    '',
    ...profileTable(r, 'kiwi'),
    '',
    ...profileTable(r, 'imgc'),
    '',
    '## The KIWI description (imgc translate --to kiwi --kiwi-schema 7.5)',
    '',
    '```xml',
    r.kiwiConfig.trim(),
    '```',
    '',
  ];
  writeFileSync(file, lines.join('\n'));
}
