/**
 * The one catalogue of diagnostic codes. Each area keeps its entries in `codes/<area>.ts`
 * (ranges: 1xxx core, 2xxx blueprint, 3xxx kiwi, 4xxx mkosi, 5xxx kickstart, 6xxx translate,
 * 7xxx plan/build, 8xxx plugins, 9xxx containerfile; discovery 1080–1089, cli 9030–9049); this file joins them, and
 * `test/diagnostics/catalogue.test.ts` checks that every code is unique and well-formed.
 */

import { backendCodes } from './codes/backends.js';
import { blueprintCodes } from './codes/blueprint.js';
import { buildCodes } from './codes/build.js';
import { cliCodes } from './codes/cli.js';
import { containerfileCodes } from './codes/containerfile.js';
import { coreCodes } from './codes/core.js';
import { discoveryCodes } from './codes/discovery.js';
import { diskCodes } from './codes/disk.js';
import { kickstartCodes } from './codes/kickstart.js';
import { kiwiCodes } from './codes/kiwi.js';
import { mkosiCodes } from './codes/mkosi.js';
import { outputCodes } from './codes/outputs.js';
import { pluginCodes } from './codes/plugins.js';
import { scriptCodes } from './codes/scripts.js';
import { translateCodes } from './codes/translate.js';
import type { CodeDef } from './define.js';

export const catalogue: Record<string, Record<string, CodeDef<any>>> = {
  core: coreCodes,
  mkosi: mkosiCodes,
  kiwi: kiwiCodes,
  kickstart: kickstartCodes,
  disk: diskCodes,
  outputs: outputCodes,
  blueprint: blueprintCodes,
  translate: translateCodes,
  containerfile: containerfileCodes,
  build: buildCodes,
  backends: backendCodes,
  scripts: scriptCodes,
  plugins: pluginCodes,
  cli: cliCodes,
  discovery: discoveryCodes,
};

export function allCodes(): CodeDef<any>[] {
  return Object.values(catalogue).flatMap((area) => Object.values(area));
}
