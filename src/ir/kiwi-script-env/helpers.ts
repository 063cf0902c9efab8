/**
 * Every function name KIWI's `/.kconfig` defines, with how faithfully imgc's own `/.kconfig`
 * provides it. `exact`: what KIWI documents (or, for undocumented ones, what KIWI does);
 * `approximate`: does what it can and says on stderr what it left out; `removed`: KIWI itself
 * removed it and aborts the script when it is called, and so does imgc; `internal`: a KIWI
 * internal imgc does not implement (it warns and does nothing).
 */
import { lookupTable } from '../../lib/lookup-table.js';
import { KCONFIG_FUNCTIONS } from './kconfig.js';

export type Fidelity = 'exact' | 'approximate' | 'removed' | 'internal';

export interface Helper {
  fidelity: Fidelity;
  /** what differs from KIWI, or why KIWI removed it */
  note?: string;
}

const exact: Helper = { fidelity: 'exact' };
const internal: Helper = { fidelity: 'internal' };
const removed = (note: string): Helper => ({ fidelity: 'removed', note });
const MOUNTS = 'KIWI and imgc mount and unmount /proc, /sys and /dev themselves';
const STRIP = 'where documentation lives differs by distribution; KIWI no longer strips it';
const KERNEL = 'kernel and initrd stripping is done by the initrd tools';

export const HELPERS: Record<string, Helper> = lookupTable({
  Debug: { fidelity: 'exact', note: "without KIWI's caller names before the message" },
  Echo: { fidelity: 'exact', note: 'without the one or two spaces KIWI prints before the prefix' },
  Rm: exact,
  baseSystemdServiceInstalled: {
    fidelity: 'exact',
    note: 'also finds a unit in /lib/systemd/system and a name given with its .service suffix',
  },
  baseSysVServiceInstalled: exact,
  baseSystemdCall: {
    fidelity: 'exact',
    note: 'says on stderr when no unit or SysV service of that name exists (KIWI skips silently)',
  },
  baseInsertService: exact,
  baseRemoveService: exact,
  baseService: exact,
  suseInsertService: exact,
  suseRemoveService: exact,
  suseService: exact,
  baseSetRunlevel: exact,
  baseUpdateSysConfig: {
    fidelity: 'exact',
    note: 'the value is written literally (KIWI passes it through sed and eval)',
  },
  suseSetupProduct: {
    fidelity: 'exact',
    note: 'says on stderr when there is no product to link',
  },
  suseImportBuildKey: { fidelity: 'exact', note: 'says on stderr when the image has no rpm' },
  baseSetupBuildDay: { fidelity: 'exact', note: 'uses SOURCE_DATE_EPOCH when it is set' },
  baseStripAndKeep: exact,
  baseStripLocales: exact,
  baseStripTranslations: exact,
  baseStripUnusedLibs: { fidelity: 'approximate', note: 'removes nothing and says so' },
  baseVagrantSetup: {
    fidelity: 'approximate',
    note: "does all but insert Vagrant's insecure ssh key, and says so",
  },
  baseCleanMount: removed(MOUNTS),
  baseMount: removed(MOUNTS),
  suseConfig: removed('SuSEconfig no longer exists'),
  suseActivateDefaultServices: removed('there is no list of default services; enable services explicitly'),
  suseRemoveYaST: removed(
    'leave YaST out of the package list, or delete its packages with <packages type="delete">',
  ),
  baseSetupUserPermissions: removed('permissions are set by the packages'),
  baseGetPackagesForDeletion: removed('read $kiwi_delete instead'),
  baseGetProfilesUsed: removed('read $kiwi_profiles instead'),
  baseStripDocs: removed(STRIP),
  baseStripMans: removed(STRIP),
  baseStripInfos: removed(STRIP),
  baseCleanup: removed('cleaning up the tree is the image tool\u2019s job'),
  suseCleanup: removed('cleaning up the tree is the image tool\u2019s job'),
  Rpm: removed('call rpm directly'),
  rhelStripInitrd: removed(KERNEL),
  debianStripInitrd: removed(KERNEL),
  rhelStripKernel: removed(KERNEL),
  debianStripKernel: removed(KERNEL),
  rhelSplashToGrub: removed('configure the boot splash in the bootloader settings'),
  suseSetupProductInformation: removed('use suseSetupProduct'),
  // gone before KIWI 9 (KIWI 9 and 10 stop with "command not found"); still called in old descriptions
  suseRemovePackagesMarkedForDeletion: removed(
    'packages in <packages type="delete"> are removed by the image tool',
  ),
  baseStripKernel: internal,
  baseStripInitrd: internal,
  suseStripKernel: internal,
  suseStripInitrd: internal,
  baseStripFirmware: internal,
  baseStripKernelModules: internal,
  baseStripModules: internal,
  baseStripTools: internal,
  baseCreateKernelTree: internal,
  baseSyncKernelTree: internal,
  baseFixupKernelModuleDependencies: internal,
  baseUpdateModuleDependencies: internal,
  baseKernelDriverMatches: internal,
  baseQuoteFile: internal,
  setupContainerRuntime: internal,
  mountCgroups: internal,
  umountCgroups: internal,
});

export const HELPER_NAMES = Object.keys(HELPERS);

/** The single-quoted shell word for a text. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'"'"'`)}'`;
}

function stub(name: string, h: Helper): string | undefined {
  if (h.fidelity === 'removed')
    return `${name}() {\n\timgc_kconfig_removed ${name} ${shellQuote(h.note ?? '')}\n}\n`;
  if (h.fidelity === 'internal') return `${name}() {\n\timgc_kconfig_internal ${name}\n}\n`;
  return undefined;
}

/** The whole `/.kconfig`: the implemented functions, then a stub for every other KIWI name. */
export function kconfigText(): string {
  const stubs = Object.entries(HELPERS)
    .map(([name, h]) => stub(name, h))
    .filter((s): s is string => s !== undefined);
  return `${KCONFIG_FUNCTIONS}\n${stubs.join('\n')}`;
}
