import type { Feed } from '../../feed.js';
import { commandOf } from '../../keys/key-table.js';
import { useKeys } from '../../keys/use-keys.js';
import { parseConsoleLine } from './command.js';
import type { ConsoleSource } from './console-client.js';
import { isEditing, type ConsoleInput, type ConsoleInputAction } from './console-state.js';

export interface ConsoleKeysOptions {
  focused: boolean;
  feed: Feed<ConsoleInput, ConsoleInputAction>;
  source: ConsoleSource;
  /** Output lines one PgUp moves. */
  page: number;
}

export function useConsoleKeys({ focused, feed, source, page }: ConsoleKeysOptions): void {
  useKeys(
    'console',
    {
      editing: () => isEditing(feed.getSnapshot()),
      subscribe: feed.subscribe,
      handle: (press) => {
        const state = feed.getSnapshot();
        const dispatch = feed.dispatch;
        const lines = source.getSnapshot().lines.length;
        if (!state.inField) {
          switch (commandOf('console', press)) {
            case 'to-line':
              dispatch({ type: 'enter' });
              return true;
            case 'page-up':
              dispatch({ type: 'scroll', by: page, lines });
              return true;
            case 'page-down':
              dispatch({ type: 'scroll', by: -page, lines });
              return true;
            case 'follow':
              dispatch({ type: 'scroll', by: -lines, lines });
              return true;
            default:
              return false;
          }
        }
        switch (commandOf('console-line', press)) {
          case 'page-up':
            dispatch({ type: 'scroll', by: page, lines });
            break;
          case 'page-down':
            dispatch({ type: 'scroll', by: -page, lines });
            break;
          case 'older':
            dispatch({ type: 'older' });
            break;
          case 'newer':
            dispatch({ type: 'newer' });
            break;
          case 'cancel':
            dispatch({ type: 'leave' });
            break;
          case 'erase':
            dispatch({ type: 'erase' });
            break;
          case 'run-line': {
            const line = state.text.trim();
            if (line === '') break;
            dispatch({ type: 'sent' });
            source.type(line, parseConsoleLine(line));
            break;
          }
          default:
            if (press.text && !press.ctrl) dispatch({ type: 'type', text: press.text });
        }
        return true;
      },
    },
    focused,
  );
}
