/**
 * The package entry point: the library API (`src/api/`) and `main`, the CLI run in process.
 * scripts/bundle.mjs bundles this one module, so the CLI and the library share one copy.
 */
export * from './api/index.js';
export { main } from './cli/main.js';
