/**
 * Resolves an mkosi configuration tree the way mkosi's `ParseContext` does: layered discovery
 * (mkosi.conf, mkosi.local.conf, conventional mkosi.* paths, mkosi.conf.d/ entries that may be
 * whole trees, Include=, mkosi.profiles/, mkosi.images/), [Match]/[TriggerMatch]/[Assert]
 * evaluated in mkosi's order against the values so far, `%` specifiers, `$VAR` in paths, and
 * the two namespaces (command line / local config over files) with lazily memoised defaults.
 *
 * The build host is an explicit input (`Host`) so results never depend on the machine imgc
 * runs on. Nothing is executed: executables that mkosi would run (mkosi.version, ...) are
 * reported and left unset.
 *
 * With `legacy: 'auto'` (default) the layouts and keys of mkosi v14 and older are read too
 * (mkosi.default, [Packages], [Partitions], Format=gpt_ext4, Architecture=x86_64, `!item`),
 * each with a warning. With `legacy: 'off'` the result is what current mkosi resolves.
 */

import { accessSync, constants, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, resolve as resolvePath } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { checkStats, InputRejected, readInputTextSync } from '../../../input/bounded.js';
import { lookupTable } from '../../../lib/lookup-table.js';
import { previewValue } from '../../shared/preview-value.js';
import { mkosiCodes } from '../codes.js';
import {
  COMPAT_NAMES,
  DEFAULT_FILESYSTEM,
  DEFAULT_RELEASE,
  ENUMS,
  isMainOnly,
  isUniversal,
  LEGACY_FORMATS,
  LEGACY_NAMES,
  LEGACY_SECTIONS,
  MATCH_ONLY_KEYS,
  SETTING_SECTIONS,
  SETTINGS,
  SETTINGS_BY_NAME,
  SETTINGS_BY_SPECIFIER,
  STRICT_ENUMS,
  UNAME_TO_MKOSI_ARCH,
} from '../settings.js';
import type { SettingSpec, SettingValue } from '../settings-spec.js';
import { type IniAssignment, type IniEvent, parseIni } from './ini.js';

export interface Host {
  distribution: string;
  release: string;
  /** mkosi spelling, e.g. x86-64 */
  architecture: string;
  systemdVersion: string;
}

/** The documented default host: results are reproducible whatever machine runs imgc. */
export const DEFAULT_HOST: Host = {
  distribution: 'debian',
  release: 'bookworm',
  architecture: 'x86-64',
  systemdVersion: '252',
};

export function parseHost(spec: string | undefined): Host | undefined {
  if (!spec) return { ...DEFAULT_HOST };
  const [distribution, release, architecture, systemdVersion] = spec.split(':');
  if (!distribution || !release) return undefined;
  const arch = architecture ? (UNAME_TO_MKOSI_ARCH[architecture] ?? architecture) : DEFAULT_HOST.architecture;
  if (!ENUMS.Architecture!.includes(arch)) return undefined;
  return {
    distribution,
    release,
    architecture: arch,
    systemdVersion: systemdVersion ?? DEFAULT_HOST.systemdVersion,
  };
}

export interface Pos {
  file: string;
  line: number;
  column: number;
}

export interface Entry {
  value: SettingValue;
  /** the assignment that last changed the value */
  at?: Pos;
  /** list items: where each came from */
  itemsAt?: (Pos | undefined)[];
}

export interface LegacyEntry {
  name: string;
  section: string;
  value: string;
  at: Pos;
}

export interface ResolvedImage {
  name: string;
  /** settings configured by the tree (files and local config), by setting name */
  configured: Map<string, Entry>;
  /** the final value of a setting, defaults included */
  get(name: string): SettingValue;
  /** legacy keys without a modern equivalent, in order */
  legacy: LegacyEntry[];
  /** files read, in order */
  files: string[];
  /** Include= of configurations built into mkosi, read or not */
  builtinIncludes: string[];
  /** Include= of configurations built into mkosi that could not be read (no resources) */
  unresolvedIncludes: string[];
}

export interface ResolveOptions {
  host?: Host;
  /** --profile: added to Profiles= as on mkosi's command line */
  profiles?: string[];
  legacy?: 'auto' | 'off';
  /** mkosi's resources folder (holds mkosi-initrd/, mkosi-vm/, ...) for Include=mkosi-* */
  resources?: string;
  /** environment for `$VAR` in paths; empty by default so results are reproducible */
  env?: Record<string, string>;
}

export interface ResolveResult {
  /** the folder given (-C) */
  directory: string;
  /** where the configuration was found: the folder itself or its mkosi/ subfolder */
  configDir: string;
  main: ResolvedImage;
  subImages: ResolvedImage[];
  /** profile names found under mkosi.profiles/ */
  declaredProfiles: string[];
  diagnostics: Diagnostic[];
  files: string[];
  /** why the tree counts as legacy, if it does */
  legacySignals: string[];
}

const BUILTIN_CONFIGS = ['mkosi-tools', 'mkosi-initrd', 'mkosi-vm', 'mkosi-addon', 'mkosi-obs'];

type Store = Map<string, Entry>;

class Context {
  cli: Store = new Map();
  config: Store = new Map();
  defaults = new Map<string, SettingValue>();
  includes = new Set<string>();
  files: string[] = [];
  legacy: LegacyEntry[] = [];
  builtinIncludes: string[] = [];
  unresolvedIncludes: string[] = [];
  image = 'main';
  /** folders and files being parsed right now (real paths), to stop symlink loops */
  private readonly active = new Set<string>();
  /** mkosi chdir()s while parsing; this is its current directory */
  cwd: string;

  constructor(
    readonly run: Run,
    readonly directory: string,
  ) {
    this.cwd = directory;
  }

  get diagnostics() {
    return this.run.diagnostics;
  }

  // ---- values -------------------------------------------------------------------------

  /**
   * The value as mkosi sees it now. A list is a copy: lists grow in place while files are
   * parsed, and a caller that loops over `Profiles` while a profile adds to it must not loop
   * forever (fuzz: a profile naming itself).
   */
  finalize(name: string): SettingValue {
    const value = this.finalizeShared(name);
    return Array.isArray(value) ? [...value] : value;
  }

