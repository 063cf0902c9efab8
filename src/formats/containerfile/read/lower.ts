/**
 * Containerfile instructions → IR. The final build stage (with the stages it builds on) is
 * the image: FROM gives the distribution, RUN lines with package-manager installs/removes,
 * `systemctl enable|disable|mask`, `firewall-offline-cmd`, `ln -s`, `mkdir`/`install -d`,
 * `echo … > file` and `cat > file <<EOF` become IR fields; COPY becomes files, overlays,
 * repositories or kernel arguments (kargs.d); everything else stays a build script (reported).
 */

import { posix } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll, appendToField } from '../../../input/append.js';
import { emptyIr } from '../../../ir/empty.js';
import { withoutInlinedEnv } from '../../../ir/kiwi-script-env/index.js';
import { pointer } from '../../../ir/pointer.js';
import type { PositionTable, SourcePosition } from '../../../ir/positions.js';
import type { FileEntry, ImageIR, Repository, Script } from '../../../ir/schema.js';
import { lookupTable } from '../../../lib/lookup-table.js';
import {
  archOfPlatform,
  baseImageFor,
  derivedDistributionOf,
  distributionOf,
  isBootcBase,
} from '../../shared/base-images.js';
import { containerfileCodes } from '../codes.js';
import { hasControlFlow, type Segment, splitCommands, type Token, tokenize, type Word } from '../shell.js';
import { type ContainerfileExtension, type PackageFamily, packageFamily } from '../vocabulary.js';
import { parseKargs } from './bib-config.js';
import type { ContainerfileAst, Instruction } from './parse.js';
import { positionInArgs } from './parse.js';
import { parseDeb822Sources, parseDnfRepoFile } from './repo-files.js';

export interface BuildContext {
  /** text of a file in the build context (relative path), or undefined when absent or a folder */
  readText(rel: string): string | undefined;
  isDirectory(rel: string): boolean;
}

export interface Lowered {
  ir: ImageIR;
  positions: PositionTable;
  diagnostics: Diagnostic[];
  ext: ContainerfileExtension;
  /** context files that were read (repo files, kargs.d) */
  read: string[];
}

const METADATA_LABELS: Record<string, 'name' | 'description' | 'version' | 'author' | 'license'> =
  lookupTable({
    'org.opencontainers.image.title': 'name',
    'org.opencontainers.image.description': 'description',
    'org.opencontainers.image.version': 'version',
    'org.opencontainers.image.authors': 'author',
    'org.opencontainers.image.licenses': 'license',
  });

interface Stage {
  from: Instruction;
  image: string;
  name?: string;
  body: Instruction[];
}

export function lowerContainerfile(ast: ContainerfileAst, file: string, context: BuildContext): Lowered {
  return new Lowerer(file, context).run(ast);
}

class Lowerer {
  readonly ir = emptyIr();
  readonly positions: PositionTable = {};
  readonly diagnostics: Diagnostic[] = [];
  readonly ext: ContainerfileExtension = {};
  readonly read: string[] = [];
  private vars = new Map<string, string>();
  private sawInstall = false;
  private scriptBeforeInstall: boolean[] = [];
  private fipsFromPolicy = false;
  private packageManager: PackageFamily | undefined;

  constructor(
    private readonly file: string,
    private readonly context: BuildContext,
  ) {}

  run(ast: ContainerfileAst): Lowered {
    const { globals, stages } = this.splitStages(ast.instructions);
    const globalArgs = globals.filter((i) => i.keyword === 'ARG');
    let reported = false;
    for (const ins of globals) {
      if (ins.keyword === 'ARG') this.defineVar(ins.args, true);
      else if (!reported) {
        this.diagnostics.push(diag(containerfileCodes.noFrom, undefined, this.at(ins)));
        reported = true;
      }
    }
    if (globalArgs.length) this.ext.globalArgs = globalArgs.map((i) => i.args);
    const final = stages[stages.length - 1];
    if (!final || reported) {
      if (!reported)
        this.diagnostics.push(
          diag(containerfileCodes.noFrom, undefined, { file: this.file, line: 1, column: 1 }),
        );
      return this.result();
    }
    const chain = this.chainOf(final, stages);
    const inChain = new Set(chain);
    for (const s of stages) {
      if (inChain.has(s)) continue;
      this.ext.stages ??= [];
      this.ext.stages.push([s.from, ...s.body].map((i) => i.source.trim()).join('\n'));
      this.diagnostics.push(
        diag(containerfileCodes.helperStage, { stage: s.name ?? s.image }, this.at(s.from)),
      );
    }
    this.lowerBase(chain[0]!);
    for (const stage of chain) for (const ins of stage.body) this.lowerInstruction(ins);
    this.finish();
    this.lowerBootcOutput(chain[0]!);
    return this.result();
  }

  private result(): Lowered {
    return {
      ir: this.ir,
      positions: this.positions,
      diagnostics: this.diagnostics,
      ext: this.ext,
      read: this.read,
    };
  }

