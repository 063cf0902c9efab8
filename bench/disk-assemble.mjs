#!/usr/bin/env node
// Assembles a disk from an existing tree with imgc's disk output (the compiled dist/), for
// bench/disk-vs-plain-tools.sh. Usage: disk-assemble.mjs <tree> <output.raw> <workdir>
import { mkdirSync, rmSync } from 'node:fs';
import { assembleDisk } from '../dist/outputs/disk/index.js';

const [tree, output, workDir] = process.argv.slice(2);
if (!tree || !output || !workDir) {
  console.error('usage: disk-assemble.mjs <tree> <output.raw> <workdir>');
  process.exit(2);
}
mkdirSync(workDir, { recursive: true });
try {
  await assembleDisk({
    tree,
    output,
    workDir,
    cmdline: ['console=ttyS0'],
    os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  });
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