  private finalizeShared(name: string): SettingValue {
    const s = SETTINGS_BY_NAME.get(name)!;
    const cli = this.cli.get(name);
    const cfg = this.config.get(name);
    if (cli && cli.value !== null) {
      if (!cfg || cfg.value === null) return cli.value;
      if (Array.isArray(cli.value) && Array.isArray(cfg.value)) return [...cfg.value, ...cli.value];
      if (isDict(cli.value) && isDict(cfg.value)) return { ...cfg.value, ...cli.value };
      return cli.value;
    }
    if (!this.cli.has(name) && cfg && cfg.value !== null) return cfg.value;
    if ((this.cli.has(name) || this.config.has(name)) && (s.kind === 'list' || s.kind === 'dict')) {
      return s.kind === 'list' ? [] : {};
    }
    if (this.defaults.has(name)) return this.defaults.get(name)!;
    const value = this.defaultOf(s);
    this.defaults.set(name, value);
    return value;
  }

  private defaultOf(s: SettingSpec): SettingValue {
    const host = this.run.host;
    switch (s.name) {
      case 'Distribution':
        return ENUMS.Distribution!.includes(host.distribution) ? host.distribution : 'custom';
      case 'Release': {
        const d = this.finalize('Distribution') as string;
        if (d === host.distribution && host.release) return host.release;
        return DEFAULT_RELEASE[d] ?? '';
      }
      case 'Architecture':
        return host.architecture;
      case 'Format':
        return 'disk';
      case 'Bootable':
        return 'auto';
      case 'Output': {
        let out =
          this.image !== 'main' ? this.image : ((this.finalize('ImageId') as string | null) ?? 'image');
        const version = this.finalize('ImageVersion');
        if (version) out += `_${version}`;
        return out;
      }
      case 'ToolsTreeDistribution':
        return ENUMS.Distribution!.includes(host.distribution) ? host.distribution : 'custom';
      case 'ToolsTreeRelease': {
        const d = this.finalize('ToolsTreeDistribution') as string;
        return d === host.distribution ? host.release : (DEFAULT_RELEASE[d] ?? '');
      }
      case 'BuildSources':
        return [];
      case 'CompressOutput': {
        const f = this.finalize('Format');
        if (f === 'tar' || f === 'cpio' || f === 'uki' || f === 'esp' || f === 'addon') return 'zstd';
        return f === 'oci' ? 'gz' : 'none';
      }
    }
    if (s.default !== undefined) return Array.isArray(s.default) ? [...s.default] : s.default;
    if (s.kind === 'list') return [];
    if (s.kind === 'dict') return {};
    if (s.kind === 'feature') return 'auto';
    if (s.kind === 'bool') return false;
    return null;
  }

  // ---- specifiers ---------------------------------------------------------------------

