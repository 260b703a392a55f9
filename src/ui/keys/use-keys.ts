import { useInput, type Key } from 'ink';
import { createContext, useCallback, useContext, useLayoutEffect, useMemo, useRef } from 'react';
import { keyPress } from './key-press.js';
import type { KeyRouter, KeyTarget } from './router.js';

export const KeyRouterContext = createContext<KeyRouter | null>(null);

/**
 * Gives a pane or screen its place in the key router under `id`. Shown alone, without the App's
 * router (as in its own tests), it reads the keys itself while `active`.
 */
export function useKeys(id: string, target: KeyTarget, active: boolean): void {
  const router = useContext(KeyRouterContext);
  const latest = useRef(target);
  latest.current = target;
  const stable = useMemo<KeyTarget>(
    () => ({
      editing: () => latest.current.editing(),
      handle: (press) => latest.current.handle(press),
      subscribe: (listener) => latest.current.subscribe?.(listener) ?? (() => {}),
    }),
    [],
  );
  useLayoutEffect(() => (router ? router.add(id, stable) : undefined), [router, id, stable]);
  const alone = useCallback((input: string, key: Key) => void stable.handle(keyPress(input, key)), [stable]);
  useInput(alone, { isActive: router === null && active });
}
