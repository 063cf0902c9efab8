/**
 * How fleet commands reach Redis and name their queues. The URL is handed to ioredis as it is,
 * so a password (`redis://:secret@host`), a user (Redis ACLs) and TLS (`rediss://`) pass through
 * unchanged; imgc adds nothing and keeps no credentials of its own.
 */
import type { ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { fleetCodes } from '../diagnostics/codes/fleet.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';

/** BullMQ keeps every queue under this prefix; imgc's own keys (cancel marks, queue set) too. */
export const KEY_PREFIX = 'imgc';
export const RELEASE_QUEUE = 'release';
/** The set of build queue names jobs were submitted to, so `imgc jobs` finds every job. */
export const QUEUE_SET_KEY = `${KEY_PREFIX}:fleet:queues`;
export const cancelKey = (jobId: string) => `${KEY_PREFIX}:fleet:cancel:${jobId}`;

export function buildQueueName(queue: string): string {
  return `build-${queue}`;
}

export function redisConnection(url: string): ConnectionOptions {
  // maxRetriesPerRequest null: BullMQ's blocking calls must wait, not fail, while Redis restarts
  return { url, maxRetriesPerRequest: null, connectionName: 'imgc' };
}

export function checkRedisUrl(url: string | undefined): Diagnostic | undefined {
  if (!url) return diag(fleetCodes.noRedis, {});
  try {
    const u = new URL(url);
    if (u.protocol === 'redis:' || u.protocol === 'rediss:') return undefined;
  } catch {
    /* reported below */
  }
  return diag(fleetCodes.badRedisUrl, { value: redactUrl(url) });
}

/** The URL as printed: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = 'redacted';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':redacted@');
  }
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function checkQueueName(name: string): Diagnostic | undefined {
  return QUEUE_NAME.test(name) ? undefined : diag(fleetCodes.badQueueName, { name });
}

/** A plain client for imgc's own keys; fails within `timeoutMs` when Redis does not answer. */
export async function openRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: timeoutMs });
  client.on('error', () => {
    /* reported by the call that failed */
  });
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (e) {
    client.disconnect();
    throw new RedisUnreachable(url, (e as Error).message);
  }
}

export class RedisUnreachable extends Error {
  constructor(
    readonly url: string,
    readonly detail: string,
  ) {
    super(`cannot reach Redis at ${redactUrl(url)}: ${detail}`);
  }
  diagnostic(): Diagnostic {
    return diag(fleetCodes.redisUnreachable, { url: redactUrl(this.url), detail: this.detail });
  }
}