  expand(text: string, file: string, at: Pos): string {
    if (!text.includes('%')) return text;
    // each specifier is reported once per value, which is quoted short: a value of 70,000 `%g`
    // made 70,000 warnings each holding the whole value (1.1 GB; fuzz seed 9401, input 280897)
    const reported = new Set<string>();
    const once = (n: string) => {
      if (reported.has(n)) return false;
      reported.add(n);
      return true;
    };
    const quoted = previewValue(text);
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c !== '%') {
        out += c;
        continue;
      }
      const n = text[i + 1];
      i++;
      if (n === undefined) {
        out += '%';
        break;
      }
      if (n === '%') {
        out += '%';
        continue;
      }
      const setting = SETTINGS_BY_SPECIFIER.get(n);
      if (setting) {
        const v = this.finalize(setting.name);
        if (v === null || v === undefined) {
          if (once(n))
            this.diagnostics.push(
              diag(
                mkosiCodes.specifier,
                {
                  detail: `${setting.name} (specifier %${n} in ${quoted}) is not set yet; it expands to nothing`,
                },
                at,
              ),
            );
          continue;
        }
        out += String(v);
        continue;
      }
      switch (n) {
        case 'C':
          out += dirname(file);
          break;
        case 'P':
          out += this.cwd;
          break;
        case 'D':
          out += this.directory;
          break;
        case 'F':
          out += DEFAULT_FILESYSTEM[this.finalize('Distribution') as string] ?? 'ext4';
          break;
        case 'I':
          out += this.image;
          break;
        default:
          if (once(n))
            this.diagnostics.push(
              diag(mkosiCodes.specifier, { detail: `unknown specifier %${n} in ${quoted}; ignored` }, at),
            );
      }
    }
    return out;
  }

  // ---- matching -----------------------------------------------------------------------

  /** [Match]/[TriggerMatch] (or the Assert pair) of one file; a missing file matches. */
  matches(file: string, events: IniEvent[], asserts: boolean): boolean {
    const wanted = asserts ? ['Assert', 'TriggerAssert'] : ['Match', 'TriggerMatch'];
    let conditionTriggered: boolean | undefined;
    let matchTriggered: boolean | undefined;
    let skip = false;
    const fail = (detail: string, at: Pos) => {
      this.diagnostics.push(diag(mkosiCodes.assertFailed, { detail }, at));
      this.run.failed = true;
    };
    let lastAt: Pos = { file, line: 1, column: 1 };
    for (const ev of events) {
      if (ev.kind === 'end') {
        if (conditionTriggered === false) {
          if (ev.section === 'Assert') {
            fail('a trigger condition in [Assert] is not satisfied', { file, ...ev.at });
            return false;
          }
          if (ev.section === 'Match') return false;
        }
        if (ev.section === 'TriggerAssert' || ev.section === 'TriggerMatch') {
          matchTriggered = Boolean(matchTriggered) || conditionTriggered !== false;
        }
        conditionTriggered = undefined;
        skip = false;
        continue;
      }
      if (!wanted.includes(ev.section) || skip) continue;
      const at = { file, ...ev.valueAt };
      lastAt = at;
      let v = ev.value;
      const trigger = v.startsWith('|');
      if (trigger) v = v.slice(1);
      const negate = v.startsWith('!');
      if (negate) v = v.slice(1);
      v = this.expand(v, file, at);
      let result: boolean;
      const s = SETTINGS_BY_NAME.get(ev.key) ?? SETTINGS_BY_NAME.get(COMPAT_NAMES[ev.key] ?? '');
      if (s) {
        if (!s.match) {
          this.diagnostics.push(
            diag(mkosiCodes.matchKey, { name: ev.key, section: ev.section }, { file, ...ev.keyAt }),
          );
          this.run.failed = true;
          return false;
        }
        if (ev.key !== s.name) {
          this.diagnostics.push(
            diag(mkosiCodes.deprecatedName, { name: ev.key, modern: s.name }, { file, ...ev.keyAt }),
          );
        }
        const value = this.finalize(s.name);
        result = value === null ? false : this.matchSetting(s, v, value, at);
      } else if (MATCH_ONLY_KEYS.has(ev.key)) {
        result = this.matchSpecial(ev.key, v);
      } else {
        this.diagnostics.push(
          diag(mkosiCodes.matchKey, { name: ev.key, section: ev.section }, { file, ...ev.keyAt }),
        );
        this.run.failed = true;
        return false;
      }
      if (negate) result = !result;
      if (!trigger && !result) {
        if (ev.section.startsWith('Trigger')) {
          skip = true;
          conditionTriggered = false;
          continue;
        }
        if (asserts) {
          fail(`${ev.key}=${ev.value} in [Assert] is not satisfied`, at);
        }
        return false;
      }
      if (trigger) conditionTriggered = Boolean(conditionTriggered) || result;
    }
    if (matchTriggered === false && asserts) {
      fail('none of the [TriggerAssert] sections is satisfied', lastAt);
      return false;
    }
    return matchTriggered !== false;
  }

  private matchSetting(s: SettingSpec, pattern: string, value: SettingValue, at: Pos): boolean {
    switch (s.name) {
      case 'Architecture': {
        if (pattern === 'uefi')
          return ['x86', 'x86-64', 'arm', 'arm64', 'riscv32', 'riscv64', 'loongarch64'].includes(
            String(value),
          );
        return this.enumPattern(s, pattern, at) === value;
      }
      case 'Distribution':
      case 'ToolsTreeDistribution':
      case 'Format':
        return this.enumPattern(s, pattern, at) === value;
      case 'ImageId':
        return globMatch(pattern, String(value));
      case 'ImageVersion':
        return versionMatches(pattern, String(value));
      case 'Bootable':
        return featureOf(pattern) === value;
      case 'Environment': {
        const env = value as Record<string, string>;
        const eq = pattern.indexOf('=');
        return eq < 0 ? pattern in env : env[pattern.slice(0, eq)] === pattern.slice(eq + 1);
      }
      case 'BuildSources': {
        const want = pattern.replace(/^\/+/, '');
        return (value as string[]).some((t) => {
          const i = t.indexOf(':');
          return i >= 0 && t.slice(i + 1).replace(/^\/+/, '') === want;
        });
      }
    }
    if (Array.isArray(value)) return pattern === '' ? value.length === 0 : value.includes(pattern);
    return pattern === value;
  }

  private enumPattern(s: SettingSpec, pattern: string, at: Pos): string {
    const values = ENUMS[s.enum!] ?? [];
    const mapped =
      s.name === 'Architecture' && this.run.legacy ? (UNAME_TO_MKOSI_ARCH[pattern] ?? pattern) : pattern;
    if (!values.includes(mapped)) {
      this.diagnostics.push(
        diag(mkosiCodes.invalidValue, { name: s.name, value: pattern, expected: values.join(', ') }, at),
      );
      this.run.failed = true;
    }
    return mapped;
  }

  private matchSpecial(key: string, value: string): boolean {
    switch (key) {
      case 'PathExists':
        return value !== '' && existsSync(resolvePath(this.cwd, value));
      case 'SystemdVersion':
        return versionMatches(value, this.run.host.systemdVersion);
      case 'HostArchitecture':
        return (UNAME_TO_MKOSI_ARCH[value] ?? value) === this.run.host.architecture;
      case 'Image':
        return value === this.image;
    }
    return false;
  }

  // ---- parsing one file or folder -----------------------------------------------------

  prohibited(s: SettingSpec): boolean {
    return (isMainOnly(s) && this.image !== 'main') || (s.scope === 'universal' && this.image !== 'main');
  }

  /** parse_config_one: `path` is a folder (looks for mkosi.conf inside) or a file. */
  parseOne(path: string, parseProfiles = false, parseLocal = false): boolean {
    const isDir = isDirectory(path);
    // a symlink loop in mkosi.conf.d/ would make mkosi recurse until it fails; stop at the second visit
    const real = safeRealpath(path);
    if (this.active.has(real)) {
      this.diagnostics.push(
        diag(
          mkosiCodes.readFailed,
          { path, reason: 'it contains itself (symlink loop); skipped' },
          { file: path },
          { severity: 'warning' },
        ),
      );
      return false;
    }
    this.active.add(real);
    try {
      return this.parseOneInner(path, isDir, parseProfiles, parseLocal);
    } finally {
      this.active.delete(real);
    }
  }

  private parseOneInner(path: string, isDir: boolean, parseProfiles: boolean, parseLocal: boolean): boolean {
    let file = isDir ? join(path, 'mkosi.conf') : path;
    let legacyDefault = false;
    if (isDir && !existsSync(file) && this.run.legacy && existsSync(join(path, 'mkosi.default'))) {
      file = join(path, 'mkosi.default');
      legacyDefault = true;
    }
    const events = existsSync(file) && !isDirectory(file) ? this.run.events(file) : [];
    if (!this.matches(file, events, false)) return false;
    this.matches(file, events, true);
    if (this.run.failed) return false;

    if (isDir) {
      if (legacyDefault) {
        this.diagnostics.push(
          diag(mkosiCodes.legacyFile, { name: 'mkosi.default', modern: 'mkosi.conf' }, { file }),
        );
        this.run.legacySignals.add('mkosi.default');
      }
      if (parseLocal) this.parseLocal(path);
      this.parseConventionalPaths(path);
    }

    if (events.length > 0 || (existsSync(file) && !isDirectory(file))) {
      this.files.push(file);
      this.run.files.add(file);
      this.applyFile(file, events);
    }

    if (isDir) {
      const dropins = [join(path, 'mkosi.conf.d')];
      if (this.run.legacy && existsSync(join(path, 'mkosi.default.d'))) {
        dropins.push(join(path, 'mkosi.default.d'));
        this.diagnostics.push(
          diag(
            mkosiCodes.legacyFile,
            { name: 'mkosi.default.d/', modern: 'mkosi.conf.d/' },
            { file: join(path, 'mkosi.default.d') },
          ),
        );
        this.run.legacySignals.add('mkosi.default.d');
      }
      for (const dir of dropins) {
        if (!isDirectory(dir)) continue;
        for (const name of sortedEntries(dir)) {
          const p = join(dir, name);
          if (isDirectory(p)) {
            if (legacyDefault && ENUMS.Distribution!.includes(name) && this.finalize('Distribution') !== name)
              continue;
            const saved = this.cwd;
            this.cwd = p;
            this.parseOne(p);
            this.cwd = saved;
          } else if (name.endsWith('.conf')) this.parseOne(p);
        }
      }
    }

    if (parseProfiles) {
      for (const profile of (this.finalize('Profiles') as string[]) ?? []) {
        for (const candidate of [profile, `${profile}.conf`]) {
          const p = join(this.cwd, 'mkosi.profiles', candidate);
          if (!existsSync(p)) continue;
          if (isDirectory(p)) {
            const saved = this.cwd;
            this.cwd = p;
            this.parseOne(p);
            this.cwd = saved;
          } else this.parseOne(p);
        }
      }
    }
    return true;
  }

  private parseLocal(dir: string): void {
    const candidates: string[] = [];
    if (isDirectory(join(dir, 'mkosi.local'))) candidates.push(join(dir, 'mkosi.local'));
    if (isFile(join(dir, 'mkosi.local.conf'))) candidates.push(join(dir, 'mkosi.local.conf'));
    for (const p of candidates) {
      if (isDirectory(p)) {
        const saved = this.cwd;
        this.cwd = p;
        this.parseOne(p);
        this.cwd = saved;
      } else this.parseOne(p);
      // local configuration beats every file parsed later, but not the command line
      for (const s of SETTINGS) {
        if (!this.config.has(s.name)) continue;
        const entry = this.config.get(s.name)!;
        this.cli.set(s.name, { ...entry, value: this.finalize(s.name) });
        this.config.delete(s.name);
      }
    }
  }

  private parseConventionalPaths(dir: string): void {
    for (const s of SETTINGS) {
      if (this.prohibited(s)) continue;
      for (const suffix of s.paths ?? []) {
        const p = join(dir, suffix);
        if (!existsSync(p)) continue;
        const at = { file: p, line: 1, column: 1 };
        if (s.readText) {
          if (isExecutable(p) && isFile(p)) {
            this.diagnostics.push(diag(mkosiCodes.notRun, { name: s.name, path: p }, at));
            continue;
          }
          let text = '';
          try {
            text = readInputTextSync(p).replace(/\n+$/, '');
          } catch (e) {
            if (e instanceof InputRejected) this.diagnostics.push(e.diagnostic(at));
            continue;
          }
          this.assign(s, text, at, [at]);
        } else this.assign(s, suffix, at, [at], dir);
      }
      for (const pattern of s.recursive ?? []) {
        const [sub, glob] = [dirname(pattern), basename(pattern)];
        const folder = join(dir, `mkosi.${sub}`);
        if (!isDirectory(folder)) continue;
        for (const name of sortedEntries(folder)) {
          if (!globMatch(glob, name)) continue;
          const p = join(folder, name);
          const at = { file: p, line: 1, column: 1 };
          this.assign(s, p, at, [at], dir);
        }
      }
    }
  }

  private applyFile(file: string, events: IniEvent[]): void {
    for (const ev of events) {
      if (ev.kind !== 'assign') continue;
      this.applyAssignment(file, ev);
    }
  }

  private applyAssignment(file: string, ev: IniAssignment): void {
    const keyAt = { file, ...ev.keyAt };
    let section = ev.section;
    const legacySection = LEGACY_SECTIONS[section];
    if (!SETTING_SECTIONS.has(section)) {
      if (!(this.run.legacy && legacySection)) return;
      this.run.legacySignals.add(`[${section}]`);
      if (section === 'Partitions') {
        this.keepLegacy(
          ev,
          file,
          `[Partitions] ${ev.key}= has no modern key; mkosi v15+ uses mkosi.repart/*.conf`,
        );
        return;
      }
      section = legacySection;
    }
    let name = ev.key;
    if (name.startsWith('@')) {
      name = name.slice(1);
      this.diagnostics.push(diag(mkosiCodes.atPrefix, { name }, keyAt));
    }
    let s = SETTINGS_BY_NAME.get(name);
    if (!s && COMPAT_NAMES[name]) {
      s = SETTINGS_BY_NAME.get(COMPAT_NAMES[name]!);
      this.diagnostics.push(diag(mkosiCodes.deprecatedName, { name, modern: s!.name }, keyAt));
    }
    if (!s) {
      if (this.run.legacy && name in LEGACY_NAMES) {
        const modern = LEGACY_NAMES[name];
        this.run.legacySignals.add(name);
        if (!modern) {
          this.keepLegacy(ev, file, 'current mkosi has no equivalent');
          return;
        }
        this.diagnostics.push(diag(mkosiCodes.legacyName, { name, modern }, keyAt));
        s = SETTINGS_BY_NAME.get(modern)!;
        if (name === 'Password' && ev.value && this.hasLegacyHashedPassword(file)) {
          ev = { ...ev, value: `hashed:${ev.value}` };
        }
      } else {
        this.diagnostics.push(diag(mkosiCodes.unknownSetting, { name }, keyAt));
        return;
      }
    }
    if (this.prohibited(s)) {
      // configs written for other mkosi versions hit scope changes (Incremental was "inherit" in the docs)
      const tolerant = this.run.legacy;
      this.diagnostics.push(
        diag(
          mkosiCodes.settingProhibited,
          { name, image: this.image },
          keyAt,
          tolerant ? { severity: 'warning', hint: 'ignored here; current mkosi stops on it' } : undefined,
        ),
      );
      if (!tolerant) this.run.failed = true;
      return;
    }
    if (section !== s.section && !(section === 'Host' && s.section === 'Runtime') && !legacySection) {
      this.diagnostics.push(diag(mkosiCodes.wrongSection, { name, section, expected: s.section }, keyAt));
    }
    const valueAt = { file, ...ev.valueAt };
    const value = this.expand(ev.value, file, valueAt);
    const itemsAt = itemPositions(ev, s, file);
    this.assign(s, value, valueAt, itemsAt);
    this.parseNewIncludes();
  }

  private hasLegacyHashedPassword(file: string): boolean {
    return this.run
      .events(file)
      .some(
        (e) => e.kind === 'assign' && e.key === 'PasswordIsHashed' && /^(1|yes|true|on|y|t)$/i.test(e.value),
      );
  }

  private keepLegacy(ev: IniAssignment, file: string, detail: string): void {
    this.legacy.push({ name: ev.key, section: ev.section, value: ev.value, at: { file, ...ev.keyAt } });
    this.diagnostics.push(
      diag(mkosiCodes.legacyNoEquivalent, { name: ev.key, detail }, { file, ...ev.keyAt }),
    );
  }

  /** `s.parse(value, old)`: applies one assignment to the config namespace. */
  assign(s: SettingSpec, value: string, at: Pos, itemsAt: (Pos | undefined)[], base = this.cwd): void {
    const old = this.config.get(s.name);
    const next = parseValue(this, s, value, old, at, itemsAt, base);
    if (next === undefined) return;
    this.config.set(s.name, next);
  }

  // ---- includes -----------------------------------------------------------------------

  // How far each Include list has been followed: lists grow in place (parseList), so an
  // assignment only follows the entries added since. Following every entry again on each
  // assignment made 11,000 `Include=` lines quadratic in realpath calls (minutes).
  private includesFollowed = new WeakMap<readonly string[], number>();

  parseNewIncludes(): void {
    for (const list of [this.cli.get('Include')?.value, this.config.get('Include')?.value]) {
      if (!Array.isArray(list)) continue;
      for (let i = this.includesFollowed.get(list) ?? 0; i < list.length; i++) {
        this.includesFollowed.set(list, i + 1);
        this.followInclude(list[i]!);
      }
    }
  }

  private followInclude(p: string): void {
    const name = basename(p);
    const builtin = BUILTIN_CONFIGS.includes(name) && !existsSync(p);
    let path = p;
    if (builtin) {
      if (!this.run.resources) {
        if (!this.includes.has(`builtin:${name}`)) {
          this.includes.add(`builtin:${name}`);
          this.builtinIncludes.push(name);
          this.unresolvedIncludes.push(name);
          const at = this.config.get('Include')?.at;
          this.diagnostics.push(diag(mkosiCodes.builtinInclude, { name }, at));
        }
        return;
      }
      path = join(this.run.resources, name);
    }
    let key: string;
    try {
      key = realpathSync(path);
    } catch {
      if (!this.includes.has(`missing:${path}`)) {
        this.includes.add(`missing:${path}`);
        this.diagnostics.push(diag(mkosiCodes.includeMissing, { path }, this.config.get('Include')?.at));
      }
      return;
    }
    if (this.includes.has(key)) return;
    this.includes.add(key);
    if (builtin) this.builtinIncludes.push(name);
    const refused = isDirectory(path) ? undefined : refusal(path);
    if (refused) {
      this.diagnostics.push(refused.diagnostic(this.config.get('Include')?.at));
      return;
    }
    if (isDirectory(path)) {
      const saved = this.cwd;
      this.cwd = path;
      this.parseOne(path, true);
      this.cwd = saved;
    } else this.parseOne(path);
  }

  snapshot(): ResolvedImage {
    const configured = new Map<string, Entry>();
    for (const s of SETTINGS) {
      const cli = this.cli.get(s.name);
      const cfg = this.config.get(s.name);
      if (!cli && !cfg) continue;
      const value = this.finalize(s.name);
      const itemsAt = [...(cfg?.itemsAt ?? []), ...(cli?.itemsAt ?? [])];
      configured.set(s.name, { value, at: cli?.at ?? cfg?.at, itemsAt });
    }
    const finals = new Map<string, SettingValue>();
    const self = this;
    return {
      name: this.image,
      configured,
      get(name: string) {
        if (!finals.has(name)) finals.set(name, self.finalize(name));
        return finals.get(name)!;
      },
      legacy: [...this.legacy],
      files: [...this.files],
      builtinIncludes: [...this.builtinIncludes],
      unresolvedIncludes: [...this.unresolvedIncludes],
    };
  }
}

