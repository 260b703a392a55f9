import { useInput } from 'ink';
import { readFieldKey } from '../../field-keys.js';
import { parseConsoleLine } from './command.js';
import type { ConsoleSource } from './console-client.js';
import type { ConsoleInput, ConsoleInputAction } from './console-state.js';

export interface ConsoleKeysOptions {
  focused: boolean;
  state: ConsoleInput;
  dispatch: (action: ConsoleInputAction) => void;
  source: ConsoleSource;
  /** Output lines one PgUp moves. */
  page: number;
  lineCount: number;
}

export function useConsoleKeys({ focused, state, dispatch, source, page, lineCount }: ConsoleKeysOptions): void {
  useInput(
    (input, key) => {
      // Scrolling and history work in and out of the field: they type nothing.
      if (key.pageUp) return dispatch({ type: 'scroll', by: page, lines: lineCount });
      if (key.pageDown) return dispatch({ type: 'scroll', by: -page, lines: lineCount });
      if (!state.inField) {
        if (key.return || input === 'i') dispatch({ type: 'enter' });
        else if (key.end) dispatch({ type: 'scroll', by: -lineCount, lines: lineCount });
        return;
      }
      if (key.upArrow) return dispatch({ type: 'older' });
      if (key.downArrow) return dispatch({ type: 'newer' });
      const field = readFieldKey(input, key);
      if (field.kind === 'cancel') dispatch({ type: 'leave' });
      else if (field.kind === 'erase') dispatch({ type: 'erase' });
      else if (field.kind === 'type') dispatch({ type: 'type', text: field.text });
      else if (field.kind === 'submit') {
        const line = state.text.trim();
        if (line === '') return;
        dispatch({ type: 'sent' });
        source.type(line, parseConsoleLine(line));
      }
    },
    { isActive: focused },
  );
}
