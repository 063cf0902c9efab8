/**
 * The one updating line a build shows on a terminal: the step, its package count, its current
 * sub-step (the tool's latest output line, or a note) and the step's elapsed time. A timer
 * redraws it every second, so a long quiet sub-step (update-initramfs after the last package)
 * still shows time passing; it is cut to the terminal's width, the elapsed time always kept.
 */
const CONTROL = /[\u0000-\u001f\u007f]|\u001b\[[0-9;?]*[A-Za-z]/g;

export function oneLine(text: string): string {
  return text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

function cut(text: string, max: number): string {
  if (max <= 0) return '';
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

export class StatusLine {
  private head = '';
  private packages = '';
  private sub = '';
  private started = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private shown = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly columns: () => number,
    private readonly tickMs = 1000,
  ) {}

  /** A new step: resets the sub-step and starts the clock at `startedAt` (ms since the epoch). */
  start(head: string, startedAt: number): void {
    this.head = head;
    this.packages = '';
    this.sub = '';
    this.started = startedAt;
    this.timer ??= setInterval(() => this.draw(), this.tickMs);
    this.timer.unref?.();
    this.draw();
  }

  update(change: { packages?: string; sub?: string }): void {
    if (!this.timer) return;
    if (change.packages !== undefined) this.packages = change.packages;
    if (change.sub !== undefined) this.sub = oneLine(change.sub);
    this.draw();
  }

  /** Writes a permanent line above the status line, which is redrawn under it while a step runs. */
  print(line: string): void {
    this.erase();
    this.write(`${line}\n`);
    if (this.timer) this.draw();
  }

  /** The step ended: no status line until the next one starts. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.erase();
  }

  /** Step number, package count and elapsed time always show; the title and sub-step share the rest. */
  text(now = Date.now()): string {
    const width = Math.max(30, (this.columns() || 80) - 1);
    const elapsed = ` ${((now - this.started) / 1000).toFixed(1)} s`;
    const room = width - ` …${this.packages}${elapsed}`.length;
    const sub = this.sub ? Math.min(this.sub.length, Math.floor(room / 2)) : 0;
    const headRoom = sub >= 8 ? Math.min(this.head.length, room - 3 - sub) : room;
    const subRoom = room - headRoom - 3;
    const tail = sub >= 8 ? ` · ${cut(this.sub, subRoom)}` : '';
    // the title is cut without its own ellipsis: the " …" that follows already says there is more
    return `${this.head.slice(0, Math.max(0, headRoom)).trimEnd()} …${this.packages}${tail}${elapsed}`;
  }

  private erase(): void {
    if (this.shown) this.write('\r\x1b[2K');
    this.shown = false;
  }

  private draw(): void {
    this.write(`\r\x1b[2K${this.text()}`);
    this.shown = true;
  }
}