/** One resolution: shared state for the main image and its sub-images. */
class Run {
  diagnostics: Diagnostic[] = [];
  files = new Set<string>();
  legacySignals = new Set<string>();
  failed = false;
  private cache = new Map<string, IniEvent[]>();

  constructor(
    readonly host: Host,
    readonly legacy: boolean,
    readonly resources: string | undefined,
    readonly env: Record<string, string>,
  ) {}

  events(file: string): IniEvent[] {
    const cached = this.cache.get(file);
    if (cached) return cached;
    let text: string;
    try {
      text = readInputTextSync(file);
    } catch (e) {
      this.diagnostics.push(
        e instanceof InputRejected
          ? e.diagnostic({ file })
          : diag(mkosiCodes.readFailed, { path: file, reason: (e as Error).message }, { file }),
      );
      this.failed = true;
      this.cache.set(file, []);
      return [];
    }
    const parsed = parseIni(text);
    for (const err of parsed.errors) {
      this.diagnostics.push(
        diag(mkosiCodes.iniSyntax, { detail: err.message, expected: err.expected }, { file, ...err.at }),
      );
      this.failed = true;
    }
    this.cache.set(file, parsed.events);
    return parsed.events;
  }
}

export function finalizeConfigDir(directory: string): string {
  if (
    !existsSync(join(directory, 'mkosi.conf')) &&
    !existsSync(join(directory, 'mkosi.tools.conf')) &&
    (isFile(join(directory, 'mkosi', 'mkosi.conf')) ||
      existsSync(join(directory, 'mkosi', 'mkosi.tools.conf')))
  ) {
    return join(directory, 'mkosi');
  }
  return directory;
}

