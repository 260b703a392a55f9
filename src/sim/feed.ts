/**
 * State that changes outside React (MQTT messages, key presses handled before the next frame):
 * a pure reducer over typed actions, the newest state readable at once, and listeners told of
 * changes. The home view, the screens and the panes all keep their state this way.
 */
export interface FeedOptions<S, A> {
  /**
   * Least time between two notifications: a flood of actions still means a few renders. A
   * function is asked each time (see pacedByLoad). Undefined = tell listeners on every change.
   */
  notifyEveryMs?: number | (() => number);
  /**
   * Applies the actions that came since the state was last read, all at once (cheaper than one
   * by one for big states). With it, actions wait until the state is read or listeners are told.
   */
  reduceMany?: (state: S, actions: readonly A[]) => S;
}

const MAX_WAITING = 1024;

export class Feed<S, A> {
  private state: S;
  private waiting: A[] = [];
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private lastNotify = 0;

  constructor(
    initial: S,
    private readonly reducer: (state: S, action: A) => S,
    private readonly options: FeedOptions<S, A> = {},
  ) {
    this.state = initial;
  }

  /** Bound, so it can be handed on as it is. */
  dispatch = (action: A): void => {
    if (this.options.reduceMany) {
      this.waiting.push(action);
      // Nobody may read for a while (a headless home): the waiting list stays short anyway.
      if (this.waiting.length >= MAX_WAITING) this.getSnapshot();
      return this.changed();
    }
    const next = this.reducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    this.changed();
  };

  getSnapshot = (): S => {
    if (this.waiting.length > 0) this.state = this.options.reduceMany!(this.state, this.waiting.splice(0));
    return this.state;
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Stops a pending notification and forgets the listeners. */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private changed(): void {
    const every = this.options.notifyEveryMs;
    if (every === undefined) return this.notify();
    if (this.timer !== undefined || this.listeners.size === 0) return;
    // Screen pacing is about real time, not the home's (possibly simulated) clock.
    const wait = Math.max(0, this.lastNotify + (typeof every === 'function' ? every() : every) - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastNotify = Date.now();
      this.notify();
    }, wait);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
