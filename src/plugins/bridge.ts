/**
 * The host side of a backend plugin: a Backend whose every method is a JSON-RPC request to
 * the plugin. The process starts on first use (so `imgc plan` of another distribution never
 * starts it), the handshake refuses API versions imgc does not speak, and a plugin that
 * dies turns every waiting request into a coded error instead of taking the host down.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import {
  BACKEND_API_VERSION,
  type Backend,
  type HostFacts,
  type LockResolution,
  type PackageRequest,
  type PlanInput,
  type Resolution,
  type ResolveContext,
  type ResolvedDistribution,
  type StepContext,
  StepError,
} from '../backends/contract.js';
import { APT_REPOSITORY_TYPES, aptPackageSpec } from '../backends/debian/apt.js';
import { lockCodes } from '../diagnostics/codes/lock.js';
import { pluginCodes } from '../diagnostics/codes/plugins.js';
import { resolveCodes } from '../diagnostics/codes/resolve.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { FormatOptions } from '../formats/contract.js';
import type { ImageIR, Initrd, PackageRef, Repository } from '../ir/schema.js';
import type { PlanStep, StepDraft, StepType } from '../plan/steps.js';
import { refusedDraft, unsafeDistributionField } from './confine.js';
import { SUPPORTED_PLUGIN_API } from './manifest.js';
import { RPC_METHOD_NOT_FOUND, RpcError, RpcPeer } from './rpc.js';

export interface Transport {
  /** the plugin's stdout */
  input: Readable;
  /** the plugin's stdin */
  output: Writable;
  /** resolves when the plugin process is gone: how it ended */
  exited: Promise<string>;
  /** the plugin's stderr lines */
  onStderr(listener: (line: string) => void): void;
  kill(): void;
}

export interface BridgeOptions {
  name: string;
  backend: { id: string; distributions: readonly string[]; hostTools?: Record<string, string> };
  connect: () => Transport;
  hostVersion?: string;
  /** grace period between `cancel` and killing the process */
  cancelGraceMs?: number;
  /** how long a request other than execute may take before the plugin is given up (default 120 s) */
  requestTimeoutMs?: number;
}

interface Description {
  id: string;
  name: string;
  distributions: string[];
  releases: Record<string, string[]>;
  executes: StepType[];
  repositoryTypes?: string[];
  hostTools?: Record<string, string>;
}

export class PluginFailure extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** A spawned plugin process; as root it runs in a private mount namespace so its mounts die with it. */
export function processTransport(command: readonly string[], cwd: string): Transport {
  const wrapped =
    process.getuid?.() === 0
      ? ['unshare', '--mount', '--propagation', 'private', '--', ...command]
      : [...command];
  const child = spawn(wrapped[0]!, wrapped.slice(1), {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, IMGC_PLUGIN_API: String(BACKEND_API_VERSION) },
  });
  const listeners: ((line: string) => void)[] = [];
  let rest = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) if (l) for (const f of listeners) f(l);
  });
  child.stdin!.on('error', () => {});
  const exited = new Promise<string>((resolve) => {
    child.on('error', (e) => resolve(`could not be started (${e.message})`));
    child.on('exit', (code, signal) =>
      resolve(signal ? `was killed by ${signal}` : `exited with status ${code}`),
    );
  });
  return {
    input: child.stdout!,
    output: child.stdin!,
    exited,
    onStderr: (f) => listeners.push(f),
    kill: () => {
      if (!child.pid) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    },
  };
}

export class BridgedBackend implements Backend {
  readonly apiVersion = BACKEND_API_VERSION;
  readonly id: string;
  readonly distributions: readonly string[];
  readonly hostTools: Readonly<Record<string, string>>;
  private connection?: Promise<{ peer: RpcPeer; description: Description; transport: Transport }>;
  private description?: Description;
  private stderrTail: string[] = [];
  private stepContext?: StepContext;
  private hasUnapplied = true;

  constructor(private readonly options: BridgeOptions) {
    this.id = options.backend.id;
    this.distributions = options.backend.distributions;
    this.hostTools = options.backend.hostTools ?? {};
  }

