import { useInput } from 'ink';

export interface PlaygroundKeysOptions {
  focused: boolean;
  select: (by: number) => void;
  toggle: () => void;
  rate: (by: 1 | -1) => void;
  publishAsAlice: () => void;
}

export function usePlaygroundKeys({ focused, select, toggle, rate, publishAsAlice }: PlaygroundKeysOptions): void {
  useInput(
    (input, key) => {
      if (key.upArrow) select(-1);
      else if (key.downArrow) select(1);
      else if (input === ' ') toggle();
      // = is + without Shift on most keyboards.
      else if (input === '+' || input === '=') rate(1);
      else if (input === '-') rate(-1);
      else if (input === 'a') publishAsAlice();
    },
    { isActive: focused },
  );
}
