import { useCallback, useSyncExternalStore } from 'react';
import type { HomeView, HomeViewSource } from '../sim/view-types.js';

/** The current view of the home; re-renders when the source says it changed (it coalesces floods). */
export function useHomeView(source: HomeViewSource): HomeView {
  const subscribe = useCallback((onChange: () => void) => source.subscribe(onChange), [source]);
  const getSnapshot = useCallback(() => source.getSnapshot(), [source]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
