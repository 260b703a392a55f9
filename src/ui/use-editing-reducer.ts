import { useCallback, useReducer, useRef } from 'react';

/**
 * A pane's reducer that tells the App, in the same keystroke, whether a text field now takes every
 * key. Reporting from an effect would be a render late: the next key (a fast "1" or "q") would
 * still reach the global handler.
 */
export function useEditingReducer<State, Action>(
  reducer: (state: State, action: Action) => State,
  initial: State,
  isEditing: (state: State) => boolean,
  onEditingChange: (editing: boolean) => void,
): [State, (action: Action) => void] {
  const [state, setState] = useReducer((_: State, next: State) => next, initial);
  // The newest state, also between a dispatch and the render it causes (several keys in one read).
  const latest = useRef(state);
  const dispatch = useCallback(
    (action: Action) => {
      const before = latest.current;
      const next = reducer(before, action);
      latest.current = next;
      if (isEditing(next) !== isEditing(before)) onEditingChange(isEditing(next));
      setState(next);
    },
    [reducer, isEditing, onEditingChange],
  );
  return [state, dispatch];
}
