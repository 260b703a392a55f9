import type { ChallengeSighting } from '../../../sim/challenge/watch.js';
import type { PacketLine, SolverOutcome } from '../../../sim/challenge/solver.js';
import { isRightReply, type ChallengeCommand } from '../../../wire/index.js';

export interface ReplySeen {
  word: string;
  right: boolean;
  /** How often a reply came for this command (the original client repeats them). */
  times: number;
  /** Every distinct wrong word sent for this command, oldest first: a mistake stays on the board once corrected. */
  wrong: string[];
}

export interface ChallengeRunView {
  clientId: string;
  uuid: string | null;
  /** Epoch ms of the login. */
  at: number;
  bySolver: boolean;
  /** As the service sent them: any order, repeats allowed. */
  commands: ChallengeCommand[];
  replies: Partial<Record<ChallengeCommand, ReplySeen>>;
  wrongReplies: number;
  done: boolean;
}

export interface HandshakeLine {
  at: number;
  packet: PacketLine;
}

export type SolverStatus =
  | { state: 'idle' }
  | { state: 'running'; clientId: string }
  | { state: 'done'; clientId: string }
  | { state: 'failed'; clientId: string; reason: string };

export interface ChallengeBoard {
  /** Oldest first. */
  runs: ChallengeRunView[];
  /** The solver's packets, oldest first. */
  handshake: HandshakeLine[];
  solver: SolverStatus;
  /** The run shown in detail; null = the newest. */
  selected: number | null;
}

export type ChallengeAction =
  | { type: 'seen'; sighting: ChallengeSighting; at: number }
  | { type: 'solver-started'; clientId: string }
  | { type: 'solver-packet'; packet: PacketLine; at: number }
  | { type: 'solver-finished'; outcome: SolverOutcome }
  | { type: 'select'; by: number }
  | { type: 'follow-newest' };

export const MAX_RUNS = 50;
export const MAX_HANDSHAKE_LINES = 300;

export const initialChallengeBoard: ChallengeBoard = { runs: [], handshake: [], solver: { state: 'idle' }, selected: null };

function solverId(board: ChallengeBoard): string | undefined {
  return board.solver.state === 'idle' ? undefined : board.solver.clientId;
}

function lastIndex<T>(items: readonly T[], match: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (match(items[i]!)) return i;
  return -1;
}

function updateRun(board: ChallengeBoard, uuid: string, change: (run: ChallengeRunView) => ChallengeRunView): ChallengeBoard {
  const index = lastIndex(board.runs, (run) => run.uuid === uuid);
  if (index < 0) return board;
  const runs = [...board.runs];
  runs[index] = change(runs[index]!);
  return { ...board, runs };
}

function addRun(board: ChallengeBoard, run: ChallengeRunView): ChallengeBoard {
  const runs = [...board.runs, run];
  const dropped = Math.max(0, runs.length - MAX_RUNS);
  const selected = board.selected === null ? null : Math.max(0, board.selected - dropped);
  return { ...board, runs: runs.slice(dropped), selected };
}

function newRun(board: ChallengeBoard, clientId: string, at: number, uuid: string | null): ChallengeRunView {
  return { clientId, uuid, at, bySolver: clientId === solverId(board), commands: [], replies: {}, wrongReplies: 0, done: false };
}

function seen(board: ChallengeBoard, sighting: ChallengeSighting, at: number): ChallengeBoard {
  switch (sighting.kind) {
    case 'login':
      return addRun(board, newRun(board, sighting.clientId, at, null));
    case 'uuid': {
      const index = lastIndex(board.runs, (run) => run.clientId === sighting.clientId && run.uuid === null);
      // The login may have come before the watch started listening.
      if (index < 0) return addRun(board, newRun(board, sighting.clientId, at, sighting.uuid));
      const runs = [...board.runs];
      runs[index] = { ...runs[index]!, uuid: sighting.uuid };
      return { ...board, runs };
    }
    case 'command':
      return updateRun(board, sighting.uuid, (run) => ({ ...run, commands: [...run.commands, sighting.command] }));
    case 'reply':
      return updateRun(board, sighting.uuid, (run) => {
        const right = isRightReply(sighting.command, sighting.word);
        const before = run.replies[sighting.command];
        // A right word stays right: a later wrong duplicate does not undo what the service counted.
        const kept = before?.right && !right ? before : { word: sighting.word, right };
        const wrong = before?.wrong ?? [];
        const reply: ReplySeen = {
          word: kept.word,
          right: kept.right,
          times: (before?.times ?? 0) + 1,
          wrong: right || wrong.includes(sighting.word) ? wrong : [...wrong, sighting.word],
        };
        return {
          ...run,
          replies: { ...run.replies, [sighting.command]: reply },
          wrongReplies: run.wrongReplies + (right ? 0 : 1),
        };
      });
    case 'done':
      return updateRun(board, sighting.uuid, (run) => ({ ...run, done: true }));
  }
}

export function challengeReducer(board: ChallengeBoard, action: ChallengeAction): ChallengeBoard {
  switch (action.type) {
    case 'seen':
      return seen(board, action.sighting, action.at);
    case 'solver-started':
      // A new run of the solver starts a fresh handshake and shows its run.
      return { ...board, solver: { state: 'running', clientId: action.clientId }, handshake: [], selected: null };
    case 'solver-packet': {
      const handshake = [...board.handshake, { at: action.at, packet: action.packet }];
      return { ...board, handshake: handshake.slice(-MAX_HANDSHAKE_LINES) };
    }
    case 'solver-finished': {
      if (board.solver.state === 'idle') return board;
      const { clientId } = board.solver;
      const solver: SolverStatus = action.outcome.ok ? { state: 'done', clientId } : { state: 'failed', clientId, reason: action.outcome.reason };
      return { ...board, solver };
    }
    case 'select': {
      if (board.runs.length === 0) return board;
      const current = board.selected ?? board.runs.length - 1;
      const next = Math.min(board.runs.length - 1, Math.max(0, current + action.by));
      return { ...board, selected: next === board.runs.length - 1 ? null : next };
    }
    case 'follow-newest':
      return { ...board, selected: null };
  }
}

/** The run shown in detail. */
export function shownRun(board: ChallengeBoard): ChallengeRunView | undefined {
  return board.runs[board.selected ?? board.runs.length - 1];
}

/** "3/5" right replies of the distinct commands asked, or the state before commands came. */
export function runProgress(run: ChallengeRunView): string {
  if (run.done) return 'well done';
  if (run.uuid === null) return 'waiting for UUID';
  if (run.commands.length === 0) return 'waiting for commands';
  const asked = [...new Set(run.commands)];
  const right = asked.filter((command) => run.replies[command]?.right).length;
  return `${right}/${asked.length} right`;
}
