import { useInput } from 'ink';
import type { Dispatch } from 'react';
import type { Act } from '../../pane-props.js';
import type { PresenceAction, PresenceRow } from './presence-state.js';

export interface PresenceKeysOptions {
  focused: boolean;
  rows: readonly PresenceRow[];
  selected: number;
  dispatch: Dispatch<PresenceAction>;
  act: Act;
}

export function usePresenceKeys({ focused, rows, selected, dispatch, act }: PresenceKeysOptions): void {
  useInput(
    (input, key) => {
      if (key.upArrow) dispatch({ type: 'select', by: -1, count: rows.length });
      else if (key.downArrow) dispatch({ type: 'select', by: 1, count: rows.length });
      else if (input === ' ' || key.return) {
        const row = rows[selected];
        if (!row) return;
        const name = row.name;
        void act(`let ${name} ${row.isHome ? 'out' : 'in'}`, (actions) => actions.toggle(name));
      }
    },
    { isActive: focused },
  );
}
