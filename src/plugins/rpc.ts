/**
 * JSON-RPC 2.0 over newline-delimited JSON: one message per line on a pair of streams. Used
 * by the host (to talk to plugin processes) and by the SDK (to serve a backend), so both
 * ends of the protocol are this one piece of code.
 */
import type { Readable, Writable } from 'node:stream';

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const RPC_METHOD_NOT_FOUND = -32601;
export const RPC_INVALID_PARAMS = -32602;
export const RPC_INTERNAL = -32603;

// biome-ignore lint/suspicious/noExplicitAny: handlers type their own params; the peer cannot know them
type Handler = (params: any) => unknown;

export class RpcPeer {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }
  >();
  private readonly requestHandlers = new Map<string, Handler>();
  private readonly notificationHandlers = new Map<string, Handler>();
  private buffer = '';
  private closedWith: Error | undefined;
  /** a line that is not JSON-RPC; the host turns it into a protocol error */
  onInvalid: (line: string, why: string) => void = () => {};

  constructor(
    input: Readable,
    private readonly output: Writable,
  ) {
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl = this.buffer.indexOf('\n');
      while (nl >= 0) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (line) this.receive(line);
        nl = this.buffer.indexOf('\n');
      }
    });
  }

  handle(method: string, handler: Handler): void {
    this.requestHandlers.set(method, handler);
  }

  on(method: string, handler: Handler): void {
    this.notificationHandlers.set(method, handler);
  }

  request<T = unknown>(method: string, params?: unknown): Promise<T> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      this.send({ jsonrpc: '2.0', id, method, params: params ?? {} });
    });
  }

  notify(method: string, params?: unknown): void {
    if (!this.closedWith) this.send({ jsonrpc: '2.0', method, params: params ?? {} });
  }

  /** The method of the oldest request still waiting, for error messages. */
  get waitingFor(): string | undefined {
    return [...this.pending.values()][0]?.method;
  }

  /** Fails every waiting request with `error` (the other end is gone). */
  close(error: Error): void {
    this.closedWith ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private send(message: unknown) {
    try {
      this.output.write(`${JSON.stringify(message)}\n`);
    } catch {
      /* the pipe is gone; the exit handler reports it */
    }
  }

  private receive(line: string) {
    // biome-ignore lint/suspicious/noExplicitAny: checked field by field below
    let msg: any;
    try {
      msg = JSON.parse(line);
    } catch {
      this.onInvalid(line, 'not JSON');
      return;
    }
    if (!msg || typeof msg !== 'object' || msg.jsonrpc !== '2.0') {
      this.onInvalid(line, 'not a JSON-RPC 2.0 message');
      return;
    }
    if (typeof msg.method === 'string') {
      if (msg.id === undefined) {
        const h = this.notificationHandlers.get(msg.method);
        if (h) h(msg.params ?? {});
        return;
      }
      void this.answer(msg.id, msg.method, msg.params ?? {});
      return;
    }
    const waiting = this.pending.get(msg.id);
    if (!waiting) {
      this.onInvalid(line, `an answer to request ${msg.id} that nobody asked`);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.error) waiting.reject(new RpcError(msg.error.code, msg.error.message, msg.error.data));
    else waiting.resolve(msg.result);
  }

  private async answer(id: unknown, method: string, params: unknown) {
    const h = this.requestHandlers.get(method);
    if (!h) {
      this.send({
        jsonrpc: '2.0',
        id,
        error: { code: RPC_METHOD_NOT_FOUND, message: `unknown method ${method}` },
      });
      return;
    }
    try {
      const result = await h(params);
      this.send({ jsonrpc: '2.0', id, result: result ?? null });
    } catch (e) {
      const err: RpcErrorObject =
        e instanceof RpcError
          ? { code: e.code, message: e.message, ...(e.data !== undefined ? { data: e.data } : {}) }
          : { code: RPC_INTERNAL, message: e instanceof Error ? e.message : String(e) };
      const diagnostic = (e as { diagnostic?: unknown }).diagnostic;
      if (diagnostic && err.data === undefined) err.data = { diagnostic };
      this.send({ jsonrpc: '2.0', id, error: err });
    }
  }
}
