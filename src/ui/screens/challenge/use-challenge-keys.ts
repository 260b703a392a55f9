import { useInput } from 'ink';
import type { ChallengeAction } from './challenge-state.js';

export interface ChallengeKeysOptions {
  focused: boolean;
  dispatch: (action: ChallengeAction) => void;
  runSolver: () => void;
  solverRunning: boolean;
}

export function useChallengeKeys({ focused, dispatch, runSolver, solverRunning }: ChallengeKeysOptions): void {
  useInput(
    (input, key) => {
      if (input === 's' && !solverRunning) runSolver();
      else if (key.upArrow) dispatch({ type: 'select', by: -1 });
      else if (key.downArrow) dispatch({ type: 'select', by: 1 });
      else if (key.end) dispatch({ type: 'follow-newest' });
    },
    { isActive: focused },
  );
}