  private at(ins: Instruction, offset?: number): SourcePosition {
    const p = offset === undefined ? { line: ins.line, column: ins.column } : positionInArgs(ins, offset);
    return { file: this.file, ...p };
  }

  private splitStages(instructions: Instruction[]) {
    const globals: Instruction[] = [];
    const stages: Stage[] = [];
    for (const ins of instructions) {
      if (ins.keyword === 'FROM') {
        const words = ins.args.split(/\s+/).filter(Boolean);
        const asAt = words.findIndex((w) => w.toLowerCase() === 'as');
        const stage: Stage = { from: ins, image: words[0] ?? '', body: [] };
        if (asAt > 0 && words[asAt + 1]) stage.name = words[asAt + 1];
        stages.push(stage);
      } else if (stages.length === 0) globals.push(ins);
      else stages[stages.length - 1]!.body.push(ins);
    }
    return { globals, stages };
  }

  /** The final stage and the earlier stages it is built FROM, base first. */
  private chainOf(final: Stage, stages: Stage[]): Stage[] {
    // the parent is the first earlier stage of that name; looked up by index, not by a scan per
    // stage (a fuzzed chain of 93,000 stages was quadratic)
    const firstNamed = new Map<string, number>();
    stages.forEach((s, i) => {
      if (s.name !== undefined && !firstNamed.has(s.name)) firstNamed.set(s.name, i);
    });
    const chain = [final];
    const inChain = new Set(chain);
    let index = stages.lastIndexOf(final);
    for (;;) {
      const parentIndex = firstNamed.get(this.expand(stages[index]!.image));
      const parent = parentIndex !== undefined && parentIndex < index ? stages[parentIndex] : undefined;
      if (!parent || inChain.has(parent)) return chain.reverse();
      chain.push(parent);
      inChain.add(parent);
      index = parentIndex!;
    }
  }

