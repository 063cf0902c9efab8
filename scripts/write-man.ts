/** Writes man/imgc.1 from the command tree (`npm run man`); test/cli/manpage.test.ts checks it is current. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { programModel, valueSources } from '../src/cli/command-model.js';
import { buildProgram } from '../src/cli/main.js';
import { manPage } from '../src/cli/manpage.js';
import { FormatRegistry } from '../src/formats/registry.js';

const registry = new FormatRegistry();
const { program } = buildProgram(undefined, registry);
const epoch = Number(process.env.SOURCE_DATE_EPOCH);
const date = (Number.isInteger(epoch) ? new Date(epoch * 1000) : new Date()).toISOString().slice(0, 10);
const root = new URL('../', import.meta.url);
mkdirSync(new URL('man/', root), { recursive: true });
writeFileSync(new URL('man/imgc.1', root), manPage(programModel(program, valueSources(registry)), date));
