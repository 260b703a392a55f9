/**
 * What a screen's MQTT client has heard, folded by a pure reducer, and readable by React through
 * useSyncExternalStore. Messages arrive outside React, so the state lives here, not in a hook.
 */
import { useCallback, useSyncExternalStore } from 'react';

export class Feed<S, A> {
  private state: S;
  private readonly listeners = new Set<() => void>();

  constructor(
    initial: S,
    private readonly reducer: (state: S, action: A) => S,
  ) {
    this.state = initial;
  }

  /** Bound, so a screen can hand it to a key hook as it is. */
  dispatch = (action: A): void => {
    const next = this.reducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  };

  getSnapshot = (): S => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export function useFeed<S, A>(feed: Feed<S, A>): S {
  const subscribe = useCallback((onChange: () => void) => feed.subscribe(onChange), [feed]);
  return useSyncExternalStore(subscribe, feed.getSnapshot, feed.getSnapshot);
}
