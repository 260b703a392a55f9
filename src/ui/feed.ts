/** React's side of a feed: the whole state, or one slice of it so a change elsewhere renders nothing. */
import { useCallback, useState, useSyncExternalStore } from 'react';
import { Feed } from '../sim/feed.js';

export { Feed } from '../sim/feed.js';

/** Anything with a snapshot and change listeners: a Feed, the home view. */
export interface Readable<S> {
  getSnapshot(): S;
  subscribe(listener: () => void): () => void;
}

/**
 * One slice of the state; the component renders again only when that slice changes (by identity,
 * so a selector returns a part of the state, not a new object).
 */
export function useSlice<S, T>(source: Readable<S>, select: (state: S) => T): T {
  const subscribe = useCallback((onChange: () => void) => source.subscribe(onChange), [source]);
  const read = () => select(source.getSnapshot());
  return useSyncExternalStore(subscribe, read, read);
}

const whole = <S,>(state: S): S => state;

export function useFeed<S>(source: Readable<S>): S {
  return useSlice(source, whole);
}

/**
 * A component's own feed: key handlers read and change it at once, before React renders, so the
 * next key of a fast burst already sees what the one before did.
 */
export function useOwnFeed<S, A>(reducer: (state: S, action: A) => S, initial: S): [S, Feed<S, A>] {
  const [feed] = useState(() => new Feed(initial, reducer));
  return [useFeed(feed), feed];
}
