/**
 * Kickstart document → IR. Commands are checked against the chosen version first (unknown,
 * removed, deprecated, options); a command with errors is dropped, as pykickstart drops it.
 * Single commands: the last one wins. Data commands (part, repo, user, network…) accumulate.
 * What the IR cannot hold goes to `extensions.kickstart` (see extension.ts).
 */

import { coreCodes } from '../../../diagnostics/codes/core.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll, appendToField } from '../../../input/append.js';
import { withoutInlinedEnv } from '../../../ir/kiwi-script-env/index.js';
import type { PositionTable } from '../../../ir/positions.js';
import type { ImageIR, Password, Repository, Script, User } from '../../../ir/schema.js';
import { lookupTable } from '../../../lib/lookup-table.js';
import { kickstartCodes } from '../codes.js';
import { EXTENSION_KEY, OPTION_POINTERS } from '../extension.js';
import type { KsWord } from '../lexer.js';
import {
  type ArgProblem,
  type CommandSpec,
  commandStatus,
  isAtLeast,
  type KsVersion,
  parseArgs,
  sectionSpec,
} from '../versions.js';
import { CheckedCommand, splitList } from './command.js';
import type { KsCommand, KsDocument, KsLocation, KsSection } from './document.js';
import { LowerContext } from './lower-context.js';
import { lowerPackages } from './lower-packages.js';
import { lowerStorage } from './lower-storage.js';

export interface LowerResult {
  ir: ImageIR;
  positions: PositionTable;
  diagnostics: Diagnostic[];
}

/** Commands that may be given many times; all others: the last one wins. */
const DATA_COMMANDS = new Set([
  'part',
  'partition',
  'logvol',
  'network',
  'repo',
  'user',
  'group',
  'sshkey',
  'raid',
  'volgroup',
  'btrfs',
  'module',
  'snapshot',
  'zfcp',
  'iscsi',
  'timesource',
  'fcoe',
  'driverdisk',
  'mount',
  'nvdimm',
  'zipl',
]);

const STORAGE_COMMANDS = new Set([
  'btrfs',
  'part',
  'partition',
  'logvol',
  'volgroup',
  'raid',
  'autopart',
  'clearpart',
  'zerombr',
]);
const LOWERED = new Set([
  'ostreesetup',
  'ostreecontainer',
  'url',
  'repo',
  'lang',
  'keyboard',
  'timezone',
  'timesource',
  'rootpw',
  'user',
  'group',
  'sshkey',
  'network',
  'firewall',
  'selinux',
  'services',
  'bootloader',
  'module',
  ...STORAGE_COMMANDS,
]);
const PAYLOADS = ['ostreesetup', 'ostreecontainer', 'bootc', 'liveimg'];