export function resolveTree(input: string, options: ResolveOptions = {}): ResolveResult {
  const host = options.host ?? DEFAULT_HOST;
  const run = new Run(host, (options.legacy ?? 'auto') !== 'off', options.resources, options.env ?? {});
  const absolute = resolvePath(input);
  const singleFile = !isDirectory(absolute);
  const directory = singleFile ? dirname(absolute) : absolute;
  const configDir = singleFile ? directory : finalizeConfigDir(directory);
  const ctx = new Context(run, directory);
  ctx.cwd = configDir;
  if (options.profiles?.length) {
    const at = { file: '<command line>', line: 1, column: 1 };
    ctx.cli.set('Profiles', { value: [...options.profiles], at, itemsAt: options.profiles.map(() => at) });
  }
  if (singleFile) {
    ctx.parseOne(absolute, false, false);
  } else {
    const hasConfig =
      existsSync(join(configDir, 'mkosi.conf')) ||
      isDirectory(join(configDir, 'mkosi.conf.d')) ||
      (run.legacy && existsSync(join(configDir, 'mkosi.default')));
    if (!hasConfig) run.diagnostics.push(diag(mkosiCodes.noConfig, { path: input }, { file: input }));
    ctx.parseOne(configDir, true, true);
  }
  const main = ctx.snapshot();

  const declaredProfiles = isDirectory(join(configDir, 'mkosi.profiles'))
    ? sortedEntries(join(configDir, 'mkosi.profiles'))
        .filter((n) => isDirectory(join(configDir, 'mkosi.profiles', n)) || n.endsWith('.conf'))
        .map((n) => n.replace(/\.conf$/, ''))
    : [];

  const subImages: ResolvedImage[] = [];
  let imagesDir = join(configDir, 'mkosi.images');
  if (!isDirectory(imagesDir) && run.legacy && isDirectory(join(configDir, 'mkosi.presets'))) {
    imagesDir = join(configDir, 'mkosi.presets');
    run.legacySignals.add('mkosi.presets');
    run.diagnostics.push(
      diag(mkosiCodes.legacyFile, { name: 'mkosi.presets/', modern: 'mkosi.images/' }, { file: imagesDir }),
    );
  }
  if (!singleFile && isDirectory(imagesDir) && !run.failed) {
    const cli: Store = new Map();
    for (const s of SETTINGS) {
      if (isUniversal(s)) cli.set(s.name, { value: main.get(s.name), at: main.configured.get(s.name)?.at });
    }
    for (const name of sortedEntries(imagesDir)) {
      const p = join(imagesDir, name);
      const dir = isDirectory(p);
      if (!dir && !name.endsWith('.conf')) continue;
      const image = name.replace(/\.conf$/, '');
      const sub = new Context(run, directory);
      sub.image = image;
      sub.cli = new Map(cli);
      for (const s of SETTINGS) {
        if (s.scope === 'inherit' && main.configured.has(s.name))
          sub.config.set(s.name, { ...main.configured.get(s.name)! });
      }
      const env = main.get('Environment') as Record<string, string>;
      const pass = (main.get('PassEnvironment') as string[]) ?? [];
      const passed = Object.fromEntries(pass.filter((k) => k in env).map((k) => [k, env[k]!]));
      sub.config.set('Environment', { value: passed });
      sub.cwd = dir ? p : configDir;
      if (!sub.parseOne(p, dir, true)) continue;
      subImages.push(sub.snapshot());
    }
  }

  return {
    directory,
    configDir,
    main,
    subImages,
    declaredProfiles,
    diagnostics: noteLegacyDialect(run.diagnostics, [...run.legacySignals]),
    files: [...run.files],
    legacySignals: [...run.legacySignals],
  };
}

