#!/usr/bin/env node
// Bundles the CLI into dist/cli/imgc.mjs (one file: Node resolves and loads ~380 modules
// otherwise, about 0.4 s of every command), with what only some commands import dynamically
// (the fleet's BullMQ and Redis, the CycloneDX library) in chunks beside it (dist/cli/imgc-*.mjs:
// in the same folder, so paths relative to the code, such as the checker's, hold), so the others
// neither compile nor run it (decision 0131), and precompiles the IR checker with ajv's
// standalone code (another ~0.4 s per command that validates). Runs after tsc, from
// `npm run build`. See docs/decisions/0013-bundled-cli.md.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const { irCheckerSource } = await import(new URL('dist/ir/precompile.js', root).href);
writeFileSync(new URL('dist/ir/ir-checker.generated.cjs', root), irCheckerSource());

// chunks of an older build would otherwise pile up (their names carry a hash of their content)
const cliDir = new URL('dist/cli/', root);
for (const f of existsSync(cliDir) ? readdirSync(cliDir) : [])
  if (/^imgc-.+\.mjs$/.test(f)) rmSync(new URL(f, cliDir));
await build({
  entryPoints: { imgc: new URL('src/index.ts', root).pathname },
  outdir: new URL('dist/cli', root).pathname,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'imgc-[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // jsonc-parser's "main" is a UMD build that esbuild cannot follow; its ESM build is fine.
  mainFields: ['module', 'main'],
  // Bundled CommonJS packages call require(); ESM has none, so give the bundle (each chunk) one.
  banner: {
    js: "import { createRequire as imgcCreateRequire } from 'node:module'; const require = imgcCreateRequire(import.meta.url);",
  },
  // @cyclonedx/cyclonedx-library require()s its optional plugins (XML writers and validators)
  // inside try/catch; imgc writes JSON only, so they stay out of the bundle (decision 0107).
  external: ['xmlbuilder2', 'libxmljs2', 'ajv-formats-draft2019', 'spdx-expression-parse'],
  logLevel: 'warning',
  legalComments: 'none',
});
