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
 * The wall clock, `speed` times faster: time and every timer of the home runs X times faster,
 * so the models tick the same steps in a tenth of the wall time at x10 (`scenario --speed`).
 */
export function scaledClock(speed: number, base: Clock = realClock()): Clock {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * speed,
    setTimeout: (run, ms) => base.setTimeout(run, ms / speed),
    clearTimeout: (handle) => base.clearTimeout(handle),
    setInterval: (run, ms) => base.setInterval(run, ms / speed),
    clearInterval: (handle) => base.clearInterval(handle),
  };
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