const LEGACY_CODES = new Set([
  mkosiCodes.legacyName.code,
  mkosiCodes.legacyNoEquivalent.code,
  mkosiCodes.legacyFile.code,
]);

/**
 * A tree read as mkosi v14 or older: one note says so and why, and settings outside their
 * modern section are notes, not warnings — mkosi up to v14 read every key in any section.
 */
function noteLegacyDialect(diagnostics: Diagnostic[], signals: string[]): Diagnostic[] {
  if (signals.length === 0) return diagnostics;
  const out = diagnostics.map((d) =>
    d.code === mkosiCodes.wrongSection.code
      ? {
          ...d,
          severity: 'info' as const,
          message: `${d.message} (mkosi v14 and older read every setting in any section)`,
        }
      : d,
  );
  const first = diagnostics.find((d) => LEGACY_CODES.has(d.code));
  const at = first ? { file: first.file, line: first.line, column: first.column } : {};
  out.unshift(diag(mkosiCodes.legacyDialect, { signals: signals.join(', ') }, at));
  return out;
}

// ---- value parsing ----------------------------------------------------------------------

function parseValue(
  ctx: Context,
  s: SettingSpec,
  value: string,
  old: Entry | undefined,
  at: Pos,
  itemsAt: (Pos | undefined)[],
  base: string,
): Entry | undefined {
  const d = ctx.diagnostics;
  switch (s.kind) {
    case 'list':
      return parseList(ctx, s, value, old, at, itemsAt, base);
    case 'dict': {
      if (value === '') return { value: null, at };
      const next: Record<string, string> = { ...((old?.value as Record<string, string> | null) ?? {}) };
      for (const item of value.split(/[ \n]+/).filter(Boolean)) {
        const eq = item.indexOf('=');
        if (eq < 0) next[item] = ctx.run.env[item] ?? '';
        else next[item.slice(0, eq)] = item.slice(eq + 1);
      }
      return { value: next, at };
    }
    case 'bool': {
      if (value === '') return { value: null, at };
      const b = parseBoolean(value);
      if (b === undefined) {
        d.push(
          diag(
            mkosiCodes.invalidValue,
            { name: s.name, value, expected: 'a boolean (yes/no, true/false, 1/0, on/off)' },
            at,
          ),
        );
        ctx.run.failed = true;
        return undefined;
      }
      return { value: b, at };
    }
    case 'feature': {
      if (value === '') return { value: null, at };
      const f = featureOf(value);
      if (f === undefined) {
        d.push(
          diag(
            mkosiCodes.invalidValue,
            { name: s.name, value, expected: 'auto, enabled, disabled or a boolean' },
            at,
          ),
        );
        ctx.run.failed = true;
        return undefined;
      }
      return { value: f, at };
    }
    case 'enum':
    case 'enumBool': {
      if (value === '') return { value: null, at };
      return { value: parseEnum(ctx, s, value, at), at };
    }
    case 'path': {
      if (value === '') return { value: null, at };
      return { value: parsePathValue(ctx, s, value, base, at, false), at };
    }
    default:
      if (value === '') return { value: null, at };
      if (s.name === 'CompressOutput') return { value: parseCompression(value), at };
      return { value, at };
  }
}

