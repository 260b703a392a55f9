import type { HomeViewSource } from '../../../sim/view-types.js';
import type { Feed } from '../../feed.js';
import { commandOf } from '../../keys/key-table.js';
import { useKeys } from '../../keys/use-keys.js';
import { selectedRow, type Selection, type SelectionAction } from '../../list-selection.js';
import type { Act } from '../../pane-props.js';
import { toggled } from './smart-object-state.js';

export interface SmartObjectKeysOptions {
  focused: boolean;
  feed: Feed<Selection, SelectionAction>;
  home: HomeViewSource;
  act: Act;
}

export function useSmartObjectKeys({ focused, feed, home, act }: SmartObjectKeysOptions): void {
  useKeys(
    'smart-object',
    {
      editing: () => false,
      handle: (press) => {
        const objects = home.getSnapshot().smartObjects;
        const command = commandOf('smart-object', press);
        if (command === 'left' || command === 'right') {
          // Wraps around: with two or three objects, Right always moves on.
          feed.dispatch({ type: 'select', by: command === 'left' ? -1 : 1, count: objects.length, wrap: true });
          return true;
        }
        const object = objects[selectedRow(feed.getSnapshot().selected, objects.length)];
        let value: 'ON' | 'OFF';
        if (command === 'switch-on') value = 'ON';
        else if (command === 'switch-off') value = 'OFF';
        else if (command === 'switch-toggle' && object) value = toggled(object.switch);
        else return command !== undefined;
        if (!object) return true;
        const id = object.id;
        void act(`switch ${id} ${value}`, (actions) => actions.switchObject(id, value));
        return true;
      },
    },
    focused,
  );
}