  private expand(text: string): string {
    return text.replace(/\$\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)/g, (whole, a, def, b) => {
      const v = this.vars.get(a ?? b);
      return v ?? def ?? whole;
    });
  }

  private lowerBase(stage: Stage) {
    const raw = stage.image;
    const image = this.expand(raw);
    const platform = stage.from.flags.find((f) => f.name === 'platform')?.value;
    const at = this.at(stage.from);
    if (image.includes('$')) {
      this.diagnostics.push(diag(containerfileCodes.unresolvedVariable, { image: raw }, at));
      this.ext.from = raw;
    } else {
      const d = distributionOf(image);
      if (d) {
        Object.assign(this.ir.distribution, d);
        this.positions['/distribution'] = at;
        this.positions['/distribution/id'] = at;
        if (baseImageFor(d)?.image !== image || d.variant) this.ext.from = raw;
      } else {
        const derived = derivedDistributionOf(image);
        if (derived) {
          Object.assign(this.ir.distribution, derived.distribution);
          this.positions['/distribution'] = at;
          this.positions['/distribution/id'] = at;
          this.diagnostics.push(
            diag(
              containerfileCodes.baseDerived,
              { image: raw, id: derived.distribution.id!, how: derived.how },
              at,
            ),
          );
        } else this.diagnostics.push(diag(containerfileCodes.unknownBaseImage, { image: raw }, at));
        this.ext.from = raw;
      }
    }
    if (platform) {
      const arch = archOfPlatform(this.expand(platform));
      if (arch) {
        this.ir.distribution.architecture = arch;
        this.positions['/distribution/architecture'] = at;
      } else this.ext.platform = platform;
    }
  }

  private defineVar(args: string, global: boolean) {
    const m = /^([A-Za-z_]\w*)(?:=(.*))?$/.exec(args.trim());
    if (!m) return;
    if (m[2] !== undefined) this.vars.set(m[1]!, unquoteValue(this.expand(m[2])));
    else if (!global && !this.vars.has(m[1]!)) return;
  }

  private lowerInstruction(ins: Instruction) {
    switch (ins.keyword) {
      case 'ARG':
        this.defineVar(ins.args, false);
        this.keepEnv(`ARG ${ins.args}`);
        return;
      case 'ENV':
        for (const [k, v] of keyValues(ins.args)) this.vars.set(k, this.expand(v));
        this.keepEnv(`ENV ${ins.args}`);
        return;
      case 'LABEL':
        for (const [k, raw] of keyValues(ins.args)) {
          // the writer escapes newlines and tabs JSON-style inside the quotes
          const v = raw.replaceAll('\\n', '\n').replaceAll('\\t', '\t');
          const field = METADATA_LABELS[k];
          if (field) {
            this.ir.metadata ??= {};
            this.ir.metadata[field] = v;
            this.positions[`/metadata/${field}`] = this.at(ins);
          } else this.ext.labels = { ...this.ext.labels, [k]: v };
        }
        return;
      case 'RUN':
        return this.lowerRun(ins);
      case 'COPY':
      case 'ADD':
        return this.lowerCopy(ins);
      default:
        return this.keepVerbatim(ins);
    }
  }

  private keepEnv(line: string) {
    this.ext.env ??= [];
    this.ext.env.push(line);
  }

  private keepVerbatim(ins: Instruction) {
    const text = ins.source.trim();
    // push, not copy: a file of 100,000 kept lines must stay linear
    this.ext.instructions ??= [];
    this.ext.instructions.push(text);
    this.diagnostics.push(
      diag(containerfileCodes.keptVerbatim, { instruction: preview(text) }, this.at(ins)),
    );
  }

  // ---- RUN -------------------------------------------------------------------------------

  private lowerRun(ins: Instruction) {
    const flags = ins.flags
      .map((f) => (f.value === undefined ? `--${f.name}` : `--${f.name}=${f.value}`))
      .join(' ');
    if (ins.json) return this.addScript(ins.json.join(' '), ins, flags, 0);
    const command = ins.args;
    if (ins.heredocs.length) {
      if (/^<<-?["']?\w+["']?$/.test(command.trim())) {
        return this.addScript(ins.heredocs[0]!.body.replace(/\n$/, ''), ins, flags, 0);
      }
      const written = this.heredocFileWrite(ins);
      if (written) return;
      const body = [command, ...ins.heredocs.map((h) => `${h.body}${h.delimiter}`)].join('\n');
      return this.addScript(body, ins, flags, 0);
    }
    const tokens = tokenize(command, this.vars);
    if (hasControlFlow(tokens)) return this.addScript(command, ins, flags, 0);
    const segments = splitCommands(tokens);
    let pending: Segment[] = [];
    const flush = (beforeInstall: boolean) => {
      if (!pending.length) return;
      const start = pending[0]!.start;
      const end = pending[pending.length - 1]!.end;
      this.addScript(command.slice(start, end), ins, flags, start, beforeInstall);
      pending = [];
    };
    for (const seg of segments) {
      const before = !this.sawInstall;
      if (this.lowerCommand(seg, ins)) flush(before);
      else pending.push(seg);
    }
    flush(!this.sawInstall);
  }

  /** `cat > PATH <<EOF` / `cat <<EOF > PATH` / `tee PATH <<EOF`: a file write. */
  private heredocFileWrite(ins: Instruction): boolean {
    if (ins.heredocs.length !== 1) return false;
    const t = tokenize(ins.args.replace(/<<-?["']?\w+["']?/, ''), this.vars);
    const words = t.filter((x): x is Word => x.kind === 'word');
    const ops = t.filter((x) => x.kind === 'op').map((x) => x.value);
    let path: string | undefined;
    if (words[0]?.value === 'cat' && ops.length === 1 && ops[0] === '>' && words.length === 2)
      path = words[1]!.value;
    if (!path?.startsWith('/') || words[1]!.dynamic) return false;
    const h = ins.heredocs[0]!;
    this.writeFile({ path, content: h.body }, this.at(ins), ins);
    return true;
  }

  private addScript(
    body: string,
    ins: Instruction,
    flags: string,
    offset: number,
    beforeInstall = !this.sawInstall,
  ) {
    const n = this.ir.scripts.length;
    // a KIWI script imgc wrote with its helpers inlined reads back as it was
    const script: Script = { phase: 'post-install', chroot: true, body: withoutInlinedEnv(body) };
    this.ir.scripts.push(script);
    this.scriptBeforeInstall.push(beforeInstall);
    this.positions[pointer('scripts', n)] = this.at(ins, offset);
    if (flags) this.ext.scriptFlags = { ...this.ext.scriptFlags, [String(n)]: flags };
    this.diagnostics.push(
      diag(containerfileCodes.keptAsScript, { command: preview(body) }, this.at(ins, offset), {
        pointer: pointer('scripts', n),
      }),
    );
  }

  /** Notes the package manager of a command that put packages into the IR. */
  private used(manager: PackageFamily, lower: () => boolean): boolean {
    const p = this.ir.packages;
    const count = () => p.install.length + p.remove.length + p.groups.length + p.modules.length;
    const before = count();
    const lowered = lower();
    if (lowered && count() > before) this.packageManager ??= manager;
    return lowered;
  }

  /** One command of a RUN chain; false when it has no IR meaning (it then stays a script). */
  private lowerCommand(seg: Segment, ins: Instruction): boolean {
    let toks = seg.tokens;
    while (toks[0]?.kind === 'word' && /^[A-Za-z_]\w*=/.test(toks[0].value) && toks.length > 1)
      toks = toks.slice(1);
    const redirect = toks.findIndex((t) => t.kind === 'op');
    if (redirect >= 0) return this.lowerRedirect(toks, ins);
    const words = toks as Word[];
    if (words.some((w) => w.dynamic)) return false;
    const cmd = words[0]?.value ?? '';
    const rest = words.slice(1);
    switch (cmd) {
      case 'dnf':
      case 'dnf5':
      case 'yum':
      case 'microdnf':
      case 'tdnf':
        return this.used('dnf', () => this.lowerDnf(rest, ins));
      case 'rpm-ostree':
        return this.lowerRpmOstree(rest, ins);
      case 'apt-get':
      case 'apt':
        return this.used('apt', () => this.lowerApt(rest, ins));
      case 'zypper':
        return this.used('zypper', () => this.lowerZypper(rest, ins));
      case 'pacman':
        return this.used('pacman', () => this.lowerPacman(rest, ins));
      case 'systemctl':
        return this.lowerSystemctl(rest, ins);
      case 'firewall-offline-cmd':
        return this.lowerFirewall(rest, ins);
      case 'ln':
        return this.lowerLn(rest, ins);
      case 'mkdir':
      case 'install':
        return this.lowerMkdir(cmd, rest, ins);
      case 'update-crypto-policies':
        if (rest.some((w) => w.value === 'FIPS') && rest.some((w) => w.value === '--set')) {
          this.ir.system.fips = true;
          this.fipsFromPolicy = true;
          this.positions['/system/fips'] = this.at(ins, words[0]!.start);
          return true;
        }
        return false;
      case 'ostree':
        return rest.map((w) => w.value).join(' ') === 'container commit';
      case 'bootc':
        return rest.map((w) => w.value).join(' ') === 'container lint';
      case 'rm':
        return isCacheCleanup(rest.map((w) => w.value));
      case 'true':
        return rest.length === 0;
      default:
        return false;
    }
  }

  private addPackages(list: 'install' | 'remove' | 'exclude', words: Word[], ins: Instruction) {
    for (const w of words) {
      const target = this.ir.packages[list];
      this.positions[pointer('packages', list, target.length)] = this.at(ins, w.start);
      target.push({ name: w.value });
    }
  }

  private addGroups(words: Word[], ins: Instruction) {
    for (const w of words) {
      this.positions[pointer('packages', 'groups', this.ir.packages.groups.length)] = this.at(ins, w.start);
      this.ir.packages.groups.push({ name: w.value.replace(/^@/, '') });
    }
  }

  private lowerDnf(args: Word[], ins: Instruction): boolean {
    const opts: Word[] = [];
    const positional: Word[] = [];
    const excludes: Word[] = [];
    for (let i = 0; i < args.length; i++) {
      const w = args[i]!;
      if (w.value === '-x' || w.value === '--exclude') {
        const next = args[++i];
        if (next) appendAll(excludes, splitComma(next));
      } else if (w.value.startsWith('--exclude='))
        excludes.push({ ...w, value: w.value.slice(10), start: w.start + 10 });
      else if (w.value.startsWith('-')) opts.push(w);
      else positional.push(w);
    }
    const known = [
      '-y',
      '--assumeyes',
      '-q',
      '--quiet',
      '--nodocs',
      '--allowerasing',
      '--best',
      '--nobest',
      '--refresh',
      '--setopt=install_weak_deps=False',
      '--setopt=install_weak_deps=false',
      '--setopt=install_weak_deps=0',
      '--setopt=tsflags=nodocs',
      '--setopt=keepcache=0',
      '--setopt=keepcache=1',
      '--setopt=keepcache=True',
      '--no-docs',
      '--nodocs',
      '--skip-unavailable',
    ];
    if (opts.some((o) => !known.includes(o.value))) return false;
    const sub = positional[0]?.value;
    const operands = positional.slice(1);
    if (sub === 'clean' || sub === 'makecache') return true;
    if ((sub === 'install' || sub === 'in') && operands.length) {
      if (operands.some((w) => w.value.includes('/') || w.value === '')) return false;
      this.addPackages(
        'install',
        operands.filter((w) => !w.value.startsWith('@')),
        ins,
      );
      this.addGroups(
        operands.filter((w) => w.value.startsWith('@')),
        ins,
      );
      this.addPackages('exclude', excludes, ins);
      if (
        opts.some(
          (o) => o.value === '--nodocs' || o.value === '--no-docs' || o.value === '--setopt=tsflags=nodocs',
        )
      )
        this.ir.packages.installDocs = false;
      if (opts.some((o) => o.value.startsWith('--setopt=install_weak_deps=')))
        this.ir.packages.installWeakDeps = false;
      this.sawInstall = true;
      return true;
    }
    if ((sub === 'group' || sub === 'groups') && operands[0]?.value === 'install' && operands.length > 1) {
      this.addGroups(operands.slice(1), ins);
      this.sawInstall = true;
      return true;
    }
    if (sub === 'groupinstall' && operands.length) {
      this.addGroups(operands, ins);
      this.sawInstall = true;
      return true;
    }
    if ((sub === 'remove' || sub === 'erase' || sub === 'rm') && operands.length && !excludes.length) {
      this.addPackages('remove', operands, ins);
      return true;
    }
    if (
      sub === 'module' &&
      (operands[0]?.value === 'enable' || operands[0]?.value === 'disable') &&
      operands.length > 1
    ) {
      for (const w of operands.slice(1)) {
        const [name, stream] = w.value.split(':');
        this.positions[pointer('packages', 'modules', this.ir.packages.modules.length)] = this.at(
          ins,
          w.start,
        );
        this.ir.packages.modules.push({
          name: name!,
          ...(stream ? { stream } : {}),
          state: operands[0]!.value === 'enable' ? 'enabled' : 'disabled',
        });
      }
      this.sawInstall = true;
      return true;
    }
    return false;
  }

  private lowerRpmOstree(args: Word[], ins: Instruction): boolean {
    const values = args.map((w) => w.value);
    if (values[0] === 'cleanup') return true;
    const opts = args.filter((w) => w.value.startsWith('-'));
    if (opts.some((o) => !['-y', '--idempotent', '--allow-inactive', '-A'].includes(o.value))) return false;
    const positional = args.filter((w) => !w.value.startsWith('-'));
    if (positional[0]?.value === 'install' && positional.length > 1) {
      if (positional.slice(1).some((w) => w.value.includes('/'))) return false;
      this.addPackages('install', positional.slice(1), ins);
      this.sawInstall = true;
      return true;
    }
    if (positional[0]?.value === 'override' && positional[1]?.value === 'remove' && positional.length > 2) {
      this.addPackages('remove', positional.slice(2), ins);
      return true;
    }
    return false;
  }

  private lowerApt(args: Word[], ins: Instruction): boolean {
    const opts: Word[] = [];
    const positional: Word[] = [];
    for (let i = 0; i < args.length; i++) {
      const w = args[i]!;
      if (w.value === '-o') {
        const next = args[++i];
        if (!next) return false;
        opts.push({ ...w, value: `-o ${next.value}` });
      } else if (w.value.startsWith('-')) opts.push(w);
      else positional.push(w);
    }
    const known = [
      '-y',
      '--yes',
      '-q',
      '-qq',
      '--quiet',
      '--no-install-recommends',
      '--assume-yes',
      '-o Dpkg::Options::=--force-confold',
      '-o Dpkg::Options::=--force-confdef',
    ];
    if (opts.some((o) => !known.includes(o.value))) return false;
    const sub = positional[0]?.value;
    const operands = positional.slice(1);
    if (
      sub === 'update' ||
      sub === 'clean' ||
      sub === 'autoclean' ||
      (sub === 'autoremove' && !operands.length)
    )
      return true;
    if (sub === 'install' && operands.length) {
      if (operands.some((w) => w.value.includes('/'))) return false;
      this.addPackages('install', operands, ins);
      if (opts.some((o) => o.value === '--no-install-recommends')) this.ir.packages.installWeakDeps = false;
      this.sawInstall = true;
      return true;
    }
    if ((sub === 'remove' || sub === 'purge') && operands.length) {
      this.addPackages('remove', operands, ins);
      return true;
    }
    return false;
  }

  private lowerZypper(args: Word[], ins: Instruction): boolean {
    const opts = args.filter((w) => w.value.startsWith('-'));
    const known = [
      '-n',
      '--non-interactive',
      '-y',
      '--no-confirm',
      '--no-recommends',
      '-q',
      '--quiet',
      '-a',
      '--all',
    ];
    if (opts.some((o) => !known.includes(o.value))) return false;
    const positional = args.filter((w) => !w.value.startsWith('-'));
    const sub = positional[0]?.value;
    const operands = positional.slice(1);
    if (sub === 'clean' || sub === 'refresh' || sub === 'ref') return true;
    if ((sub === 'install' || sub === 'in') && operands.length) {
      const groups = operands.filter((w) => w.value.startsWith('pattern:'));
      this.addPackages(
        'install',
        operands.filter((w) => !w.value.startsWith('pattern:')),
        ins,
      );
      for (const g of groups) {
        this.positions[pointer('packages', 'groups', this.ir.packages.groups.length)] = this.at(ins, g.start);
        this.ir.packages.groups.push({ name: g.value.slice(8), kind: 'pattern' });
      }
      if (opts.some((o) => o.value === '--no-recommends')) this.ir.packages.installWeakDeps = false;
      this.sawInstall = true;
      return true;
    }
    if ((sub === 'remove' || sub === 'rm') && operands.length) {
      this.addPackages('remove', operands, ins);
      return true;
    }
    return false;
  }

  private lowerPacman(args: Word[], ins: Instruction): boolean {
    const opts = args.filter((w) => w.value.startsWith('-')).map((w) => w.value);
    const operands = args.filter((w) => !w.value.startsWith('-'));
    const op = opts.find((o) => /^-[SR]/.test(o));
    if (!op || opts.some((o) => o !== op && o !== '--noconfirm' && o !== '--needed')) return false;
    if (/^-S[yu]*$/.test(op) && operands.length) {
      this.addPackages('install', operands, ins);
      this.sawInstall = true;
      return true;
    }
    if (/^-S(cc?|y+)$/.test(op) && !operands.length) return true;
    if (/^-R[nsu]*$/.test(op) && operands.length) {
      this.addPackages('remove', operands, ins);
      return true;
    }
    return false;
  }

  private lowerSystemctl(args: Word[], ins: Instruction): boolean {
    const opts = args.filter((w) => w.value.startsWith('-')).map((w) => w.value);
    if (
      opts.some(
        (o) =>
          !['--now', '-q', '--quiet', '--no-reload', '--system', '--root=/', '-f', '--force'].includes(o),
      )
    )
      return false;
    const positional = args.filter((w) => !w.value.startsWith('-'));
    const verb = positional[0]?.value;
    const units = positional.slice(1);
    if (!units.length || (verb !== 'enable' && verb !== 'disable' && verb !== 'mask')) return false;
    const list = this.ir.system.services[verb];
    for (const u of units) {
      this.positions[pointer('system', 'services', verb, list.length)] = this.at(ins, u.start);
      list.push(u.value);
    }
    return true;
  }

  private lowerFirewall(args: Word[], ins: Instruction): boolean {
    let zone: string | undefined;
    const actions: [string, string, Word][] = [];
    for (const w of args) {
      const m = /^--([\w-]+)(?:=(.*))?$/.exec(w.value);
      if (!m) return false;
      if (m[1] === 'zone') zone = m[2];
      else actions.push([m[1]!, m[2] ?? '', w]);
    }
    const fw = () =>
      (this.ir.system.firewall ??= { ports: [], services: { enable: [], disable: [] }, zones: [] });
    const isDefault = zone === undefined || zone === 'public';
    for (const [action, value] of actions) {
      const ok =
        ((action === 'add-port' || action === 'add-service' || action === 'remove-service') &&
          isDefault &&
          value) ||
        (action === 'add-source' && zone && value) ||
        (action === 'add-interface' && zone === 'trusted' && value) ||
        ((action === 'enabled' || action === 'disabled') && !value);
      if (!ok) return false;
    }
    const at = this.at(ins, args[0]?.start);
    this.positions['/system/firewall'] ??= at;
    for (const [action, value] of actions) {
      const f = fw();
      if (action === 'add-port') f.ports.push(value);
      else if (action === 'add-service') f.services.enable.push(value);
      else if (action === 'remove-service') f.services.disable.push(value);
      else if (action === 'add-interface') appendToField(f, 'trust', [value]);
      else if (action === 'enabled' || action === 'disabled') f.enabled = action === 'enabled';
      else {
        let z = f.zones.find((x) => x.name === zone);
        if (!z) {
          z = { name: zone!, sources: [] };
          f.zones.push(z);
        }
        z.sources.push(value);
      }
    }
    return true;
  }

  private lowerLn(args: Word[], ins: Instruction): boolean {
    const opts = args.filter((w) => w.value.startsWith('-')).map((w) => w.value.replace(/^-/, ''));
    const operands = args.filter((w) => !w.value.startsWith('-'));
    const letters = opts.join('');
    if (!letters.includes('s') || !/^[sfn]+$/.test(letters) || operands.length !== 2) return false;
    const [target, path] = [operands[0]!.value, operands[1]!.value];
    if (!path.startsWith('/')) return false;
    const zone = /^(?:\.\.)?\/usr\/share\/zoneinfo\/(.+)$/.exec(target);
    if (path === '/etc/localtime' && zone) {
      this.ir.system.timezone = zone[1];
      this.positions['/system/timezone'] = this.at(ins, operands[0]!.start);
      return true;
    }
    this.positions[pointer('symlinks', this.ir.symlinks.length)] = this.at(ins, operands[0]!.start);
    this.ir.symlinks.push({ path, target });
    return true;
  }

  private lowerMkdir(cmd: string, args: Word[], ins: Instruction): boolean {
    let mode: string | undefined;
    let user: string | undefined;
    let group: string | undefined;
    let parents = false;
    let dirFlag = false;
    const paths: Word[] = [];
    for (let i = 0; i < args.length; i++) {
      const v = args[i]!.value;
      if (v === '-m' || v === '--mode') mode = args[++i]?.value;
      else if (v.startsWith('--mode=')) mode = v.slice(7);
      else if (cmd === 'install' && (v === '-o' || v === '--owner')) user = args[++i]?.value;
      else if (cmd === 'install' && (v === '-g' || v === '--group')) group = args[++i]?.value;
      else if (cmd === 'mkdir' && (v === '-p' || v === '--parents')) parents = true;
      else if (cmd === 'install' && (v === '-d' || v === '--directory')) dirFlag = true;
      else if (v.startsWith('-')) return false;
      else paths.push(args[i]!);
    }
    if (cmd === 'install' && !dirFlag) return false;
    if (!paths.length || paths.some((p) => !p.value.startsWith('/'))) return false;
    if (mode !== undefined && !/^0?[0-7]{3,4}$/.test(mode)) return false;
    for (const p of paths) {
      this.positions[pointer('directories', this.ir.directories.length)] = this.at(ins, p.start);
      this.ir.directories.push({
        path: p.value,
        ...(mode !== undefined ? { mode } : {}),
        ...(user !== undefined ? { user: ownerValue(user) } : {}),
        ...(group !== undefined ? { group: ownerValue(group) } : {}),
        ...(parents ? { ensureParents: true } : {}),
      });
    }
    return true;
  }

  /** `echo TEXT > /path`: a file with TEXT and a newline. */
  private lowerRedirect(toks: Token[], ins: Instruction): boolean {
    if (toks.length !== 4) return false;
    const [cmd, text, op, target] = toks;
    if (cmd?.kind !== 'word' || cmd.value !== 'echo' || text?.kind !== 'word' || text.dynamic) return false;
    if (
      op?.kind !== 'op' ||
      op.value !== '>' ||
      target?.kind !== 'word' ||
      target.dynamic ||
      !target.value.startsWith('/')
    )
      return false;
    if (text.value.startsWith('-')) return false;
    this.writeFile({ path: target.value, content: `${text.value}\n` }, this.at(ins, cmd.start), ins);
    return true;
  }

  // ---- files -------------------------------------------------------------------------------

  /** A file written into the image; well-known files become their IR fields instead. */
  private writeFile(entry: FileEntry, at: SourcePosition, ins: Instruction) {
    const content = entry.content;
    if (content !== undefined && !entry.mode && entry.user === undefined && entry.group === undefined) {
      if (this.lowerKnownFile(entry.path, content, at, ins)) return;
    }
    this.positions[pointer('files', this.ir.files.length)] = at;
    this.ir.files.push(entry);
  }

  private lowerKnownFile(path: string, content: string, at: SourcePosition, ins: Instruction): boolean {
    const single = /^([^\n]*)\n?$/.exec(content)?.[1];
    const assign = (key: string) => {
      const m = single === undefined ? null : new RegExp(`^${key}=(?:"([^"]*)"|(\\S+))$`).exec(single);
      return m ? (m[1] ?? m[2]) : undefined;
    };
    if (path === '/etc/locale.conf' && assign('LANG')) {
      this.ir.system.locale = assign('LANG');
      this.positions['/system/locale'] = at;
      return true;
    }
    if (path === '/etc/vconsole.conf' && assign('KEYMAP')) {
      this.ir.system.keymap = assign('KEYMAP');
      this.positions['/system/keymap'] = at;
      return true;
    }
    if (path === '/etc/hostname' && single && /^[A-Za-z0-9.-]+$/.test(single)) {
      this.ir.system.hostname = single;
      this.positions['/system/hostname'] = at;
      return true;
    }
    if (/^\/usr\/lib\/bootc\/kargs\.d\/[^/]+\.toml$/.test(path)) return this.addKargs(content, path, at, ins);
    if (/^\/etc\/yum\.repos\.d\/[^/]+\.repo$/.test(path))
      return this.addRepos(parseDnfRepoFile(content, posix.basename(path)), at);
    if (/^\/etc\/apt\/sources\.list\.d\/[^/]+\.sources$/.test(path))
      return this.addRepos(parseDeb822Sources(content, posix.basename(path)), at);
    return false;
  }

  private addKargs(content: string, file: string, at: SourcePosition, _ins: Instruction): boolean {
    const parsed = parseKargs(content, file);
    if (parsed.diagnostics.length) return false;
    if (parsed.arches)
      this.diagnostics.push(
        diag(containerfileCodes.multiArchKargs, { arches: parsed.arches.join(', ') }, at),
      );
    for (const k of parsed.kargs) {
      this.positions[pointer('system', 'kernel', 'cmdline', this.ir.system.kernel.cmdline.length)] = at;
      this.ir.system.kernel.cmdline.push(k);
    }
    return true;
  }

  private addRepos(repos: Repository[], at: SourcePosition): boolean {
    if (!repos.length) return false;
    for (const r of repos) {
      this.positions[pointer('repositories', this.ir.repositories.length)] = at;
      this.ir.repositories.push(r);
    }
    return true;
  }

  private lowerCopy(ins: Instruction) {
    const from = ins.flags.find((f) => f.name === 'from');
    const other = ins.flags.filter((f) => !['chmod', 'chown', 'from', 'link'].includes(f.name));
    if (from || other.length || ins.json) return this.keepVerbatim(ins);
    const mode = ins.flags.find((f) => f.name === 'chmod')?.value;
    const chown = ins.flags.find((f) => f.name === 'chown')?.value;
    const meta: Pick<FileEntry, 'mode' | 'user' | 'group'> = {};
    if (mode !== undefined) {
      if (!/^0?[0-7]{3,4}$/.test(mode)) return this.keepVerbatim(ins);
      meta.mode = mode;
    }
    if (chown) {
      const [u, g] = chown.split(':');
      if (u) meta.user = ownerValue(u);
      if (g) meta.group = ownerValue(g);
    }
    const tokens = tokenize(ins.args, this.vars).filter((t): t is Word => t.kind === 'word');
    if (ins.heredocs.length) {
      const dest = tokens[tokens.length - 1];
      if (
        ins.heredocs.length !== 1 ||
        !dest ||
        dest.dynamic ||
        !dest.value.startsWith('/') ||
        dest.value.endsWith('/')
      ) {
        return this.keepVerbatim(ins);
      }
      return this.writeFile(
        { path: dest.value, content: ins.heredocs[0]!.body, ...meta },
        this.at(ins, dest.start),
        ins,
      );
    }
    if (tokens.length < 2 || tokens.some((t) => t.dynamic)) return this.keepVerbatim(ins);
    const dest = tokens[tokens.length - 1]!.value;
    const sources = tokens.slice(0, -1);
    if (!dest.startsWith('/')) return this.keepVerbatim(ins);
    const destIsDir = dest.endsWith('/') || sources.length > 1;
    for (const src of sources) {
      const rel = src.value.replace(/^\.\//, '');
      const at = this.at(ins, src.start);
      if (/^[a-z]+:\/\//.test(rel) || rel.includes('*')) {
        this.keepVerbatim(ins);
        return;
      }
      const target = destIsDir ? posix.join(dest, posix.basename(rel)) : dest;
      if (!mode && !chown && this.copyKnownFile(rel, target, at, ins)) continue;
      const isDir = this.context.isDirectory(rel) || rel.endsWith('/') || rel === '.' || rel === '';
      if (isDir || dest === '/') {
        this.positions[pointer('overlays', this.ir.overlays.length)] = at;
        this.ir.overlays.push({
          source: rel.replace(/\/$/, '') || '.',
          destination: dest,
        });
      } else {
        this.positions[pointer('files', this.ir.files.length)] = at;
        this.ir.files.push({ path: target, source: rel, ...meta });
      }
    }
  }

  /** Repository files and kargs.d files copied from the build context are read, when present. */
  private copyKnownFile(rel: string, target: string, at: SourcePosition, ins: Instruction): boolean {
    const known =
      /^\/usr\/lib\/bootc\/kargs\.d\/[^/]+\.toml$/.test(target) ||
      /^\/etc\/yum\.repos\.d\/[^/]+\.repo$/.test(target) ||
      /^\/etc\/apt\/sources\.list\.d\/[^/]+\.sources$/.test(target);
    if (!known) return false;
    const text = this.context.readText(rel);
    if (text === undefined) return false;
    if (!this.lowerKnownFile(target, text, at, ins)) return false;
    this.read.push(rel);
    return true;
  }

  /**
   * A Containerfile on a bootc base, or labelled containers.bootc=1, builds a bootc image: the
   * bootc-oci output (decision 0112). The label stays in the extension, as written.
   */
  private lowerBootcOutput(base: Stage) {
    const image = this.expand(base.image);
    if (!isBootcBase(image) && this.ext.labels?.['containers.bootc'] !== '1') return;
    this.ir.outputs.push({ type: 'bootc-oci' });
    this.positions[`/outputs/${this.ir.outputs.length - 1}`] = this.at(base.from);
  }

  private finish() {
    // kept only where the distribution would not give it back (an unknown or unnamed base image)
    if (this.packageManager && packageFamily(this.ir.distribution.id) !== this.packageManager)
      this.ext.packageManager = this.packageManager;
    const anyInstall = this.sawInstall;
    this.ir.scripts.forEach((s, i) => {
      if (anyInstall && this.scriptBeforeInstall[i]) s.phase = 'pre-packages';
    });
    if (this.fipsFromPolicy) {
      const at = this.ir.system.kernel.cmdline.indexOf('fips=1');
      if (at >= 0) {
        this.ir.system.kernel.cmdline.splice(at, 1);
        for (let i = at; i < this.ir.system.kernel.cmdline.length; i++) {
          const next = this.positions[pointer('system', 'kernel', 'cmdline', i + 1)];
          if (next) this.positions[pointer('system', 'kernel', 'cmdline', i)] = next;
        }
      }
    }
  }
}

function splitComma(w: Word): Word[] {
  return w.value
    .split(',')
    .filter(Boolean)
    .map((value) => ({ ...w, value }));
}

function ownerValue(v: string): string | number {
  return /^\d+$/.test(v) ? Number(v) : v;
}

function isCacheCleanup(args: string[]): boolean {
  const paths = args.filter((a) => !a.startsWith('-'));
  return (
    paths.length > 0 &&
    paths.every(
      (p) =>
        /^\/var\/(cache\/(dnf|libdnf5|yum|apt|zypp|pacman)|lib\/apt\/lists)(\/.*)?$/.test(p) ||
        /^\/var\/cache\/\*?$/.test(p),
    )
  );
}

function unquoteValue(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))))
    return t.slice(1, -1);
  return t;
}

/** `k=v k2="v 2"` or the old `k v` form. */
export function keyValues(args: string): [string, string][] {
  const words = tokenize(args).filter((t): t is Word => t.kind === 'word');
  if (words.length >= 1 && !words[0]!.value.includes('=')) {
    const rest = args
      .trim()
      .slice(args.trim().indexOf(words[0]!.value) + words[0]!.value.length)
      .trim();
    return [[words[0]!.value, unquoteValue(rest)]];
  }
  return words
    .filter((w) => w.value.includes('='))
    .map((w) => [w.value.slice(0, w.value.indexOf('=')), w.value.slice(w.value.indexOf('=') + 1)]);
}

function preview(text: string): string {
  const first = text.split('\n')[0]!.trim();
  const more = text.includes('\n') ? ' …' : '';
  return first.length > 80 ? `${first.slice(0, 77)}...` : `${first}${more}`;
}
