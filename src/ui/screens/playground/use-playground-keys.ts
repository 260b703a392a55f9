import { commandOf } from '../../keys/key-table.js';
import { useKeys } from '../../keys/use-keys.js';

export interface PlaygroundKeysOptions {
  focused: boolean;
  select: (by: number) => void;
  toggle: () => void;
  rate: (by: 1 | -1) => void;
  publishAsAlice: () => void;
}

export function usePlaygroundKeys({ focused, select, toggle, rate, publishAsAlice }: PlaygroundKeysOptions): void {
  useKeys(
    'playground',
    {
      editing: () => false,
      handle: (press) => {
        const command = commandOf('playground', press);
        if (command === 'up') select(-1);
        else if (command === 'down') select(1);
        else if (command === 'start-stop') toggle();
        else if (command === 'faster') rate(1);
        else if (command === 'slower') rate(-1);
        else if (command === 'alice-publishes') publishAsAlice();
        else return false;
        return true;
      },
    },
    focused,
  );
}
