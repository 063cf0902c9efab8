/** Runs the CLI from the TypeScript sources (tests spawn this to build and kill real builds). */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv);
