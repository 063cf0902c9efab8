/**
 * The diagnostic codes of the areas outside the formats (ranges: 1xxx core, 6xxx translate,
 * 7xxx plan/build, 8xxx plugins (fleet 8100–8149), 905x–906x running built outputs, 908x batch translation; discovery 1080–1089, cli 9030–9049). Each format keeps its own codes in `src/formats/<id>/codes.ts`
 * and hands them over on its `FormatModule`; `src/formats/catalogue.ts` joins both into the one
 * catalogue, and `test/diagnostics/catalogue.test.ts` checks that every code is unique and well-formed.
 */

import { lookupTable } from '../lib/lookup-table.js';
import { backendCodes } from './codes/backends.js';
import { batchCodes } from './codes/batch.js';
import { buildCodes } from './codes/build.js';
import { cliCodes } from './codes/cli.js';
import { commandCodes } from './codes/commands.js';
import { coreCodes } from './codes/core.js';
import { discoveryCodes } from './codes/discovery.js';
import { diskCodes } from './codes/disk.js';
import { fleetCodes } from './codes/fleet.js';
import { goldenCodes } from './codes/golden.js';
import { initrdCodes } from './codes/initrd.js';
import { lockCodes } from './codes/lock.js';
import { ostreeCodes } from './codes/ostree.js';
import { outputCodes } from './codes/outputs.js';
import { parallelCodes } from './codes/parallel.js';
import { pluginCodes } from './codes/plugins.js';
import { reproducibleCodes } from './codes/reproducible.js';
import { resolveCodes } from './codes/resolve.js';
import { scriptCodes } from './codes/scripts.js';
import { translateCodes } from './codes/translate.js';
import type { CodeDef } from './define.js';

export const areaCatalogue: Record<string, Record<string, CodeDef<any>>> = lookupTable({
  core: coreCodes,
  disk: diskCodes,
  outputs: outputCodes,
  ostree: ostreeCodes,
  translate: translateCodes,
  build: buildCodes,
  backends: backendCodes,
  scripts: scriptCodes,
  plugins: pluginCodes,
  cli: cliCodes,
  discovery: discoveryCodes,
  resolve: resolveCodes,
  lock: lockCodes,
  commands: commandCodes,
  batch: batchCodes,
  fleet: fleetCodes,
  reproducible: reproducibleCodes,
  golden: goldenCodes,
  parallel: parallelCodes,
  initrd: initrdCodes,
});