  get name(): string {
    return this.description?.name ?? this.options.name;
  }
  get executes(): readonly StepType[] {
    return this.description?.executes ?? [];
  }
  /**
   * Protocol v1 has no package spelling and makes repository types optional: a plugin is
   * given apt's spelling and, when it names no types, apt's (what v1 plugins were written for).
   */
  get repositoryTypes(): readonly string[] {
    return this.description?.repositoryTypes ?? APT_REPOSITORY_TYPES;
  }
  packageSpec(p: PackageRef): string {
    return aptPackageSpec(p);
  }
  releases(distribution: string): readonly string[] {
    return this.description?.releases[distribution] ?? [];
  }

  private fail(code: keyof typeof pluginCodes, params: Record<string, unknown>): PluginFailure {
    return new PluginFailure(diag(pluginCodes[code] as never, params as never));
  }

  private connect() {
    this.connection ??= (async () => {
      let transport: Transport;
      try {
        transport = this.options.connect();
      } catch (e) {
        throw this.fail('startFailed', { name: this.options.name, detail: (e as Error).message });
      }
      const peer = new RpcPeer(transport.input, transport.output);
      transport.onStderr((line) => {
        this.stderrTail.push(line);
        if (this.stderrTail.length > 8) this.stderrTail.shift();
        this.stepContext?.progress.log(line);
      });
      peer.on(
        'progress',
        (p: { log?: string; note?: string; packages?: { done: number; total?: number } }) => {
          const c = this.stepContext;
          if (!c) return;
          if (p.log !== undefined) c.progress.log(p.log);
          if (p.note !== undefined) c.progress.note(p.note);
          if (p.packages) c.progress.packages(p.packages.done, p.packages.total);
        },
      );
      peer.on('diagnostic', (p: { diagnostic: Diagnostic }) => this.stepContext?.report(p.diagnostic));
      peer.onInvalid = (line, why) => {
        peer.close(
          this.fail('protocolError', { name: this.options.name, detail: `${why}: ${line.slice(0, 120)}` }),
        );
        transport.kill();
      };
      void transport.exited.then((how) => {
        peer.close(
          this.fail('crashed', {
            name: this.options.name,
            how,
            method: peer.waitingFor ?? 'idle',
            stderr: this.stderrTail.join('\n  '),
          }),
        );
      });
      let hello: { apiVersion?: unknown; name?: string };
      try {
        hello = await this.timed(
          peer.request('initialize', {
            apiVersion: Math.max(...SUPPORTED_PLUGIN_API),
            supportedApiVersions: SUPPORTED_PLUGIN_API,
            host: { name: 'imgc', version: this.options.hostVersion ?? '0.1.0' },
          }),
          'initialize',
          transport,
        );
      } catch (e) {
        transport.kill();
        if (e instanceof PluginFailure && e.diagnostic.code !== pluginCodes.apiVersionUnsupported.code)
          throw this.fail('startFailed', { name: this.options.name, detail: e.message });
        throw e;
      }
      if (typeof hello?.apiVersion !== 'number' || !SUPPORTED_PLUGIN_API.includes(hello.apiVersion)) {
        transport.kill();
        throw this.fail('apiVersionUnsupported', {
          name: this.options.name,
          version: String(hello?.apiVersion),
          supported: SUPPORTED_PLUGIN_API.join(', '),
        });
      }
      const description = await this.timed(peer.request<Description>('describe'), 'describe', transport);
      if (description.id !== this.id) {
        transport.kill();
        throw this.fail('idMismatch', {
          name: this.options.name,
          manifest: this.id,
          described: description.id,
        });
      }
      this.description = description;
      return { peer, description, transport };
    })();
    return this.connection;
  }

