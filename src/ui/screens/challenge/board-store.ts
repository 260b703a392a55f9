import { challengeReducer, initialChallengeBoard, type ChallengeAction, type ChallengeBoard } from './challenge-state.js';

/**
 * The challenge board outside React: the watch and the solver report into it while the screen is
 * hidden too, and the screen reads it with useSyncExternalStore.
 */
export class ChallengeBoardStore {
  private board: ChallengeBoard;
  private readonly listeners = new Set<() => void>();

  constructor(initial: ChallengeBoard = initialChallengeBoard) {
    this.board = initial;
  }

  readonly getSnapshot = (): ChallengeBoard => this.board;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly dispatch = (action: ChallengeAction): void => {
    const next = challengeReducer(this.board, action);
    if (next === this.board) return;
    this.board = next;
    for (const listener of [...this.listeners]) listener();
  };
}
