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
 * The wall clock `speed` times faster (`scenario --speed`), so the models take the same steps in a
 * tenth of the wall time at x10. Time moves from timer to timer, each on a turn of its own: when
 * the machine is busy the home's time falls behind the wall instead of skipping steps, so a
 * model never misses a tick. It stands still until `start()`, so every speed starts alike.
 */
export class FastClock implements Clock {
  #time = Date.now();
  #wallStart = 0;
  #timeStart = 0;
  #started = false;
  #nextId = 1;
  readonly #timers = new Map<number, { due: number; every?: number; run: () => void }>();
  #pump: NodeJS.Timeout | undefined;

  constructor(readonly speed: number) {}

  now(): number {
    return this.#time;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#wallStart = Date.now();
    this.#timeStart = this.#time;
    this.#wake();
  }

  /** No timer runs after this. */
  stop(): void {
    this.#started = false;
    clearTimeout(this.#pump);
  }

  setTimeout(run: () => void, ms: number): TimerHandle {
    return this.#add(run, ms);
  }

  setInterval(run: () => void, ms: number): TimerHandle {
    return this.#add(run, ms, Math.max(1, ms));
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.#timers.delete(handle.timer);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  #add(run: () => void, ms: number, every?: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { due: this.#time + Math.max(0, ms), every, run });
    // The pump may be asleep until a later timer.
    if (this.#started) this.#wake();
    return { timer: id };
  }

  #wake(): void {
    clearTimeout(this.#pump);
    this.#pump = setTimeout(() => this.#step(), 0);
    this.#pump.unref();
  }

  /** Runs the soonest timer that the wall clock says is due, or sleeps until one is. */
  #step(): void {
    if (!this.#started) return;
    const wallTime = this.#timeStart + (Date.now() - this.#wallStart) * this.speed;
    let soonest: { due: number; every?: number; run: () => void } | undefined;
    let soonestId = 0;
    for (const [id, timer] of this.#timers) {
      if (soonest === undefined || timer.due < soonest.due) [soonest, soonestId] = [timer, id];
    }
    if (soonest !== undefined && soonest.due <= wallTime) {
      this.#time = Math.max(this.#time, soonest.due);
      if (soonest.every === undefined) this.#timers.delete(soonestId);
      else soonest.due += soonest.every;
      // The next timer waits for a turn of the event loop, so the messages of this one go out first.
      this.#pump = setTimeout(() => this.#step(), 0);
      this.#pump.unref();
      soonest.run();
      return;
    }
    this.#time = Math.max(this.#time, wallTime);
    const wait = soonest === undefined ? 20 : Math.min(20, (soonest.due - this.#time) / this.speed);
    this.#pump = setTimeout(() => this.#step(), Math.max(0, wait));
    this.#pump.unref();
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