export function lowerDocument(doc: KsDocument, version: KsVersion): LowerResult {
  const cx = new LowerContext(version);
  const checked = checkCommands(doc, cx);
  const singles = new Map<string, CheckedCommand>();
  for (const c of checked) {
    if (DATA_COMMANDS.has(c.name)) continue;
    const earlier = singles.get(sharedName(c.name));
    singles.set(sharedName(c.name), earlier ? mergeRepeated(earlier, c) : c);
  }
  const kept = checked
    .map((c) => (DATA_COMMANDS.has(c.name) ? c : singles.get(sharedName(c.name))!))
    .filter((c, i, all) => DATA_COMMANDS.has(c.name) || all.lastIndexOf(c) === i);

  for (const c of kept) {
    if (!LOWERED.has(c.name)) {
      cx.ext.commands ??= [];
      cx.ext.commands.push({
        name: c.name,
        args: [...c.options.map(renderGiven), ...c.positionals.map((w) => w.value)],
      });
    }
  }
  const byName = (...names: string[]) => kept.filter((c) => names.includes(c.name));
  const single = (name: string) => singles.get(name);

  lowerRepositories(cx, byName('url', 'repo'));
  lowerSystem(cx, single, byName);
  lowerAccounts(cx, single, byName);
  lowerStorage(cx, byName(...STORAGE_COMMANDS));
  lowerOstreePayload(cx, single);
  for (const m of byName('module')) {
    const name = m.value('--name')!;
    const mod = { name, ...(m.value('--stream') ? { stream: m.value('--stream') } : {}) };
    cx.ir.packages.modules.push({ ...mod, state: m.has('--disable') ? 'disabled' : 'enabled' });
    cx.place(`/packages/modules/${cx.ir.packages.modules.length - 1}`, m.at);
  }

  const sections = doc.items.filter((i): i is KsSection => i.kind === 'section');
  const packageSections = sections.filter((s) => s.name === '%packages');
  if (packageSections.length > 0) {
    lowerPackages(cx, packageSections, checkHeader);
    const payload = kept.find((c) => PAYLOADS.includes(c.name));
    if (payload) {
      cx.diagnostics.push(
        diag(kickstartCodes.payloadConflict, { payload: payload.name }, packageSections[0]!.at),
      );
    }
  }
  for (const s of sections) {
    if (s.name === '%packages') continue;
    const header = checkHeader(cx, s);
    if (SCRIPT_PHASES[s.name]) lowerScript(cx, s, header);
    else {
      cx.ext.sections ??= [];
      cx.ext.sections.push({
        name: s.name,
        args: s.args.map((w) => w.value),
        body: s.body.map((l) => l.text).join('\n'),
      });
    }
  }
  if (Object.keys(cx.ext).length > 0) cx.ir.extensions[EXTENSION_KEY] = cx.ext;
  return { ir: cx.ir, positions: cx.positions, diagnostics: cx.diagnostics };
}

/**
 * ostreesetup deploys an OSTree commit, ostreecontainer a bootc container image: they ask for
 * an ostree-disk and a bootc-oci output (decision 0112); options the IR has no field for
 * (--nogpg, --transport, ...) are kept for the writer.
 */
