#!/usr/bin/env node
// `imgc --version` alone is answered here, from package.json as the CLI does, without loading the
// 2.5 MB bundle (its compile is most of a command's start-up: 0.40 s against node's own 0.27 s
// under load, issue 22); any other arguments, `-V` included, go to the CLI.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { main } = await import('../dist/cli/imgc.mjs');
  // A reader that stops early (`imgc formats | head -1`) closes the pipe: stop quietly, as other CLIs do.
  process.stdout.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  process.exitCode = await main(process.argv);
}
