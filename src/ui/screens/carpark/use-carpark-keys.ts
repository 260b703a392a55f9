import { useInput } from 'ink';

export interface CarparkKeysOptions {
  focused: boolean;
  /** The selected lot; undefined before any lot is known. */
  lot: string | undefined;
  select: (by: number) => void;
  send: (lot: string, passage: 'entry' | 'exit') => void;
}

export function useCarparkKeys({ focused, lot, select, send }: CarparkKeysOptions): void {
  useInput(
    (input, key) => {
      if (key.upArrow) return select(-1);
      if (key.downArrow) return select(1);
      if (lot === undefined) return;
      if (input === 'i') send(lot, 'entry');
      else if (input === 'o') send(lot, 'exit');
    },
    { isActive: focused },
  );
}