  /** A request that must be answered in time; a silent plugin is stopped rather than waited for forever. */
  private timed<T>(request: Promise<T>, method: string, transport: Transport): Promise<T> {
    const ms = this.options.requestTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        transport.kill();
        reject(
          this.fail('protocolError', {
            name: this.options.name,
            detail: `no answer to ${method} within ${ms / 1000} s`,
          }),
        );
      }, ms);
      timer.unref();
    });
    return Promise.race([request, late]).finally(() => clearTimeout(timer));
  }

  private async call<T>(method: string, params: unknown): Promise<T> {
    const { peer, transport } = await this.connect();
    try {
      const request = peer.request<T>(method, params);
      return await (method === 'execute' ? request : this.timed(request, method, transport));
    } catch (e) {
      if (e instanceof RpcError) {
        const given = (e.data as { diagnostic?: Diagnostic } | undefined)?.diagnostic;
        throw new PluginFailure(
          given?.code && given.message
            ? { ...given, source: `plugin ${this.options.name}` }
            : diag(pluginCodes.stepFailed, { name: this.options.name, method, message: e.message }),
        );
      }
      throw e;
    }
  }

  /** Planning answers that carry diagnostics turn a failure into one instead of an exception. */
  private async planning<T extends { diagnostics: Diagnostic[] }>(
    method: string,
    params: unknown,
    empty: Omit<T, 'diagnostics'>,
  ) {
    try {
      return await this.call<T>(method, params);
    } catch (e) {
      if (e instanceof PluginFailure) return { ...empty, diagnostics: [e.diagnostic] } as T;
      throw e;
    }
  }

  async resolveDistribution(ir: ImageIR, options: FormatOptions, host: HostFacts) {
    const answer = await this.planning<{ distribution?: ResolvedDistribution; diagnostics: Diagnostic[] }>(
      'resolveDistribution',
      { ir, options, host: { architecture: host.architecture } },
      {},
    );
    const unsafe = answer.distribution && unsafeDistributionField(answer.distribution);
    if (!unsafe) return answer;
    const refused = this.fail('unsafeDistribution', { name: this.options.name, ...unsafe }).diagnostic;
    return { diagnostics: [...answer.diagnostics, refused] };
  }
  defaultRepositories(distribution: ResolvedDistribution, options: FormatOptions, host: HostFacts) {
    return this.planning<{ repositories: Repository[]; diagnostics: Diagnostic[] }>(
      'defaultRepositories',
      { distribution, options, host: { architecture: host.architecture } },
      { repositories: [] },
    );
  }
  kernelPackages(distribution: ResolvedDistribution, ir: ImageIR) {
    return this.call<string[]>('kernelPackages', { distribution, ir });
  }
  initrdPackages(initrd: Initrd | undefined) {
    return this.call<string[]>('initrdPackages', initrd ? { initrd } : {});
  }
  bootloaderPackages(ir: ImageIR) {
    return this.call<string[]>('bootloaderPackages', { ir });
  }
  systemPackages(ir: ImageIR) {
    return this.call<string[]>('systemPackages', { ir });
  }
  async unappliedFields(ir: ImageIR): Promise<Diagnostic[]> {
    if (!this.hasUnapplied) return [];
    const { peer } = await this.connect();
    try {
      return await peer.request<Diagnostic[]>('unappliedFields', { ir });
    } catch (e) {
      if (e instanceof RpcError && e.code === RPC_METHOD_NOT_FOUND) {
        this.hasUnapplied = false;
        return [];
      }
      throw e;
    }
  }
  /** A plugin that does not know the method answers "method not found": IMGC7052, as a built-in without it. */
  async resolvePackages(request: PackageRequest, context: ResolveContext): Promise<Resolution> {
    const answer = await this.answerOrDiagnostic<Resolution>('resolvePackages', request, context, () =>
      diag(resolveCodes.resolverUnsupported, { family: this.id }),
    );
    return 'diagnostic' in answer
      ? { tool: '', requested: request.packages, packages: [], diagnostics: [answer.diagnostic] }
      : answer.value;
  }
  /** As resolvePackages; "method not found" is IMGC7732. */
  async lockPackages(request: PackageRequest, context: ResolveContext): Promise<LockResolution> {
    const answer = await this.answerOrDiagnostic<LockResolution>('lockPackages', request, context, () =>
      diag(lockCodes.unsupported, { family: this.id }),
    );
    return 'diagnostic' in answer
      ? { tool: '', packages: [], repositories: [], diagnostics: [answer.diagnostic] }
      : answer.value;
  }
  private async answerOrDiagnostic<T>(
    method: 'resolvePackages' | 'lockPackages',
    request: PackageRequest,
    context: ResolveContext,
    unsupported: () => Diagnostic,
  ): Promise<{ value: T } | { diagnostic: Diagnostic }> {
    try {
      const { peer, transport } = await this.connect();
      const value = await this.timed(
        peer.request<T>(method, { request, context: { cacheDir: context.cacheDir } }),
        method,
        transport,
      );
      return { value };
    } catch (e) {
      if (e instanceof RpcError && e.code === RPC_METHOD_NOT_FOUND) return { diagnostic: unsupported() };
      if (e instanceof RpcError) {
        const given = (e.data as { diagnostic?: Diagnostic } | undefined)?.diagnostic;
        return {
          diagnostic:
            given?.code && given.message
              ? { ...given, source: `plugin ${this.options.name}` }
              : diag(pluginCodes.stepFailed, { name: this.options.name, method, message: e.message }),
        };
      }
      if (e instanceof PluginFailure) return { diagnostic: e.diagnostic };
      throw e;
    }
  }
  async planPackages(input: PlanInput) {
    const { host, ...rest } = input;
    const answer = await this.planning<{
      bootstrap: StepDraft;
      install?: StepDraft;
      diagnostics: Diagnostic[];
    }>(
      'plan',
      { input: { ...rest, host: { architecture: host.architecture } } },
      { bootstrap: undefined as unknown as StepDraft },
    );
    if (!answer.bootstrap && !answer.diagnostics.some((d) => d.severity === 'error'))
      answer.diagnostics.push(
        diag(pluginCodes.protocolError, {
          name: this.options.name,
          detail: 'plan returned no bootstrap step',
        }),
      );
    const refused = [
      answer.bootstrap && this.refuse('plan', answer.bootstrap, ['bootstrap']),
      answer.install && this.refuse('plan', answer.install, ['install-packages']),
    ].filter((d): d is Diagnostic => d !== undefined);
    // an error stops the planner before any draft becomes a step
    return { ...answer, diagnostics: [...answer.diagnostics, ...refused] };
  }
  async planRemove(packages: string[], origin: string[]) {
    const draft = await this.call<StepDraft>('planRemove', { packages, origin });
    const refused = this.refuse('planRemove', draft, ['remove-packages']);
    if (refused) throw new PluginFailure(refused);
    return draft;
  }

  /** A planned step imgc would not let the plugin plan (see confine.ts). */
  private refuse(method: string, draft: StepDraft, allowed: StepType[]): Diagnostic | undefined {
    const why = refusedDraft(draft, allowed, this.executes);
    if (!why) return undefined;
    return this.fail('stepRefused', { name: this.options.name, method, type: String(draft.type), why })
      .diagnostic;
  }

  async execute(step: PlanStep, context: StepContext): Promise<void> {
    const { peer, transport } = await this.connect().catch((e) => {
      throw e instanceof PluginFailure ? new StepError(e.diagnostic) : e;
    });
    this.stepContext = context;
    const onAbort = () => {
      peer.notify('cancel', { reason: String(context.signal.reason ?? 'abort') });
      setTimeout(() => transport.kill(), this.options.cancelGraceMs ?? 3000).unref();
    };
    context.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await this.call('execute', {
        step: { id: step.id, type: step.type, title: step.title, options: step.options },
        context: { tree: context.tree, workDir: context.workDir, packageCache: context.packageCache },
      });
    } catch (e) {
      if (e instanceof PluginFailure) throw new StepError(e.diagnostic);
      throw e;
    } finally {
      context.signal.removeEventListener('abort', onAbort);
      this.stepContext = undefined;
    }
  }

  async close(): Promise<void> {
    if (!this.connection) return;
    const conn = await this.connection.catch(() => undefined);
    if (!conn) return;
    const timer = setTimeout(() => conn.transport.kill(), 2000);
    timer.unref();
    await Promise.race([conn.peer.request('shutdown').catch(() => undefined), conn.transport.exited]);
    conn.transport.output.end();
    await Promise.race([conn.transport.exited, new Promise((r) => setTimeout(r, 2000).unref())]);
    clearTimeout(timer);
    conn.transport.kill();
  }
}
