/**
 * Time and chance for the simulated home, injectable so tests run minutes of the home in
 * milliseconds and a seed replays the same temperatures.
 */

export type TimerHandle = { readonly timer: number };

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(run: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(run: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

/** The wall clock. */
export function realClock(): Clock {
  const running = new Map<number, NodeJS.Timeout>();
  let next = 1;
  const add = (timer: NodeJS.Timeout): TimerHandle => {
    const handle = { timer: next++ };
    running.set(handle.timer, timer);
    return handle;
  };
  const clear = (handle: TimerHandle | undefined) => {
    if (handle === undefined) return;
    const timer = running.get(handle.timer);
    if (timer !== undefined) {
      clearTimeout(timer);
      running.delete(handle.timer);
    }
  };
  return {
    now: () => Date.now(),
    setTimeout(run, ms) {
      const handle = add(
        setTimeout(() => {
          running.delete(handle.timer);
          run();
        }, ms),
      );
      return handle;
    },
    clearTimeout: clear,
    setInterval: (run, ms) => add(setInterval(run, ms)),
    clearInterval: clear,
  };
}

/**
 * The wall clock `speed` times faster (`scenario --speed`): time and every timer of the home run X
 * times faster, so the models take the same steps in a tenth of the wall time at x10. It stands
 * still until `start()`, so a slow start-up costs the models no steps and every speed starts alike.
 */
export class FastClock implements Clock {
  readonly #base = realClock();
  readonly #origin = Date.now();
  #startedAt: number | undefined;
  #nextId = 1;
  /** Our handle -> the running timer, or what to start once the clock runs. */
  readonly #timers = new Map<number, TimerHandle | { run: () => void; ms: number; every: boolean }>();

  constructor(readonly speed: number) {}

  now(): number {
    return this.#startedAt === undefined ? this.#origin : this.#origin + (Date.now() - this.#startedAt) * this.speed;
  }

  start(): void {
    if (this.#startedAt !== undefined) return;
    this.#startedAt = Date.now();
    for (const [id, timer] of this.#timers) if ('run' in timer) this.#timers.set(id, this.#schedule(id, timer.run, timer.ms, timer.every));
  }

  setTimeout(run: () => void, ms: number): TimerHandle {
    return this.#add(run, ms, false);
  }

  setInterval(run: () => void, ms: number): TimerHandle {
    return this.#add(run, ms, true);
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    const timer = this.#timers.get(handle.timer);
    this.#timers.delete(handle.timer);
    if (timer !== undefined && !('run' in timer)) this.#base.clearTimeout(timer);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  #add(run: () => void, ms: number, every: boolean): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, this.#startedAt === undefined ? { run, ms, every } : this.#schedule(id, run, ms, every));
    return { timer: id };
  }

  #schedule(id: number, run: () => void, ms: number, every: boolean): TimerHandle {
    if (every) return this.#base.setInterval(run, ms / this.speed);
    return this.#base.setTimeout(() => {
      this.#timers.delete(id);
      run();
    }, ms / this.speed);
  }
}

interface ManualTimer {
  id: number;
  due: number;
  every?: number;
  run: () => void;
}

/** A clock that only moves when told to; timers fire in due order during `advance`. */
export class ManualClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, ManualTimer>();

  constructor(start = Date.UTC(2024, 0, 1, 12, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): TimerHandle {
    return this.add(run, ms);
  }

  setInterval(run: () => void, ms: number): TimerHandle {
    // A zero period would make `advance` loop forever.
    return this.add(run, ms, Math.max(1, ms));
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.timers.delete(handle.timer);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  /** Timers not yet fired (intervals count once). */
  pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, running every timer that falls due, earliest first. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let soonest: ManualTimer | undefined;
      for (const timer of this.timers.values()) {
        if (timer.due <= end && (soonest === undefined || timer.due < soonest.due)) soonest = timer;
      }
      if (soonest === undefined) break;
      this.time = Math.max(this.time, soonest.due);
      if (soonest.every === undefined) this.timers.delete(soonest.id);
      else soonest.due += soonest.every;
      soonest.run();
    }
    this.time = end;
  }

  private add(run: () => void, ms: number, every?: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.time + Math.max(0, ms), every, run });
    return { timer: id };
  }
}

/** A random source in [0, 1). */
export type Random = () => number;

/** mulberry32: small, fast and good enough for simulated sensor noise; same seed, same run. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
