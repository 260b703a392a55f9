import { useInput } from 'ink';
import type { Dispatch } from 'react';
import type { SmartObjectView } from '../../../sim/view-types.js';
import type { Act } from '../../pane-props.js';
import { toggled, type SmartObjectAction } from './smart-object-state.js';

export interface SmartObjectKeysOptions {
  focused: boolean;
  object: SmartObjectView | undefined;
  count: number;
  dispatch: Dispatch<SmartObjectAction>;
  act: Act;
}

export function useSmartObjectKeys({ focused, object, count, dispatch, act }: SmartObjectKeysOptions): void {
  useInput(
    (input, key) => {
      if (key.leftArrow) return dispatch({ type: 'choose', by: -1, count });
      if (key.rightArrow) return dispatch({ type: 'choose', by: 1, count });
      if (!object) return;
      let value: 'ON' | 'OFF' | null = null;
      if (input === 'o') value = 'ON';
      else if (input === 'f') value = 'OFF';
      else if (input === ' ') value = toggled(object.switch);
      if (value === null) return;
      const id = object.id;
      const switchTo = value;
      void act(`switch ${id} ${switchTo}`, (actions) => actions.switchObject(id, switchTo));
    },
    { isActive: focused },
  );
}