function parseEnum(ctx: Context, s: SettingSpec, value: string, at: Pos): string {
  const values = ENUMS[s.enum!] ?? [];
  if (values.includes(value)) return value;
  if (ctx.run.legacy) {
    if (s.name === 'Format' && LEGACY_FORMATS[value]) {
      const legacy = LEGACY_FORMATS[value]!;
      ctx.run.legacySignals.add(`Format=${value}`);
      ctx.diagnostics.push(
        diag(mkosiCodes.legacyName, { name: `Format=${value}`, modern: `Format=${legacy.format}` }, at),
      );
      if (legacy.filesystem)
        ctx.legacy.push({ name: 'RootFilesystem', section: 'Output', value: legacy.filesystem, at });
      return legacy.format;
    }
    if (s.name === 'Architecture' && UNAME_TO_MKOSI_ARCH[value]) {
      const modern = UNAME_TO_MKOSI_ARCH[value]!;
      ctx.run.legacySignals.add(`Architecture=${value}`);
      ctx.diagnostics.push(
        diag(mkosiCodes.legacyName, { name: `Architecture=${value}`, modern: `Architecture=${modern}` }, at),
      );
      return modern;
    }
    if (s.name === 'Distribution' && /^(centos|alma|rocky)_epel$/.test(value)) {
      const modern = value.replace('_epel', '');
      ctx.run.legacySignals.add(`Distribution=${value}`);
      ctx.diagnostics.push(
        diag(
          mkosiCodes.legacyName,
          { name: `Distribution=${value}`, modern: `Distribution=${modern} and Repositories=epel` },
          at,
        ),
      );
      const repos = ctx.config.get('Repositories');
      ctx.config.set('Repositories', {
        value: [...((repos?.value as string[]) ?? []), 'epel'],
        at,
        itemsAt: [...(repos?.itemsAt ?? []), at],
      });
      return modern;
    }
  }
  if (s.kind === 'enumBool') {
    const b = parseBoolean(value);
    if (b !== undefined) return enumFromBool(s.enum!, b);
  }
  if (s.enum && STRICT_ENUMS.has(s.enum)) {
    ctx.diagnostics.push(
      diag(mkosiCodes.invalidValue, { name: s.name, value, expected: values.join(', ') }, at),
    );
    ctx.run.failed = true;
  } else {
    ctx.diagnostics.push(
      diag(mkosiCodes.unknownEnumValue, { name: s.name, value, expected: values.join(', ') }, at),
    );
  }
  return value;
}

const COMPRESSIONS: Record<string, string> = lookupTable({
  none: 'none',
  zstd: 'zstd',
  zst: 'zstd',
  xz: 'xz',
  bz2: 'bz2',
  gz: 'gz',
  gzip: 'gz',
  lz4: 'lz4',
  lzma: 'lzma',
});

/** config_parse_compression: a compression name (aliases folded) or a boolean (yes = zstd) */
function parseCompression(value: string): string {
  const named = COMPRESSIONS[value];
  if (named) return named;
  const b = parseBoolean(value);
  return b === undefined ? value : b ? 'zstd' : 'none';
}

function enumFromBool(type: string, b: boolean): string {
  switch (type) {
    case 'Incremental':
    case 'BuildSourcesEphemeral':
      return b ? 'yes' : 'no';
    case 'Ssh':
      return b ? 'always' : 'never';
    case 'Verity':
      return b ? 'signed' : 'disabled';
    case 'UnifiedKernelImage':
      return b ? 'signed' : 'none';
    case 'Cacheonly':
      return b ? 'always' : 'auto';
  }
  return b ? 'yes' : 'no';
}

// Entries that parseList made and only the config store holds: the next assignment to the same
// setting appends to them in place. Copying the list per assignment made a setting repeated on
// 20,000 lines quadratic (a 330 KB mkosi.conf took 28 s). An entry copied into another image
// (`{ ...entry }`) is a new object, so it is copied before its first change.
const ownedLists = new WeakSet<Entry>();

function parseList(
  ctx: Context,
  s: SettingSpec,
  value: string,
  old: Entry | undefined,
  at: Pos,
  itemsAt: (Pos | undefined)[],
  base: string,
): Entry | undefined {
  const items = splitList(s, value);
  if (s.reset !== false && items.length === 0) return { value: [], at, itemsAt: [] };
  const entry = ownedList(s, old);
  let next = entry.value as string[];
  let nextAt = entry.itemsAt!;
  items.forEach((item, i) => {
    const itemAt = itemsAt[i] ?? at;
    if (ctx.run.legacy && item.startsWith('!') && s.value === undefined) {
      const target = item.slice(1);
      ctx.run.legacySignals.add('!item');
      ctx.diagnostics.push(diag(mkosiCodes.legacyListRemoval, { name: s.name, item: target }, itemAt));
      if (target === '*') {
        next = [];
        nextAt = [];
      } else {
        const keep = next.map((v) => v !== target);
        next = next.filter((_, k) => keep[k]);
        nextAt = nextAt.filter((_, k) => keep[k]);
      }
      return;
    }
    const values = s.value ? expandPathItem(ctx, s, item, base, itemAt) : [item];
    for (const v of values) {
      // the list stays sorted: each value goes after the last one that sorts equal to it
      const k = s.sortPackages ? upperBound(next, v) : next.length;
      next.splice(k, 0, v);
      nextAt.splice(k, 0, itemAt);
    }
  });
  entry.value = next;
  entry.itemsAt = nextAt;
  entry.at = at;
  return entry;
}

/** `old` itself when parseList made it, else a copy (sorted, for a package list) that parseList owns from now on. */
function ownedList(s: SettingSpec, old: Entry | undefined): Entry {
  if (old && ownedLists.has(old)) return old;
  const value = [...((old?.value as string[] | null) ?? [])];
  const itemsAt = [...(old?.itemsAt ?? value.map(() => undefined))];
  const entry: Entry = { value, itemsAt };
  if (s.sortPackages) {
    const order = value.map((v, i) => [v, itemsAt[i]] as const).sort((a, b) => comparePackages(a[0], b[0]));
    entry.value = order.map((o) => o[0]);
    entry.itemsAt = order.map((o) => o[1]);
  }
  ownedLists.add(entry);
  return entry;
}

