/**
 * %packages → IR packages, with pykickstart's semantics line by line: `pkg` includes and
 * cancels an earlier `-pkg`; `-pkg` excludes and cancels an earlier `pkg`; `@group` (with
 * `--nodefaults`/`--optional`) is added once; `-@group` drops an earlier `@group` and is kept
 * as an excluded group; `@^env` sets the one environment (last wins), `-@^env` clears it;
 * `@name:stream[/profile]` is a module. The last header's options apply.
 */

import { diag } from '../../../diagnostics/define.js';
import { appendAll } from '../../../input/append.js';
import type { PackageGroup, PackageModule } from '../../../ir/schema.js';
import { kickstartCodes } from '../codes.js';
import { OPTION_POINTERS } from '../extension.js';
import { moduleText } from '../vocabulary.js';
import type { CheckedCommand } from './command.js';
import type { KsLocation, KsSection } from './document.js';
import type { LowerContext } from './lower-context.js';

const HEADER_FIELDS = ['--excludedocs', '--nocore', '--inst-langs', '--instLangs', '--exclude-weakdeps'];

interface Entry<T> {
  value: T;
  at: KsLocation;
}

export function lowerPackages(
  cx: LowerContext,
  sections: KsSection[],
  checkHeader: (cx: LowerContext, s: KsSection) => CheckedCommand,
): void {
  const install = new Map<string, Entry<string>>();
  const exclude = new Map<string, Entry<string>>();
  const groups: Entry<PackageGroup>[] = [];
  const excludedGroups: Entry<PackageGroup>[] = [];
  const modules: Entry<PackageModule>[] = [];
  let environment: Entry<PackageGroup> | undefined;
  let header: CheckedCommand | undefined;

  for (const section of sections) {
    header = checkHeader(cx, section);
    for (const line of section.body) {
      const item = line.text.split('#')[0]!.trim();
      if (item === '') continue;
      const at = { ...line.at, column: line.text.search(/\S/) + 1 };
      if (item.startsWith('@^')) {
        environment = { value: { name: item.slice(2), kind: 'environment' }, at };
      } else if (item.startsWith('@')) {
        const words = item.slice(1).split(/\s+/);
        const nodefaults = words.includes('--nodefaults');
        const optional = words.includes('--optional');
        if (nodefaults && optional) {
          cx.diagnostics.push(
            diag(
              kickstartCodes.badPackageLine,
              { detail: 'a group cannot take both --nodefaults and --optional' },
              at,
            ),
          );
          continue;
        }
        const name = words.filter((w) => w !== '--nodefaults' && w !== '--optional' && w !== '').join(' ');
        const module = /^([^:\s]+):([^/\s]+)(?:\/(\S+))?$/.exec(name);
        if (module) {
          if (modules.some((m) => moduleText(m.value) === name)) continue;
          const mod: PackageModule = { name: module[1]!, stream: module[2]!, state: 'installed' };
          if (module[3]) mod.profile = module[3];
          modules.push({ value: mod, at });
          continue;
        }
        if (groups.some((g) => g.value.name === name)) continue;
        const group: PackageGroup = { name };
        if (nodefaults) group.nodefaults = true;
        if (optional) group.optional = true;
        groups.push({ value: group, at });
      } else if (item.startsWith('-')) {
        const rest = item.slice(1);
        if (rest.startsWith('@^') && environment?.value.name === rest.slice(2)) environment = undefined;
        else if (rest.startsWith('@')) {
          const name = rest.slice(1);
          removeWhere(groups, (g) => g.value.name === name);
          removeWhere(modules, (m) => moduleText(m.value) === name);
          excludedGroups.push({ value: { name, exclude: true }, at });
        } else {
          install.delete(rest);
          exclude.delete(rest);
          exclude.set(rest, { value: rest, at });
        }
      } else {
        exclude.delete(item);
        if (!install.has(item)) install.set(item, { value: item, at });
      }
    }
  }

  const pk = cx.ir.packages;
  const place = (list: string, entries: Entry<unknown>[]) =>
    entries.forEach((e, i) => {
      cx.place(`/packages/${list}/${i}`, e.at);
    });
  pk.install = [...install.values()].map((e) => ({ name: e.value }));
  place('install', [...install.values()]);
  pk.exclude = [...exclude.values()].map((e) => ({ name: e.value }));
  place('exclude', [...exclude.values()]);
  const allGroups = [...(environment ? [environment] : []), ...groups, ...excludedGroups];
  pk.groups = allGroups.map((e) => e.value);
  place('groups', allGroups);
  const moduleStart = pk.modules.length;
  appendAll(
    pk.modules,
    modules.map((m) => m.value),
  );
  modules.forEach((m, i) => {
    cx.place(`/packages/modules/${moduleStart + i}`, m.at);
  });

  if (header) {
    if (header.has('--excludedocs')) pk.installDocs = false;
    if (header.has('--nocore')) pk.core = false;
    if (header.has('--multilib')) pk.multilib = true;
    if (header.has('--exclude-weakdeps') || header.has('--excludeWeakdeps')) pk.installWeakDeps = false;
    const langs = header.value('--inst-langs') ?? header.value('--instLangs');
    if (langs !== undefined)
      pk.languages = langs === '' ? ['none'] : langs.split(/[:,]/).filter((l) => l !== '');
    cx.keepOptions(
      OPTION_POINTERS.packages,
      header.rest([...HEADER_FIELDS, '--multilib', '--excludeWeakdeps']),
    );
  }
}

function removeWhere<T>(list: T[], test: (item: T) => boolean): void {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) list.splice(i, 1);
}
