/** Typed build events. The CLI renders them for a TTY, as plain timestamped lines, or as NDJSON. */
import type { Diagnostic } from '../diagnostics/types.js';

interface Base {
  /** ISO timestamp */
  time: string;
}

export type BuildEvent = Base &
  (
    | {
        event: 'build-start';
        backend: string;
        steps: number;
        outputs: string[];
        cacheDir: string;
        workDir: string;
      }
    | { event: 'lock-wait'; holder: number }
    | { event: 'step-start'; id: string; type: string; title: string; index: number; total: number }
    | { event: 'step-cached'; id: string; type: string; title: string; index: number; total: number }
    | { event: 'step-progress'; id: string; packages?: { done: number; total?: number }; note?: string }
    | { event: 'log'; id: string; line: string }
    | { event: 'step-end'; id: string; type: string; title: string; elapsedMs: number; saved?: boolean }
    | { event: 'output'; type: string; path: string; sizeBytes: number }
    | { event: 'diagnostic'; diagnostic: Diagnostic }
    | { event: 'build-end'; ok: boolean; elapsedMs: number; interrupted?: string }
  );

type Distribute<T> = T extends unknown ? Omit<T, 'time'> : never;
export type BuildEventInput = Distribute<BuildEvent>;

export type EventSink = (event: BuildEvent) => void;

export function stamp(event: BuildEventInput): BuildEvent {
  return { time: new Date().toISOString(), ...event } as BuildEvent;
}
