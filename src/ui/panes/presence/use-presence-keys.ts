import type { HomeViewSource } from '../../../sim/view-types.js';
import type { Feed } from '../../feed.js';
import { commandOf } from '../../keys/key-table.js';
import { useKeys } from '../../keys/use-keys.js';
import { selectedRow, type Selection, type SelectionAction } from '../../list-selection.js';
import type { Act } from '../../pane-props.js';

export interface PresenceKeysOptions {
  focused: boolean;
  feed: Feed<Selection, SelectionAction>;
  home: HomeViewSource;
  act: Act;
}

export function usePresenceKeys({ focused, feed, home, act }: PresenceKeysOptions): void {
  useKeys(
    'presence',
    {
      editing: () => false,
      handle: (press) => {
        const users = home.getSnapshot().users;
        const command = commandOf('presence', press);
        if (command === 'up' || command === 'down') {
          feed.dispatch({ type: 'select', by: command === 'up' ? -1 : 1, count: users.length });
          return true;
        }
        if (command !== 'let-through') return false;
        const user = users[selectedRow(feed.getSnapshot().selected, users.length)];
        if (user) void act(`let ${user.name} ${user.isHome ? 'out' : 'in'}`, (actions) => actions.toggle(user.name));
        return true;
      },
    },
    focused,
  );
}
