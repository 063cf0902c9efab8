#!/usr/bin/env node
// N builds of the sample (directory output, warm tree cache) three ways: N sequential
// `imgc build` runs, then one `imgc submit --wait` of N jobs through 1 worker and through 2
// workers (each worker its own cache dir, seeded by hard links from the warmed one). Prints
// the queue's overhead per job (wall time not spent inside the workers' job processors), the
// build process's own overhead (processor time minus the build's own time, without the
// store), the store's time, and the speed-ups. Needs root, redis-server and the bundled CLI
// (`npm run build`). Usage: node bench/fleet/fleet.mjs [--jobs N] [--work DIR]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: { jobs: { type: 'string', default: '4' }, work: { type: 'string' } },
});
const N = Number(values.jobs);
const work = values.work ?? mkdtempSync('/var/tmp/imgc-bench-fleet-');
const imgc = ['node', join(root, 'bin/imgc.js')];
const definition = join(root, 'samples/blueprint/debian-minimal.toml');
const seconds = (ms) => (ms / 1000).toFixed(2);

function run(args, options = {}) {
  const t0 = Date.now();
  const r = spawnSync(imgc[0], [...imgc.slice(1), ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    ...options,
  });
  if (r.status !== 0 && !options.allowFail)
    throw new Error(`imgc ${args.join(' ')}: exit ${r.status}\n${r.stderr.slice(-3000)}`);
  return { ...r, ms: Date.now() - t0 };
}

async function freePort() {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function startRedis() {
  const dir = join(work, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG')
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `redis://127.0.0.1:${port}`, port, child };
}

function startWorker(redis, store, cacheDir) {
  const child = spawn(
    imgc[0],
    [
      ...imgc.slice(1),
      'worker',
      '--redis',
      redis,
      '--store',
      store,
      '--cache-dir',
      cacheDir,
      '--queue',
      'x86_64',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return child;
}

async function stop(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

function seeded(from, name) {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const sub of ['trees', 'packages']) execFileSync('cp', ['-al', join(from, sub), join(dir, sub)]);
  // the locks kept beside the trees, copied: a build rewrites them in place
  execFileSync('cp', ['-a', join(from, 'locks'), join(dir, 'locks')]);
  return dir;
}

async function throughFleet(redis, workers) {
  const store = join(work, `store-${workers}`);
  rmSync(store, { recursive: true, force: true });
  const caches = Array.from({ length: workers }, (_, i) =>
    seeded(join(work, 'cache'), `cache-w${workers}-${i}`),
  );
  const children = caches.map((c) => startWorker(redis.url, store, c));
  await new Promise((r) => setTimeout(r, 3000)); // workers up and waiting
  const defs = Array.from({ length: N }, () => definition);
  const r = run([
    'submit',
    ...defs,
    '--output',
    'directory',
    '--no-pin',
    '--redis',
    redis.url,
    '--wait',
    '--json',
  ]);
  await Promise.all(children.map(stop));
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const ends = events.filter((e) => e.event === 'job-end');
  const builds = events.filter((e) => e.event === 'build-end');
  if (ends.some((e) => e.outcome !== 'ok')) throw new Error(`a job failed: ${JSON.stringify(ends)}`);
  const processor = ends.reduce((a, e) => a + e.result.elapsedMs, 0);
  const store_ = ends.reduce((a, e) => a + e.result.storeMs, 0);
  const build = builds.reduce((a, e) => a + e.elapsedMs, 0);
  return {
    wall: r.ms,
    // with one worker the jobs run one after another: what the wall time holds beyond them is the queue's
    queuePerJob: workers === 1 ? (r.ms - processor) / N : undefined,
    processPerJob: (processor - store_ - build) / N,
    storePerJob: store_ / N,
    buildPerJob: build / N,
  };
}

console.log(
  `bench/fleet: ${N} jobs, work ${work}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const cache = join(work, 'cache');
const out = join(work, 'out');
// warm-up: fills the tree cache the sequential runs use and the workers' caches are seeded from
const warm = run(['build', definition, '--output', 'directory', '-o', out, '--cache-dir', cache]);
console.log(`warm-up build: ${seconds(warm.ms)} s`);
const sequential = [];
for (let i = 0; i < N; i++)
  sequential.push(
    run(['build', definition, '--output', 'directory', '-o', join(out, String(i)), '--cache-dir', cache]).ms,
  );
const seqTotal = sequential.reduce((a, b) => a + b, 0);
console.log(
  `sequential imgc build ×${N}: ${seconds(seqTotal)} s (each ${sequential.map(seconds).join(', ')})`,
);
rmSync(out, { recursive: true, force: true });

const redis = await startRedis();
try {
  const one = await throughFleet(redis, 1);
  const two = await throughFleet(redis, 2);
  for (const [name, r] of [
    ['1 worker', one],
    ['2 workers', two],
  ])
    console.log(
      `${name}: ${seconds(r.wall)} s for ${N} jobs; per job: build ${seconds(r.buildPerJob)} s, build process overhead ${seconds(r.processPerJob)} s, store ${seconds(r.storePerJob)} s${r.queuePerJob !== undefined ? `, queue overhead ${seconds(r.queuePerJob)} s` : ''}`,
    );
  console.log(
    `speed-up: 2 workers vs sequential ${(seqTotal / two.wall).toFixed(2)}×, vs 1 worker ${(one.wall / two.wall).toFixed(2)}×; 1 worker vs sequential ${(seqTotal / one.wall).toFixed(2)}×`,
  );
  const info = spawnSync('redis-cli', ['-p', String(redis.port), 'info', 'commandstats'], {
    encoding: 'utf8',
  }).stdout;
  const calls = [...info.matchAll(/calls=(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
  console.log(
    `redis: ${calls} commands in all for ${2 * N} jobs (+ idle polling), ${(calls / (2 * N)).toFixed(0)} per job`,
  );
} finally {
  redis.child.kill('SIGTERM');
  if (!values.work) rmSync(work, { recursive: true, force: true });
}
