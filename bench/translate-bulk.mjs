#!/usr/bin/env node
// Translation in bulk (issue 22), side by side in one run, medians of --runs (default 3):
//   - every corpus definition, one `imgc translate` process each, vs one batch call, for --to ir
//     and --to mkosi (wall clock, and the batch's peak RSS from /usr/bin/time -v);
//   - `imgc --version` vs `node -e 0`;
//   - `imgc inspect` of one kickstart (the sample, and the largest corpus kickstart).
// Writes bench/results-translate.md (raw runs, load average before and after each measurement).
// Needs the built CLI (npm run build) and ../shared (IMGC_SHARED). No root.
//   node bench/translate-bulk.mjs [--runs 3] [--stride 1] [--jobs 1] [--baseline DIR]
// --baseline DIR (a built checkout of an older commit, e.g. `git archive` + `npm run build`) adds
// before/after races of the batches, --version and the kickstart inspects: its bin/imgc.js
// against this one's, alternating run by run.
// --stride N runs the one-process-per-definition side on every Nth definition only and scales
// its time to the whole corpus (said so in the results); the batch side always takes them all.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusDefinitions } from '../scripts/corpus-definitions.mjs';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'bin/imgc.js');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    stride: { type: 'string', default: '1' },
    jobs: { type: 'string', default: '1' },
    out: { type: 'string', default: join(root, 'bench/results-translate.md') },
    baseline: { type: 'string' },
  },
});
const runs = Number(values.runs);
const stride = Number(values.stride);
const defs = corpusDefinitions();
const sampled = defs.filter((_, i) => i % stride === 0);
const kickstarts = defs.filter((d) => d.includes('/corpus/kickstart/'));
const largestKickstart = kickstarts.reduce((a, b) => (statSync(b).size > statSync(a).size ? b : a));
const scratch = mkdtempSync(join(tmpdir(), 'imgc-bench-translate-'));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** Wall seconds and peak RSS (MB) of one command, through /usr/bin/time -v. */
function timed(cmd, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN) / 1024;
  const seconds = (what) =>
    Number(new RegExp(`${what} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1] ?? Number.NaN);
  return { wall, cpu: seconds('User') + seconds('System'), rss, status: r.status, stderr: r.stderr };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];

/** Alternates the sides run by run so that load from others hits each alike. */
function race(name, sides) {
  const result = Object.fromEntries(
    sides.map((s) => [s.label, { walls: [], cpus: [], rss: [], loads: [], notes: [] }]),
  );
  for (let r = 0; r < runs; r++) {
    for (const side of sides) {
      const before = load();
      const m = side.run();
      const entry = result[side.label];
      entry.walls.push(m.wall);
      entry.cpus.push(m.cpu);
      if (!Number.isNaN(m.rss)) entry.rss.push(m.rss);
      entry.loads.push(`${before} → ${load()}`);
      entry.notes.push(m.note ?? (m.status === 0 ? '' : `exit ${m.status}`));
    }
  }
  rows.push({ name, result });
  for (const [label, e] of Object.entries(result))
    console.error(`${name} / ${label}: median ${median(e.walls).toFixed(3)} s; ${e.notes.join('; ')}`);
}

function perProcess(to) {
  return () => {
    let wall = 0;
    let cpu = 0;
    let rss = 0;
    let failed = 0;
    for (const [i, def] of sampled.entries()) {
      const m = timed('node', [cli, 'translate', def, '--to', to, '-o', join(scratch, `pp-${to}-${i}`)]);
      wall += m.wall;
      cpu += m.cpu;
      rss = Math.max(rss, m.rss);
      if (m.status !== 0) failed++;
    }
    rmSync(scratch, { recursive: true, force: true });
    const scale = defs.length / sampled.length;
    return {
      wall: wall * scale,
      cpu: cpu * scale,
      rss,
      note: `(${sampled.length} processes${stride > 1 ? `, scaled ×${(defs.length / sampled.length).toFixed(2)}` : ''}; ${failed} exit non-zero)`,
    };
  };
}

function batch(to, cliPath = cli) {
  return () => {
    const m = timed('node', [
      cliPath,
      'translate',
      ...defs,
      '--to',
      to,
      '-o',
      join(scratch, `batch-${to}`),
      '--jobs',
      values.jobs,
    ]);
    rmSync(scratch, { recursive: true, force: true });
    const summary =
      /translated \d+ of \d+ definitions to \S+, \d+ failed/.exec(m.stderr)?.[0] ?? 'no summary line';
    return { ...m, note: `(${summary})` };
  };
}

const commit = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const startedAt = new Date().toISOString();
const startLoad = load();

for (const to of ['ir', 'mkosi'])
  race(`all ${defs.length} corpus definitions --to ${to}`, [
    { label: 'one process each', run: perProcess(to) },
    { label: 'batch (one call)', run: batch(to) },
  ]);
race('start-up', [
  { label: 'node -e 0', run: () => timed('node', ['-e', '0']) },
  { label: 'imgc --version', run: () => timed('node', [cli, '--version']) },
]);
race('kickstart inspect', [
  {
    label: 'samples/kickstart/imgc-sample.ks --distro debian:12',
    run: () =>
      timed('node', [
        cli,
        'inspect',
        join(root, 'samples/kickstart/imgc-sample.ks'),
        '--distro',
        'debian:12',
      ]),
  },
  {
    label: `largest corpus kickstart (${statSync(largestKickstart).size} B)`,
    run: () => timed('node', [cli, 'inspect', largestKickstart]),
  },
]);
if (values.baseline) {
  const before = join(resolve(values.baseline), 'bin/imgc.js');
  const baseCommit = existsSync(join(values.baseline, '.git'))
    ? execFileSync('git', ['-C', values.baseline, 'rev-parse', '--short', 'HEAD'], {
        encoding: 'utf8',
      }).trim()
    : values.baseline;
  const sides = (run) => [
    { label: `before (${baseCommit})`, run: () => run(before) },
    { label: 'after (this commit)', run: () => run(cli) },
  ];
  for (const to of ['ir', 'mkosi'])
    race(
      `batch of all ${defs.length} corpus definitions --to ${to}`,
      sides((c) => batch(to, c)()),
    );
  race(
    'imgc --version',
    sides((c) => timed('node', [c, '--version'])),
  );
  race(
    `inspect of the largest corpus kickstart`,
    sides((c) => timed('node', [c, 'inspect', largestKickstart])),
  );
}
rmSync(scratch, { recursive: true, force: true });

const fmt = (xs, d = 3) => xs.map((x) => x.toFixed(d)).join(', ');
const lines = [
  '# bench/translate-bulk.mjs — results (issue 22, translation in bulk)',
  '',
  `${startedAt}, commit ${commit}, ${runs} runs per side alternating, --stride ${stride}, --jobs ${values.jobs}.`,
  `Load average (1/5/15 min) at start: ${startLoad}; at end: ${load()}. The built CLI (\`node bin/imgc.js\`).`,
  '',
  '| measurement | side | median wall (s) | median CPU user+sys (s) | peak RSS (MB) | wall runs (s) | note |',
  '|---|---|---|---|---|---|---|',
];
for (const { name, result } of rows)
  for (const [label, e] of Object.entries(result))
    lines.push(
      `| ${name} | ${label} | ${median(e.walls).toFixed(3)} | ${median(e.cpus).toFixed(2)} | ${e.rss.length ? Math.max(...e.rss).toFixed(0) : ''} | ${fmt(e.walls)} | ${[...new Set(e.notes)].join('; ')} |`,
    );
lines.push('', '## Ratios', '');
for (const { name, result } of rows) {
  const [a, b] = Object.entries(result);
  lines.push(
    `- ${name}: ${b[0]} / ${a[0]} = ${(median(b[1].walls) / median(a[1].walls)).toFixed(3)} wall, ${(median(b[1].cpus) / median(a[1].cpus)).toFixed(3)} CPU`,
  );
}
lines.push('', '## Load average around each run', '');
for (const { name, result } of rows)
  for (const [label, e] of Object.entries(result)) lines.push(`- ${name} / ${label}: ${e.loads.join('; ')}`);
// notes written by hand below the marker survive a re-run
const marker = '<!-- notes by hand: kept when the script rewrites the measurements above -->';
const kept = existsSync(values.out) ? readFileSync(values.out, 'utf8').split(marker)[1] : undefined;
writeFileSync(values.out, `${lines.join('\n')}\n\n${marker}${kept ?? '\n'}`);
console.error(`wrote ${values.out}`);
