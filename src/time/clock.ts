/**
 * The one source of time for the machine, the gates, the providers' waits and the simulated world.
 * Compatible with XState's clock option (setTimeout/clearTimeout).
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** Resolves after `ms`; rejects with an AbortError when the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Marks real (not clock-driven) asynchronous work in progress, so a virtual clock does not jump ahead while a
   * hook command or a file write is still running. A no-op for the real clock.
   */
  track<T>(work: Promise<T>): Promise<T>;
}

export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function sleepWith(clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = (): void => {
      clock.clearTimeout(id);
      reject(abortError(signal));
    };
    const id = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Node's timers overflow past 2^31-1 ms (24.8 days) and then fire after 1 ms: longer waits are chained. */
const MAX_TIMER_MS = 2_147_483_647;

export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const handle: { timer?: ReturnType<typeof setTimeout> } = {};
    const arm = (left: number): void => {
      handle.timer = setTimeout(left > MAX_TIMER_MS ? () => arm(left - MAX_TIMER_MS) : fn, Math.min(left, MAX_TIMER_MS));
    };
    arm(Math.max(0, ms));
    return handle;
  }
  clearTimeout(id: unknown): void {
    clearTimeout((id as { timer?: ReturnType<typeof setTimeout> }).timer);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }
  track<T>(work: Promise<T>): Promise<T> {
    return work;
  }
}

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/**
 * Discrete-event time: nothing waits for real. `run(promise)` advances the clock to the next timer whenever
 * the process has nothing else to do, so a two-hour canary runs in milliseconds and always the same way.
 */
export class VirtualClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();
  private busy = 0;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(id: unknown): void {
    this.timers.delete(id as number);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.busy += 1;
    return work.finally(() => {
      this.busy -= 1;
    });
  }

  /** Number of timers waiting. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (let timer = this.earliest(); timer && timer.at <= until; timer = this.earliest()) this.fire(timer);
    this.time = Math.max(this.time, until);
  }

  /** Jumps to the earliest timer and fires it (and every other timer due at the same instant). */
  advanceToNext(): boolean {
    const first = this.earliest();
    if (!first) return false;
    for (let timer = this.earliest(); timer && timer.at === first.at; timer = this.earliest()) this.fire(timer);
    return true;
  }

  /**
   * Runs until `work` settles: lets every pending promise and I/O callback run, then jumps to the next timer.
   * Throws if the work is still pending while nothing is scheduled (a wait that can never end).
   */
  async run<T>(work: Promise<T>, options: { readonly maxMs?: number } = {}): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    const deadline = options.maxMs === undefined ? Infinity : this.time + options.maxMs;
    while (!settled) {
      await this.idle();
      if (settled) break;
      if (!this.earliest()) await this.waitForRealWork(() => settled);
      if (settled) break;
      const next = this.earliest();
      if (!next) throw new Error('virtual clock: the work is waiting but no timer is scheduled');
      if (next.at > deadline) throw new Error(`virtual clock: still running after ${options.maxMs} ms of simulated time`);
      this.advanceToNext();
    }
    return watched;
  }

  /**
   * Nothing is scheduled, yet the work is not done: real asynchronous work that nobody tracked may still be
   * running (a module loading on first use, a file read). Give it a few real seconds before calling it a hang.
   */
  private async waitForRealWork(done: () => boolean): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!done() && !this.earliest() && Date.now() < deadline) {
      await new Promise<void>((resolve) => setTimeout(resolve, 2));
      await this.idle();
    }
  }

  /** Waits until microtasks, I/O callbacks and tracked real work have all finished. */
  private async idle(): Promise<void> {
    for (let quiet = 0; quiet < 2; ) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.busy > 0) {
        quiet = 0;
        await new Promise<void>((resolve) => setTimeout(resolve, 1));
      } else {
        quiet += 1;
      }
    }
  }

  private earliest(): Timer | undefined {
    let first: Timer | undefined;
    for (const timer of this.timers.values()) {
      if (!first || timer.at < first.at || (timer.at === first.at && timer.id < first.id)) first = timer;
    }
    return first;
  }

  private fire(timer: Timer): void {
    this.timers.delete(timer.id);
    this.time = Math.max(this.time, timer.at);
    timer.fn();
  }
}

/**
 * Real time sped up `speed` times: the demo runs minute-long bakes and one-minute alarm periods in seconds,
 * with the same numbers a real rollout would use.
 */
export class ScaledClock implements Clock {
  private readonly origin = Date.now();

  constructor(
    private readonly speed: number,
    private readonly start = Date.now(),
  ) {}

  now(): number {
    return this.start + (Date.now() - this.origin) * this.speed;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    return setTimeout(fn, ms / this.speed);
  }
  clearTimeout(id: unknown): void {
    clearTimeout(id as ReturnType<typeof setTimeout>);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }
  track<T>(work: Promise<T>): Promise<T> {
    return work;
  }
}
