/** The built-in formats. A format plugin registers the same FormatModule shape. */
import { blueprintFormat, blueprintJsonFormat } from './blueprint/format.js';
import { containerfileFormat } from './containerfile/format.js';
import type { FormatModule } from './contract.js';
import { dibFormat } from './dib/format.js';
import { irFormat } from './ir/format.js';
import { kickstartFormat } from './kickstart/format.js';
import { kiwiFormat } from './kiwi/format.js';
import { liveBuildFormat } from './live-build/format.js';
import { mkosiFormat } from './mkosi/format.js';
import { packerFormat } from './packer/format.js';
import { tdlFormat } from './tdl/format.js';
import { treefileFormat } from './treefile/format.js';
import { virtBuilderFormat } from './virt-builder/format.js';
import { vmdb2Format } from './vmdb2/format.js';

export const builtinFormats: FormatModule[] = [
  blueprintFormat,
  blueprintJsonFormat,
  containerfileFormat,
  kickstartFormat,
  kiwiFormat,
  mkosiFormat,
  vmdb2Format,
  packerFormat,
  liveBuildFormat,
  treefileFormat,
  tdlFormat,
  virtBuilderFormat,
  dibFormat,
  irFormat,
];

export class FormatRegistry {
  private readonly byId = new Map<string, FormatModule>();
  constructor(formats: readonly FormatModule[] = builtinFormats) {
    for (const f of formats) this.add(f);
  }
  add(format: FormatModule): void {
    if (this.byId.has(format.id)) throw new Error(`format "${format.id}" is registered twice`);
    this.byId.set(format.id, format);
  }
  get(id: string): FormatModule | undefined {
    return this.byId.get(id);
  }
  list(): FormatModule[] {
    return [...this.byId.values()];
  }
  ids(): string[] {
    return [...this.byId.keys()];
  }
}
