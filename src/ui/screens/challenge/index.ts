import { createElement } from 'react';
import { realClock, type Clock } from '../../../sim/clock.js';
import { uniqueClientId } from '../../../sim/connection.js';
import { startSolver, type SolverRun } from '../../../sim/challenge/solver.js';
import { startChallengeWatch } from '../../../sim/challenge/watch.js';
import type { RunningScreen, ScreenContext, ScreenProps } from '../../screens.js';
import { Feed } from '../../feed.js';
import { challengeReducer, initialChallengeBoard } from './challenge-state.js';
import { ChallengeScreen } from './Screen.js';

export interface ChallengeScreenOptions extends ScreenContext {
  /** Times the lines and the solver's give-up timer; tests pass a ManualClock. */
  clock?: Clock;
  /** The solver sends its replies again this often, as the original client; undefined = once. */
  resendEveryMs?: number;
}

/**
 * The Login challenge screen: its watch client follows every run on the broker (`login`,
 * `+/UUID`, then each run's topics), and `s` starts the built-in solver, whose packets it shows.
 */
export async function startChallengeScreen(options: ChallengeScreenOptions): Promise<RunningScreen> {
  const clock = options.clock ?? realClock();
  const board = new Feed(initialChallengeBoard, challengeReducer);
  const watch = await startChallengeWatch({
    url: options.url,
    login: options.login,
    onSighting: (sighting) => board.dispatch({ type: 'seen', sighting, at: clock.now() }),
  });
  let solver: SolverRun | undefined;
  let solving = false;
  let stopped = false;

  const runSolver = () => {
    if (solving || stopped) return;
    solving = true;
    const clientId = uniqueClientId('solver');
    board.dispatch({ type: 'solver-started', clientId });
    void startSolver({
      url: options.url,
      login: options.login,
      clock,
      clientId,
      resendEveryMs: options.resendEveryMs,
      onStep: (step) => {
        if (step.kind === 'packet') board.dispatch({ type: 'solver-packet', packet: step.packet, at: clock.now() });
      },
    })
      .then((run) => {
        solver = run;
        return run.finished;
      })
      .catch((error: unknown) => ({ ok: false as const, reason: error instanceof Error ? error.message : String(error) }))
      .then((outcome) => {
        solver = undefined;
        solving = false;
        board.dispatch({ type: 'solver-finished', outcome });
      });
  };

  function Component({ width, height, focused }: ScreenProps) {
    return createElement(ChallengeScreen, { width, height, focused, board, runSolver });
  }

  return {
    screen: { id: 'challenge', title: 'Challenge', Component },
    async stop() {
      stopped = true;
      await solver?.stop();
      await watch.stop();
    },
  };
}
