/**
 * The plugin SDK for backends written in TypeScript/JavaScript: `serveBackend` answers the
 * protocol on stdin/stdout for any object implementing the Backend contract (that is the
 * whole plugin program), and `inProcessBackend` runs the same backend behind the same
 * bridge over in-memory pipes, so tests exercise the protocol without a process.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { Backend, StepContext } from '../backends/contract.js';
import { localHost } from '../backends/registry.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { ProcessRunner } from '../exec/runner.js';
import type { PlanStep } from '../plan/steps.js';
import { BridgedBackend } from './bridge.js';
import { RpcError, RpcPeer } from './rpc.js';

export interface ServeOptions {
  input?: Readable;
  output?: Writable;
  apiVersion?: number;
  /** called after `shutdown` was answered (a process plugin exits here) */
  onShutdown?: () => void;
}

/** Answers the backend protocol for `backend` until the host sends shutdown or closes stdin. */
export function serveBackend(backend: Backend, options: ServeOptions = {}): RpcPeer {
  const peer = new RpcPeer(options.input ?? process.stdin, options.output ?? process.stdout);
  const host = (h: { architecture?: string } | undefined) => ({
    ...localHost(),
    ...(h?.architecture ? { architecture: h.architecture } : {}),
  });
  let running: AbortController | undefined;
  peer.handle('initialize', () => ({
    apiVersion: options.apiVersion ?? backend.apiVersion,
    name: backend.name,
  }));
  peer.handle('describe', () => ({
    id: backend.id,
    name: backend.name,
    distributions: [...backend.distributions],
    releases: Object.fromEntries(backend.distributions.map((d) => [d, [...backend.releases(d)]])),
    executes: [...backend.executes],
    ...(backend.repositoryTypes ? { repositoryTypes: [...backend.repositoryTypes] } : {}),
    ...(backend.hostTools ? { hostTools: { ...backend.hostTools } } : {}),
  }));
  peer.handle('resolveDistribution', (p) => backend.resolveDistribution(p.ir, p.options ?? {}, host(p.host)));
  peer.handle('defaultRepositories', (p) =>
    backend.defaultRepositories(p.distribution, p.options ?? {}, host(p.host)),
  );
  peer.handle('kernelPackages', (p) => backend.kernelPackages(p.distribution, p.ir));
  peer.handle('initrdPackages', (p) => backend.initrdPackages(p.initrd));
  peer.handle('bootloaderPackages', (p) => backend.bootloaderPackages(p.ir));
  peer.handle('systemPackages', (p) => backend.systemPackages(p.ir));
  if (backend.unappliedFields) {
    const unapplied = backend.unappliedFields.bind(backend);
    peer.handle('unappliedFields', (p) => unapplied(p.ir));
  }
  if (backend.resolvePackages) {
    const resolvePackages = backend.resolvePackages.bind(backend);
    peer.handle('resolvePackages', (p) => resolvePackages(p.request, p.context));
  }
  if (backend.lockPackages) {
    const lockPackages = backend.lockPackages.bind(backend);
    peer.handle('lockPackages', (p) => lockPackages(p.request, p.context));
  }
  peer.handle('plan', (p) => backend.planPackages({ ...p.input, host: host(p.input.host) }));
  peer.handle('planRemove', (p) => backend.planRemove(p.packages, p.origin));
  peer.handle(
    'execute',
    async (p: {
      step: Pick<PlanStep, 'id' | 'type' | 'title' | 'options'>;
      context: { tree: string; workDir: string; packageCache: string };
    }) => {
      running = new AbortController();
      const signal = running.signal;
      const context: StepContext = {
        ...p.context,
        signal,
        runner: new ProcessRunner({ signal }),
        progress: {
          log: (line) => peer.notify('progress', { log: line }),
          packages: (done, total) =>
            peer.notify('progress', { packages: total === undefined ? { done } : { done, total } }),
          note: (note) => peer.notify('progress', { note }),
        },
        report: (diagnostic: Diagnostic) => peer.notify('diagnostic', { diagnostic }),
      };
      try {
        await backend.execute(
          // validated against the step schemas on the wire
          { inputs: [], origin: [], cache: false, executor: `backend:${backend.id}`, ...p.step } as PlanStep,
          context,
        );
        return null;
      } catch (e) {
        const diagnostic = (e as { diagnostic?: Diagnostic }).diagnostic;
        throw new RpcError(
          1,
          e instanceof Error ? e.message : String(e),
          diagnostic ? { diagnostic } : undefined,
        );
      } finally {
        running = undefined;
      }
    },
  );
  peer.on('cancel', (p: { reason?: string }) => running?.abort(p.reason ?? 'cancel'));
  peer.handle('shutdown', () => {
    setImmediate(() => options.onShutdown?.());
    return null;
  });
  return peer;
}

/** The backend behind the real bridge and protocol, without a process: for tests. */
export function inProcessBackend(
  backend: Backend,
  options: { apiVersion?: number; name?: string } = {},
): BridgedBackend {
  return new BridgedBackend({
    name: options.name ?? `${backend.id} (in process)`,
    backend: {
      id: backend.id,
      distributions: backend.distributions,
      ...(backend.hostTools ? { hostTools: { ...backend.hostTools } } : {}),
    },
    connect: () => {
      const toPlugin = new PassThrough();
      const toHost = new PassThrough();
      let exit: (how: string) => void = () => {};
      const exited = new Promise<string>((r) => {
        exit = r;
      });
      serveBackend(backend, {
        input: toPlugin,
        output: toHost,
        ...(options.apiVersion !== undefined ? { apiVersion: options.apiVersion } : {}),
        onShutdown: () => exit('exited with status 0'),
      });
      return {
        input: toHost,
        output: toPlugin,
        exited,
        onStderr: () => {},
        kill: () => exit('was stopped'),
      };
    },
  });
}
