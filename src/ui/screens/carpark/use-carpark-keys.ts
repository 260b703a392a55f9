import { commandOf } from '../../keys/key-table.js';
import { useKeys } from '../../keys/use-keys.js';

export interface CarparkKeysOptions {
  focused: boolean;
  /** The selected lot now; undefined before any lot is known. */
  lot: () => string | undefined;
  select: (by: number) => void;
  send: (lot: string, passage: 'entry' | 'exit') => void;
}

export function useCarparkKeys({ focused, lot, select, send }: CarparkKeysOptions): void {
  useKeys(
    'carpark',
    {
      editing: () => false,
      handle: (press) => {
        const command = commandOf('carpark', press);
        if (command === 'up') select(-1);
        else if (command === 'down') select(1);
        else if (command === 'car-in' || command === 'car-out') {
          const id = lot();
          if (id !== undefined) send(id, command === 'car-in' ? 'entry' : 'exit');
        } else return false;
        return true;
      },
    },
    focused,
  );
}
