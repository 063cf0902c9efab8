#!/usr/bin/env node
// Translates every corpus definition to every writable format, in process through a built CLI's
// exported main(), and prints one line per pair: the definition, the target, the exit code and a
// SHA-256 of everything the translation produced (stdout, stderr, and each written file's path and
// bytes). Two runs, one with the old build and one with the new, prove a change left every
// translation byte-identical:
//
//   node scripts/translate-corpus-digest.mjs --cli /tmp/old/dist/cli/imgc.mjs > /tmp/old.tsv
//   node scripts/translate-corpus-digest.mjs --compare /tmp/old.tsv
//
// --cli defaults to this worktree's dist/cli/imgc.mjs (npm run build). Both runs write into the
// same scratch folder (--scratch, default /tmp/imgc-translate-digest) so paths in the output match.
// IMGC_SHARED points at shared/ as for the tests. --to restricts the targets (repeatable).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { corpusDefinitions, sharedDir } from './corpus-definitions.mjs';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    cli: { type: 'string', default: join(root, 'dist/cli/imgc.mjs') },
    compare: { type: 'string' },
    scratch: { type: 'string', default: '/tmp/imgc-translate-digest' },
    to: { type: 'string', multiple: true },
  },
});
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { recursive: true })) {
    const full = join(dir, String(entry));
    if (statSync(full).isFile()) out.push(full);
  }
  return out.sort();
}

async function digestAll(cliPath) {
  const { main } = await import(pathToFileURL(resolve(cliPath)).href);
  const capture = () => {
    const io = { out: '', err: '', isTTY: false };
    io.stdout = (t) => {
      io.out += t;
    };
    io.stderr = (t) => {
      io.err += t;
    };
    return io;
  };
  const formats = capture();
  await main(['node', 'imgc', 'formats', '--json'], formats);
  const targets =
    values.to ??
    JSON.parse(formats.out)
      .formats.filter((f) => f.writes)
      .map((f) => f.id);
  const lines = [];
  const outDir = join(values.scratch, 'out');
  for (const def of corpusDefinitions()) {
    for (const to of targets) {
      rmSync(values.scratch, { recursive: true, force: true });
      mkdirSync(values.scratch, { recursive: true });
      const io = capture();
      const code = await main(['node', 'imgc', 'translate', def, '--to', to, '-o', outDir], io);
      const hash = createHash('sha256').update(`${io.out}\0${io.err}\0`);
      for (const f of filesUnder(outDir))
        hash
          .update(`${relative(outDir, f)}\0`)
          .update(readFileSync(f))
          .update('\0');
      lines.push(`${relative(sharedDir, def)}\t${to}\t${code}\t${hash.digest('hex')}`);
    }
  }
  rmSync(values.scratch, { recursive: true, force: true });
  return lines;
}

const lines = await digestAll(values.cli);
if (!values.compare) {
  process.stdout.write(`${lines.join('\n')}\n`);
} else {
  const before = readFileSync(values.compare, 'utf8').split('\n').filter(Boolean);
  const key = (l) => l.split('\t').slice(0, 2).join('\t');
  const old = new Map(before.map((l) => [key(l), l]));
  let differ = 0;
  for (const l of lines) {
    if (old.get(key(l)) === l) continue;
    differ++;
    process.stdout.write(`differs: ${l}\n   was: ${old.get(key(l)) ?? '(absent)'}\n`);
  }
  const now = new Set(lines.map(key));
  const missing = before.filter((l) => !now.has(key(l))).length;
  process.stdout.write(
    `${lines.length} pairs, ${lines.length - differ} identical, ${differ} differ, ${missing} missing\n`,
  );
  process.exitCode = differ || missing || lines.length !== before.length ? 1 : 0;
}