function upperBound(sorted: readonly string[], v: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (comparePackages(sorted[mid]!, v) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function comparePackages(a: string, b: string): number {
  const rank = (p: string) => (p.startsWith('(') ? 2 : p.startsWith('/') ? 1 : 0);
  const r = rank(a) - rank(b);
  if (r !== 0) return r;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function splitList(s: SettingSpec, value: string): string[] {
  if (s.delimiter === 'space') return value.split(/[ \n]/).filter(Boolean);
  return value.replaceAll(',', ' ').split(/\s+/).filter(Boolean);
}

function expandPathItem(ctx: Context, s: SettingSpec, item: string, base: string, at: Pos): string[] {
  if (s.value === 'tree') {
    const colon = item.indexOf(':');
    const src = colon >= 0 ? item.slice(0, colon) : item;
    const dst = colon >= 0 ? item.slice(colon + 1) : '';
    const path = parsePathValue(ctx, s, src, base, at, false);
    return [dst ? `${path}:${dst}` : path];
  }
  if (s.globs) {
    const expanded = expandVars(item, ctx.run.env);
    const pattern = isAbsolute(expanded) ? expanded : join(base, expanded);
    return globPaths(pattern);
  }
  if (s.name === 'Include' && BUILTIN_CONFIGS.includes(item)) return [join(base, item)];
  return [parsePathValue(ctx, s, item, base, at, s.name === 'Include')];
}

function parsePathValue(
  ctx: Context,
  s: SettingSpec,
  value: string,
  base: string,
  at: Pos,
  quiet: boolean,
): string {
  const constants = ['default', 'yes', 'no', 'auto', 'none'];
  if (
    constants.includes(value) &&
    ['ToolsTree', 'Initrds', 'SecureBootKey', 'VerityKey', 'SignExpectedPcrKey'].includes(s.name)
  )
    return value;
  if (/^(engine|provider):/.test(value) || s.name.endsWith('Source')) return value;
  let v = expandVars(value, ctx.run.env);
  if (v.startsWith('~')) v = v.replace(/^~/, ctx.run.env.HOME ?? '~');
  const abs = normalize(isAbsolute(v) ? v : join(base, v));
  if (
    !quiet &&
    !existsSync(abs) &&
    ![
      'Output',
      'OutputDirectory',
      'CacheDirectory',
      'BuildDirectory',
      'PackageCacheDirectory',
      'WorkspaceDirectory',
      'ForwardJournal',
      'ToolsTree',
    ].includes(s.name)
  ) {
    ctx.diagnostics.push(diag(mkosiCodes.pathMissing, { name: s.name, path: value }, at));
  }
  return abs;
}

/** os.path.expandvars: `$NAME` and `${NAME}`; unknown variables stay as written. */
export function expandVars(text: string, env: Record<string, string>): string {
  return text.replace(/\$(\w+|\{[^}]*\})/g, (m, name: string) => {
    const key = name.startsWith('{') ? name.slice(1, -1) : name;
    return key in env ? env[key]! : m;
  });
}

function globPaths(pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) return existsSync(pattern) ? [pattern] : [];
  const dir = dirname(pattern);
  const glob = basename(pattern);
  if (/[*?[]/.test(dir) || !isDirectory(dir)) return [];
  return sortedEntries(dir)
    .filter((n) => !n.startsWith('.') && globMatch(glob, n))
    .map((n) => join(dir, n));
}

/** fnmatch-style match of one path component: `*`, `?`, `[...]`. */
export function globMatch(pattern: string, text: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let cls = pattern.slice(i + 1, end);
        if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
        re += `[${cls.replaceAll('\\', '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 's').test(text);
}

export function parseBoolean(s: string): boolean | undefined {
  const v = s.toLowerCase();
  if (['1', 'true', 'yes', 'y', 't', 'on', 'always'].includes(v)) return true;
  if (['0', 'false', 'no', 'n', 'f', 'off', 'never'].includes(v)) return false;
  return undefined;
}

export function featureOf(s: string): string | undefined {
  if (s === 'auto' || s === 'enabled' || s === 'disabled') return s;
  const b = parseBoolean(s);
  return b === undefined ? undefined : b ? 'enabled' : 'disabled';
}

/** UAPI version comparison with an optional `==,!=,<=,>=,<,>` prefix (default `==`). */
export function versionMatches(pattern: string, value: string): boolean {
  for (const op of ['==', '!=', '<=', '>=', '>', '<']) {
    if (pattern.startsWith(op)) {
      const c = compareVersions(value, pattern.slice(op.length));
      return { '==': c === 0, '!=': c !== 0, '<=': c <= 0, '>=': c >= 0, '>': c > 0, '<': c < 0 }[op]!;
    }
  }
  return compareVersions(value, pattern) === 0;
}

export function compareVersions(a: string, b: string): number {
  const tokens = (v: string) => v.match(/\d+|[a-zA-Z]+|[~^]/g) ?? [];
  const x = tokens(a);
  const y = tokens(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined) return q === '~' ? 1 : -1;
    if (q === undefined) return p === '~' ? -1 : 1;
    if (p === q) continue;
    if (p === '~') return -1;
    if (q === '~') return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) - Number(q) || 0;
    if (pn !== qn) return pn ? 1 : -1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/** Where each list item sits in the file, computed from the raw (unexpanded) value lines. */
function itemPositions(ev: IniAssignment, s: SettingSpec, file: string): (Pos | undefined)[] {
  if (s.kind !== 'list') return [];
  const out: Pos[] = [];
  ev.value.split('\n').forEach((line, i) => {
    const start = ev.lineStarts[i];
    if (!start) return;
    const re = s.delimiter === 'space' ? /[^ ]+/g : /[^\s,]+/g;
    for (const m of line.matchAll(re)) out.push({ file, line: start.line, column: start.column + m.index! });
  });
  return out;
}

function isDict(v: unknown): v is Record<string, string> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Python's sorted(iterdir()): by name, code point order. */
export function sortedEntries(dir: string): string[] {
  try {
    return readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch {
    return [];
  }
}

/** Why a file named by Include= may not be read (a FIFO, a device, too large), if it may not. */
function refusal(path: string): InputRejected | undefined {
  try {
    checkStats(path, statSync(path));
    return undefined;
  } catch (e) {
    if (e instanceof InputRejected) return e;
    return undefined;
  }
}
