import { commandOf } from '../../keys/key-table.js';
import { useKeys } from '../../keys/use-keys.js';
import type { ChallengeAction } from './challenge-state.js';

export interface ChallengeKeysOptions {
  focused: boolean;
  dispatch: (action: ChallengeAction) => void;
  runSolver: () => void;
}

export function useChallengeKeys({ focused, dispatch, runSolver }: ChallengeKeysOptions): void {
  useKeys(
    'challenge',
    {
      editing: () => false,
      handle: (press) => {
        const command = commandOf('challenge', press);
        // runSolver itself ignores s while a run is going.
        if (command === 'run-solver') runSolver();
        else if (command === 'up') dispatch({ type: 'select', by: -1 });
        else if (command === 'down') dispatch({ type: 'select', by: 1 });
        else if (command === 'follow') dispatch({ type: 'follow-newest' });
        else return false;
        return true;
      },
    },
    focused,
  );
}
