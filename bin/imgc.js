#!/usr/bin/env node
import { main } from '../dist/cli/imgc.mjs';

// A reader that stops early (`imgc formats | head -1`) closes the pipe: stop quietly, as other CLIs do.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = await main(process.argv);
