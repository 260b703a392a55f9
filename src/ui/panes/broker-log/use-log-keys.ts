import { useInput } from 'ink';
import type { TrafficEntry } from '../../../wire/traffic.js';
import { readFieldKey } from '../../field-keys.js';
import type { LogAction, LogState } from './log-state.js';

export interface LogKeysOptions {
  focused: boolean;
  state: LogState;
  dispatch: (action: LogAction) => void;
  shown: readonly TrafficEntry[];
  live: readonly TrafficEntry[];
  page: number;
}

export function useLogKeys({ focused, state, dispatch, shown, live, page }: LogKeysOptions): void {
  useInput(
    (input, key) => {
      if (state.draft !== null) {
        const field = readFieldKey(input, key);
        if (field.kind === 'submit') dispatch({ type: 'apply-filter' });
        else if (field.kind === 'cancel') dispatch({ type: 'cancel-filter' });
        else if (field.kind === 'erase') dispatch({ type: 'erase' });
        else if (field.kind === 'type') dispatch({ type: 'type', text: field.text });
        return;
      }
      if (key.upArrow) dispatch({ type: 'scroll', by: -1, shown, page });
      else if (key.downArrow) dispatch({ type: 'scroll', by: 1, shown, page });
      else if (key.pageUp) dispatch({ type: 'scroll', by: -page, shown, page });
      else if (key.pageDown) dispatch({ type: 'scroll', by: page, shown, page });
      else if (key.home) dispatch({ type: 'scroll', by: -shown.length, shown, page });
      else if (key.end) dispatch({ type: 'follow' });
      else if (input === '/') dispatch({ type: 'start-filter' });
      else if (input === 'p') dispatch(state.frozen ? { type: 'resume' } : { type: 'pause', log: live });
    },
    { isActive: focused },
  );
}