function lowerOstreePayload(cx: LowerContext, single: (name: string) => CheckedCommand | undefined): void {
  const setup = single('ostreesetup');
  if (setup) {
    const ostree = {
      ...optional('ref', setup.value('--ref')),
      ...optional('url', setup.value('--url')),
      ...optional('remote', setup.value('--remote')),
      ...optional('osName', setup.value('--osname')),
    };
    cx.ir.outputs.push({ type: 'ostree-disk', ostree });
    const pointer = `/outputs/${cx.ir.outputs.length - 1}`;
    cx.place(pointer, setup.at);
    cx.keepOptions(pointer, setup.rest(['--ref', '--url', '--remote', '--osname']));
  }
  const container = single('ostreecontainer');
  if (container) {
    const ostree = {
      ...optional('url', container.value('--url')),
      ...optional('remote', container.value('--remote')),
      ...optional('osName', container.value('--stateroot')),
    };
    cx.ir.outputs.push({ type: 'bootc-oci', ostree });
    const pointer = `/outputs/${cx.ir.outputs.length - 1}`;
    cx.place(pointer, container.at);
    cx.keepOptions(pointer, container.rest(['--url', '--remote', '--stateroot']));
  }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** Names pykickstart handles with one command object: the last of them wins. */
const SHARED_COMMAND: Record<string, string> = lookupTable({
  halt: 'reboot',
  poweroff: 'reboot',
  shutdown: 'reboot',
  graphical: 'text',
  cmdline: 'text',
  authconfig: 'auth',
});

function sharedName(name: string): string {
  return SHARED_COMMAND[name] ?? name;
}

/**
 * A repeated single command updates the one command object pykickstart keeps: options that
 * take a value stay set unless given again; flags and positionals come from the last line.
 */
function mergeRepeated(earlier: CheckedCommand, later: CheckedCommand): CheckedCommand {
  const given = new Set(later.options.map((o) => o.name));
  const carried = earlier.options.filter((o) => o.value !== undefined && !given.has(o.name));
  return new CheckedCommand(
    later.name,
    later.at,
    later.spec,
    [...carried, ...later.options],
    later.positionals,
  );
}

function renderGiven(o: { name: string; value?: string }): string {
  return o.value === undefined ? o.name : `${o.name}=${o.value}`;
}

function checkCommands(doc: KsDocument, cx: LowerContext): CheckedCommand[] {
  const out: CheckedCommand[] = [];
  for (const item of doc.items) {
    if (item.kind !== 'command') continue;
    const c = checkCommand(cx, item);
    if (c) out.push(c);
  }
  return out;
}

function checkCommand(cx: LowerContext, item: KsCommand): CheckedCommand | undefined {
  const status = commandStatus(cx.version, item.name);
  const params = { name: item.name, version: cx.version };
  if (status.status !== 'ok') {
    const def =
      status.status === 'unknown'
        ? kickstartCodes.unknownCommand
        : status.status === 'removed'
          ? kickstartCodes.removedCommand
          : kickstartCodes.deprecatedCommand;
    cx.diagnostics.push(diag(def, params, item.at));
    return undefined;
  }
  const { args, problems } = parseArgsOnce(status.spec, item.args);
  const fatal = reportArgProblems(
    cx,
    item.name,
    item.at,
    problems,
    status.spec.options.map((o) => o.names[0]!),
  );
  if (fatal) return undefined;
  const checked = new CheckedCommand(
    item.name,
    item.at,
    status.spec,
    [...args.options],
    [...args.positionals],
  );
  const problem = semanticProblem(checked) ?? versionProblem(checked, cx.version);
  if (problem) {
    cx.diagnostics.push(problem);
    return undefined;
  }
  return checked;
}

/** The checks pykickstart makes inside a command's parse() beyond its options. */
function semanticProblem(c: CheckedCommand): Diagnostic | undefined {
  const command = c.name;
  switch (command) {
    case 'url': {
      const sources = ['--url', '--mirrorlist', '--metalink'].filter((o) => c.has(o));
      if (sources.length === 0)
        return diag(
          kickstartCodes.missingOption,
          { command, option: '--url, --mirrorlist or --metalink' },
          c.at,
        );
      if (sources.length > 1) {
        return diag(
          kickstartCodes.invalidValue,
          {
            command,
            option: sources[1]!,
            value: c.value(sources[1]!) ?? '',
            expected: `only one of ${sources.join(', ')}`,
          },
          c.locationOf(sources[1]!),
        );
      }
      return undefined;
    }
    case 'rootpw':
      if (c.positionals.length === 0 && !c.has('--lock'))
        return diag(kickstartCodes.missingOption, { command, option: 'a password (or --lock)' }, c.at);
      return undefined;
    case 'services':
      if (!c.has('--enabled') && !c.has('--disabled'))
        return diag(kickstartCodes.missingOption, { command, option: '--enabled or --disabled' }, c.at);
      return undefined;
    case 'volgroup':
      if (c.positionals.length < 2 && !c.has('--useexisting') && !c.has('--noformat'))
        return diag(kickstartCodes.volgroupWithoutMembers, { name: c.positionals[0]?.value ?? '' }, c.at);
      return undefined;
    case 'ostreesetup': {
      const url = c.value('--url') ?? '';
      if (!/^(file|http|https):/.test(url)) {
        return diag(
          kickstartCodes.invalidValue,
          { command, option: '--url', value: url, expected: 'a file:, http: or https: URL' },
          c.locationOf('--url'),
        );
      }
      return undefined;
    }
  }
  return undefined;
}

/** RHEL 8 and later reject btrfs in pykickstart's parse(); RHEL10's raid does not check it. */
// a Map, not an object literal: a command named `constructor` found Object's (fuzz, IMGC1009)
const BTRFS_REJECTED = new Map<string, readonly KsVersion[]>([
  ['autopart', ['RHEL8', 'RHEL9', 'RHEL10']],
  ['part', ['RHEL8', 'RHEL9', 'RHEL10']],
  ['partition', ['RHEL8', 'RHEL9', 'RHEL10']],
  ['logvol', ['RHEL8', 'RHEL9', 'RHEL10']],
  ['raid', ['RHEL8', 'RHEL9']],
]);

/** The checks that depend on the version beyond its option table. */
function versionProblem(c: CheckedCommand, version: KsVersion): Diagnostic | undefined {
  if (c.name === 'rootpw' && !isAtLeast(version, 'F18') && c.positionals.length === 0) {
    // --lock without a password is accepted only from F18 (and RHEL7) on
    return diag(kickstartCodes.missingOption, { command: c.name, option: 'a password' }, c.at);
  }
  if (c.name === 'logvol' && isAtLeast(version, 'F20') && !logvolSized(c)) {
    return diag(kickstartCodes.logvolWithoutSize, { name: c.value('--name') ?? '', version }, c.at);
  }
  if (!BTRFS_REJECTED.get(c.name)?.includes(version)) return undefined;
  const option = c.name === 'autopart' ? '--type' : '--fstype';
  const btrfs =
    c.value(option) === 'btrfs' || (c.name !== 'autopart' && c.positionals[0]?.value.startsWith('btrfs.'));
  if (!btrfs) return undefined;
  return diag(
    kickstartCodes.invalidValue,
    {
      command: c.name,
      option,
      value: 'btrfs',
      expected: `a file system kickstart ${version} supports (not btrfs)`,
    },
    c.has(option) ? c.locationOf(option) : c.at,
  );
}

/** pykickstart (F20 and later) needs one of these on a logvol; a zero size or percentage counts as none. */
function logvolSized(c: CheckedCommand): boolean {
  const positive = (option: string) => c.has(option) && Number(c.value(option)) !== 0;
  return (
    positive('--size') ||
    positive('--percent') ||
    ['--useexisting', '--noformat', '--recommended', '--hibernation'].some((o) => c.has(o))
  );
}

// A file without a release is lowered once per candidate version (about 45), and most versions
// share a command's option set: its words are split once per set.
const parsedBySpec = new WeakMap<readonly KsWord[], Map<CommandSpec, ReturnType<typeof parseArgs>>>();

function parseArgsOnce(spec: CommandSpec, words: readonly KsWord[]): ReturnType<typeof parseArgs> {
  let bySpec = parsedBySpec.get(words);
  if (!bySpec) {
    bySpec = new Map();
    parsedBySpec.set(words, bySpec);
  }
  let parsed = bySpec.get(spec);
  if (!parsed) {
    parsed = parseArgs(spec, words);
    bySpec.set(spec, parsed);
  }
  return parsed;
}

/** Problems listed per command line; the rest are counted (a line of 300,000 bad options made 300,000 diagnostics per version tried). */
export const MAX_PROBLEMS_PER_LINE = 20;

/** Reports problems; true when one of them is an error. */
function reportArgProblems(
  cx: LowerContext,
  command: string,
  at: KsLocation,
  problems: ArgProblem[],
  known: string[],
): boolean {
  let fatal = false;
  const rest = problems.slice(MAX_PROBLEMS_PER_LINE);
  const restErrors = rest.filter((p) => problemSeverity(cx, command, p) === 'error').length;
  if (restErrors > 0) fatal = true;
  for (const p of problems.slice(0, MAX_PROBLEMS_PER_LINE)) {
    const where = 'word' in p ? { ...at, column: p.word.column } : at;
    let d: Diagnostic;
    switch (p.kind) {
      case 'unknown-option':
      case 'ambiguous-option':
        d = diag(
          kickstartCodes.unknownOption,
          { command, option: p.option, version: cx.version, known: known.join(' ') || '(none)' },
          where,
        );
        break;
      case 'needs-value':
        d = diag(kickstartCodes.optionNeedsValue, { command, option: p.option }, where);
        break;
      case 'flag-with-value':
        d = diag(kickstartCodes.flagWithValue, { command, option: p.option }, where);
        break;
      case 'deprecated-option':
        d = diag(kickstartCodes.deprecatedOption, { command, option: p.option, version: cx.version }, where);
        break;
      case 'missing-required':
        d = diag(kickstartCodes.missingOption, { command, option: p.option }, where);
        break;
      case 'unexpected-argument':
        // argparse rejects extra words; only zerombr before F9 ignored them with a warning
        d = diag(
          kickstartCodes.unexpectedArgument,
          { command, argument: p.word.value },
          where,
          command === 'zerombr' && !isAtLeast(cx.version, 'F9') ? { severity: 'warning' } : undefined,
        );
        break;
    }
    if (d.severity === 'error') fatal = true;
    cx.diagnostics.push(d);
  }
  if (rest.length > 0) {
    cx.diagnostics.push(
      diag(
        coreCodes.problemsCapped,
        {
          what: `the words of ${command}`,
          shown: MAX_PROBLEMS_PER_LINE,
          more: rest.length,
          errors: restErrors,
        },
        at,
        { severity: restErrors > 0 ? 'error' : 'warning' },
      ),
    );
  }
  return fatal;
}

/** The severity reportArgProblems gives a problem, without building its message. */
function problemSeverity(cx: LowerContext, command: string, p: ArgProblem): 'error' | 'warning' {
  if (p.kind === 'deprecated-option') return kickstartCodes.deprecatedOption.severity;
  if (p.kind === 'unexpected-argument' && command === 'zerombr' && !isAtLeast(cx.version, 'F9'))
    return 'warning';
  return 'error';
}

/** Checks a section header's options; invalid ones are reported and left out. */
export function checkHeader(cx: LowerContext, s: KsSection): CheckedCommand {
  const spec = sectionSpec(cx.version, s.name) ?? {
    options: [],
    positionals: [{ name: 'options', nargs: '*' }],
  };
  // %traceback is deprecated since F34 (RHEL9 branched after it)
  if (s.name === '%traceback' && isAtLeast(cx.version, 'F34')) {
    cx.diagnostics.push(
      diag(kickstartCodes.deprecatedCommand, { name: s.name, version: cx.version }, s.at, {
        severity: 'warning',
        hint: 'use %onerror',
      }),
    );
  }
  const { args, problems } = parseArgsOnce(spec, s.args);
  reportArgProblems(
    cx,
    s.name,
    s.at,
    problems,
    spec.options.map((o) => o.names[0]!),
  );
  return new CheckedCommand(s.name, s.at, spec, [...args.options], [...args.positionals]);
}

const SCRIPT_PHASES: Record<string, { phase: Script['phase']; chroot: boolean }> = lookupTable({
  '%pre': { phase: 'pre-install', chroot: false },
  '%pre-install': { phase: 'pre-packages', chroot: false },
  '%post': { phase: 'post-install', chroot: true },
  '%onerror': { phase: 'on-error', chroot: false },
  '%traceback': { phase: 'traceback', chroot: false },
});

function lowerScript(cx: LowerContext, s: KsSection, header: CheckedCommand): void {
  const body = s.body.map((l) => l.text).join('\n');
  if (body.trim() === '') return;
  const kind = SCRIPT_PHASES[s.name]!;
  const script: Script = { phase: kind.phase, chroot: kind.chroot && !header.has('--nochroot') };
  const interpreter = header.value('--interpreter');
  if (interpreter !== undefined) script.interpreter = interpreter;
  // a KIWI script imgc wrote with its helpers inlined reads back as it was
  script.body = withoutInlinedEnv(body);
  if (header.has('--erroronfail')) script.onError = 'fail';
  const log = header.value('--log');
  if (log !== undefined) script.log = log;
  cx.ir.scripts.push(script);
  const ptr = `/scripts/${cx.ir.scripts.length - 1}`;
  cx.place(ptr, s.at);
  cx.keepOptions(ptr, header.rest(['--nochroot', '--interpreter', '--erroronfail', '--log']));
}

function lowerRepositories(cx: LowerContext, commands: CheckedCommand[]): void {
  const taken = new Set(commands.filter((c) => c.name === 'repo').map((c) => c.value('--name')!));
  const seen = new Set<string>();
  for (const c of commands) {
    let repo: Repository;
    let consumed: string[];
    if (c.name === 'url') {
      let id = 'url';
      for (let n = 2; taken.has(id); n++) id = `url-${n}`;
      repo = { id, urls: c.value('--url') !== undefined ? [c.value('--url')!] : [] };
      consumed = ['--url', '--mirrorlist', '--metalink', '--proxy', '--noverifyssl'];
      cx.ext.installSource = id;
    } else {
      repo = {
        id: c.value('--name')!,
        urls: c.value('--baseurl') !== undefined ? [c.value('--baseurl')!] : [],
      };
      consumed = ['--name', '--baseurl', '--mirrorlist', '--metalink', '--proxy', '--noverifyssl', '--cost'];
      consumed.push('--includepkgs', '--excludepkgs', '--install');
      if (seen.has(repo.id)) {
        cx.diagnostics.push(diag(kickstartCodes.duplicateDefinition, { what: `repo ${repo.id}` }, c.at));
      }
      seen.add(repo.id);
      const cost = cx.integer(c, '--cost');
      if (cost !== undefined) repo.cost = cost;
      if (c.has('--includepkgs')) repo.includePackages = c.list('--includepkgs');
      if (c.has('--excludepkgs')) repo.excludePackages = c.list('--excludepkgs');
      repo.usage = c.has('--install') ? 'build-and-image' : 'build-only';
    }
    const mirrorlist = c.value('--mirrorlist');
    if (mirrorlist !== undefined) repo.mirrorlist = mirrorlist;
    const metalink = c.value('--metalink');
    if (metalink !== undefined) repo.metalink = metalink;
    const proxy = c.value('--proxy');
    if (proxy !== undefined) repo.proxy = proxy;
    if (c.has('--noverifyssl')) repo.sslVerify = false;
    cx.ir.repositories.push(repo);
    const ptr = `/repositories/${cx.ir.repositories.length - 1}`;
    cx.place(ptr, c.at);
    cx.keepOptions(ptr, c.rest(consumed));
  }
}

type Single = (name: string) => CheckedCommand | undefined;
type ByName = (...names: string[]) => CheckedCommand[];

function lowerSystem(cx: LowerContext, single: Single, byName: ByName): void {
  const sys = cx.ir.system;
  const lang = single('lang');
  if (lang) {
    const locale = lang.positionals[0]?.value;
    if (locale !== undefined) sys.locale = locale;
    if (lang.has('--addsupport')) sys.extraLocales = lang.list('--addsupport');
    cx.place('/system/locale', lang.at);
    cx.keepOptions(OPTION_POINTERS.lang, lang.rest(['--addsupport']));
  }
  const keyboard = single('keyboard');
  if (keyboard) {
    // Anaconda takes the console keymap from --vckeymap when both forms are given
    const positional = keyboard.positionals[0]?.value;
    const vckeymap = keyboard.value('--vckeymap');
    const keymap = vckeymap ?? positional;
    if (keymap !== undefined) sys.keymap = keymap;
    cx.place('/system/keymap', keyboard.at);
    const rest = keyboard.rest(['--vckeymap']);
    if (vckeymap !== undefined) {
      cx.ref(OPTION_POINTERS.keyboard, '--vckeymap');
      if (positional !== undefined) rest.push(positional);
    }
    cx.keepOptions(OPTION_POINTERS.keyboard, rest);
  }
  const timezone = single('timezone');
  if (timezone) {
    const zone = timezone.positionals[0]?.value;
    if (zone !== undefined) sys.timezone = zone;
    if (timezone.has('--utc') || timezone.has('--isUtc')) sys.utc = true;
    if (timezone.has('--ntpservers')) sys.ntpServers = timezone.list('--ntpservers');
    if (timezone.has('--nontp')) cx.ext.ntpDisabled = true;
    cx.place('/system/timezone', timezone.at);
    cx.keepOptions(OPTION_POINTERS.timezone, timezone.rest(['--utc', '--isUtc', '--ntpservers', '--nontp']));
  }
  for (const t of byName('timesource')) {
    const others = t.rest(['--ntp-server', '--ntp-disable']);
    if (others.length > 0 || (t.has('--ntp-server') && t.has('--ntp-disable'))) {
      cx.ext.commands ??= [];
      cx.ext.commands.push({ name: 'timesource', args: t.options.map(renderGiven) });
      continue;
    }
    if (t.has('--ntp-disable')) cx.ext.ntpDisabled = true;
    const server = t.value('--ntp-server');
    if (server !== undefined) {
      const servers = appendToField(sys, 'ntpServers', [server]);
      cx.place(`/system/ntpServers/${servers.length - 1}`, t.at);
    }
  }
  for (const n of byName('network')) {
    const hostname = n.value('--hostname');
    if (hostname !== undefined) {
      sys.hostname = hostname;
      cx.place('/system/hostname', n.locationOf('--hostname'));
    }
    const rest = n.rest(['--hostname']);
    if (hostname === undefined || rest.length > 0) {
      cx.ext.commands ??= [];
      cx.ext.commands.push({ name: 'network', args: [...rest, ...n.positionals.map((w) => w.value)] });
    }
  }
  const selinux = single('selinux');
  if (selinux) {
    if (selinux.has('--enforcing')) sys.selinux = 'enforcing';
    if (selinux.has('--permissive')) sys.selinux = 'permissive';
    if (selinux.has('--disabled')) sys.selinux = 'disabled';
    cx.place('/system/selinux', selinux.at);
    cx.keepOptions(OPTION_POINTERS.selinux, selinux.rest(['--enforcing', '--permissive', '--disabled']));
  }
  const firewall = single('firewall');
  if (firewall) lowerFirewall(cx, firewall);
  const services = single('services');
  if (services) {
    sys.services.enable = services.list('--enabled');
    sys.services.disable = services.list('--disabled');
    cx.place('/system/services', services.at);
    cx.keepOptions(OPTION_POINTERS.services, services.rest(['--enabled', '--disabled']));
  }
  const bootloader = single('bootloader');
  if (bootloader) {
    const append = bootloader.value('--append');
    if (append !== undefined) {
      sys.kernel.cmdline = append.split(/\s+/).filter((a) => a !== '');
      cx.place('/system/kernel/cmdline', bootloader.locationOf('--append'));
    }
    const timeout = cx.integer(bootloader, '--timeout');
    cx.ir.boot = {};
    if (timeout !== undefined) cx.ir.boot.timeout = timeout;
    // grub2 unless another loader is chosen or installing one is switched off
    const off =
      bootloader.has('--disabled') ||
      bootloader.value('--location') === 'none' ||
      bootloader.has('--extlinux');
    if (bootloader.has('--sdboot')) cx.ir.boot.bootloader = 'systemd-boot';
    else if (!off) cx.ir.boot.bootloader = 'grub';
    cx.place('/boot', bootloader.at);
    cx.keepOptions(OPTION_POINTERS.bootloader, bootloader.rest(['--append', '--timeout', '--sdboot']), true);
  }
}

function lowerFirewall(cx: LowerContext, c: CheckedCommand): void {
  const fw: NonNullable<ImageIR['system']['firewall']> = {
    ports: [],
    services: { enable: [], disable: [] },
    zones: [],
  };
  if (c.has('--enabled')) fw.enabled = true;
  if (c.has('--disabled')) fw.enabled = false;
  for (const o of c.options) {
    if (o.name === '--service' && o.value !== undefined) appendAll(fw.services.enable, splitList(o.value));
    else if (['--ssh', '--http', '--ftp', '--smtp'].includes(o.name))
      fw.services.enable.push(o.name.slice(2));
    else if (o.name === '--remove-service' && o.value !== undefined)
      appendAll(fw.services.disable, splitList(o.value));
    else if (o.name === '--port' && o.value !== undefined)
      appendAll(
        fw.ports,
        splitList(o.value).map((p) => p.replace(':', '/')),
      );
    else if (o.name === '--trust' && o.value !== undefined) appendToField(fw, 'trust', splitList(o.value));
  }
  cx.ir.system.firewall = fw;
  cx.place('/system/firewall', c.at);
  const consumed = [
    '--enabled',
    '--disabled',
    '--service',
    '--ssh',
    '--http',
    '--ftp',
    '--smtp',
    '--remove-service',
  ];
  cx.keepOptions(OPTION_POINTERS.firewall, c.rest([...consumed, '--port', '--trust']));
}

function lowerAccounts(cx: LowerContext, single: Single, byName: ByName): void {
  const accounts = cx.ir.accounts;
  const rootpw = single('rootpw');
  if (rootpw) {
    const password = passwordOf(rootpw, rootpw.positionals[0]?.value);
    accounts.root = { sshKeys: [] };
    if (password) accounts.root.password = password;
    cx.place('/accounts/root', rootpw.at);
    cx.keepOptions(OPTION_POINTERS.root, rootpw.rest(['--iscrypted', '--plaintext', '--lock']));
  }
  for (const g of byName('group')) {
    const group: { name: string; gid?: number } = { name: g.value('--name')! };
    const gid = cx.integer(g, '--gid');
    if (gid !== undefined) group.gid = gid;
    accounts.groups.push(group);
    const ptr = `/accounts/groups/${accounts.groups.length - 1}`;
    cx.place(ptr, g.at);
    cx.keepOptions(ptr, g.rest(['--name', '--gid']));
  }
  const names = new Set<string>();
  for (const u of byName('user')) {
    const user: User = { name: u.value('--name')!, groups: u.list('--groups'), sshKeys: [] };
    if (names.has(user.name))
      cx.diagnostics.push(diag(kickstartCodes.duplicateDefinition, { what: `user ${user.name}` }, u.at));
    names.add(user.name);
    const uid = cx.integer(u, '--uid');
    if (uid !== undefined) user.uid = uid;
    const gid = cx.integer(u, '--gid');
    if (gid !== undefined) user.gid = gid;
    const gecos = u.value('--gecos');
    if (gecos !== undefined) user.description = gecos;
    const home = u.value('--homedir');
    if (home !== undefined) user.home = home;
    const shell = u.value('--shell');
    if (shell !== undefined) user.shell = shell;
    const password = passwordOf(u, u.value('--password'));
    if (password) user.password = password;
    accounts.users.push(user);
    const ptr = `/accounts/users/${accounts.users.length - 1}`;
    cx.place(ptr, u.at);
    const consumed = [
      '--name',
      '--groups',
      '--uid',
      '--gid',
      '--gecos',
      '--homedir',
      '--shell',
      '--password',
    ];
    cx.keepOptions(ptr, u.rest([...consumed, '--iscrypted', '--plaintext', '--lock']));
  }
  for (const k of byName('sshkey')) {
    const username = k.value('--username')!;
    const key = k.positionals.map((w) => w.value).join(' ');
    const user = accounts.users.find((u) => u.name === username);
    if (user) {
      user.sshKeys.push(key);
      cx.place(`/accounts/users/${accounts.users.indexOf(user)}/sshKeys/${user.sshKeys.length - 1}`, k.at);
    } else if (username === 'root') {
      accounts.root ??= { sshKeys: [] };
      accounts.root.sshKeys.push(key);
      cx.place(`/accounts/root/sshKeys/${accounts.root.sshKeys.length - 1}`, k.at);
    } else {
      cx.ext.commands ??= [];
      cx.ext.commands.push({ name: 'sshkey', args: [`--username=${username}`, key] });
    }
  }
}

function passwordOf(c: CheckedCommand, secret: string | undefined): Password | undefined {
  const password: Password = {};
  if (secret !== undefined) {
    if (c.has('--iscrypted')) password.hash = secret;
    else password.plain = secret;
  }
  if (c.has('--lock')) password.locked = true;
  return Object.keys(password).length > 0 ? password : undefined;
}
