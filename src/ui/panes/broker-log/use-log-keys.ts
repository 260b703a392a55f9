import type { HomeViewSource } from '../../../sim/view-types.js';
import type { Feed } from '../../feed.js';
import { readFieldKey } from '../../field-keys.js';
import { commandOf } from '../../keys/key-table.js';
import { useKeys } from '../../keys/use-keys.js';
import { bottomIndex, filterEntries, isTypingFilter, type LogAction, type LogState } from './log-state.js';

export interface LogKeysOptions {
  focused: boolean;
  feed: Feed<LogState, LogAction>;
  home: HomeViewSource;
  page: number;
}

export function useLogKeys({ focused, feed, home, page }: LogKeysOptions): void {
  useKeys(
    'log',
    {
      editing: () => isTypingFilter(feed.getSnapshot()),
      subscribe: feed.subscribe,
      handle: (press) => {
        const state = feed.getSnapshot();
        const dispatch = feed.dispatch;
        if (state.draft !== null) {
          const field = readFieldKey(press);
          if (field.kind === 'submit') dispatch({ type: 'apply-filter' });
          else if (field.kind === 'cancel') dispatch({ type: 'cancel-filter' });
          else if (field.kind === 'erase') dispatch({ type: 'erase' });
          else if (field.kind === 'type') dispatch({ type: 'type', text: field.text });
          return true;
        }
        const live = home.getSnapshot().log;
        const shown = () => filterEntries(state.frozen ?? live, state.filter);
        const command = commandOf('log', press);
        if (state.opened !== null && (command === 'open-line' || press.name === 'escape')) {
          dispatch({ type: 'close' });
          return true;
        }
        switch (command) {
          case 'open-line': {
            const entries = shown();
            const entry = entries[bottomIndex(entries, state.anchorSeq)];
            if (entry?.topic !== undefined && (entry.kind === 'publish' || entry.kind === 'bad-payload')) dispatch({ type: 'open', entry });
            return true;
          }
          case 'up':
            dispatch({ type: 'scroll', by: -1, shown: shown(), page });
            return true;
          case 'down':
            dispatch({ type: 'scroll', by: 1, shown: shown(), page });
            return true;
          case 'page-up':
            dispatch({ type: 'scroll', by: -page, shown: shown(), page });
            return true;
          case 'page-down':
            dispatch({ type: 'scroll', by: page, shown: shown(), page });
            return true;
          case 'oldest': {
            const entries = shown();
            dispatch({ type: 'scroll', by: -entries.length, shown: entries, page });
            return true;
          }
          case 'follow':
            dispatch({ type: 'follow' });
            return true;
          case 'filter':
            dispatch({ type: 'start-filter' });
            return true;
          case 'pause':
            dispatch(state.frozen ? { type: 'resume' } : { type: 'pause', log: live });
            return true;
          default:
            return false;
        }
      },
    },
    focused,
  );
}
