import { filterProblem, topicMatches } from '../../../wire/topic-filter.js';
import type { TrafficEntry } from '../../../wire/traffic.js';

export interface LogState {
  /** Seq of the bottom visible entry while scrolled back; null = follow the newest. */
  anchorSeq: number | null;
  /** While paused: the entries as they were when `p` was pressed. */
  frozen: readonly TrafficEntry[] | null;
  /** Applied filter: a part of the topic or client id; '' shows all. */
  filter: string;
  /** The filter being typed; null when not typing. */
  draft: string | null;
  /** The line opened whole; null = none. */
  opened: TrafficEntry | null;
}

export type LogAction =
  | { type: 'scroll'; by: number; shown: readonly TrafficEntry[]; page: number }
  | { type: 'follow' }
  | { type: 'pause'; log: readonly TrafficEntry[] }
  | { type: 'resume' }
  | { type: 'start-filter' }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'apply-filter' }
  | { type: 'cancel-filter' }
  | { type: 'open'; entry: TrafficEntry }
  | { type: 'close' };

export const initialLogState: LogState = { anchorSeq: null, frozen: null, filter: '', draft: null, opened: null };

export function isTypingFilter(state: LogState): boolean {
  return state.draft !== null;
}

export function logReducer(state: LogState, action: LogAction): LogState {
  switch (action.type) {
    case 'scroll': {
      const { shown, page } = action;
      if (shown.length === 0) return state;
      const last = shown.length - 1;
      const bottom = bottomIndex(shown, state.anchorSeq);
      const next = Math.min(last, Math.max(Math.min(page - 1, last), bottom + action.by));
      return { ...state, anchorSeq: next >= last ? null : shown[next]!.seq };
    }
    case 'follow':
      return { ...state, anchorSeq: null };
    case 'pause':
      // A copy: the live log may be a ring buffer that changes under us.
      return { ...state, frozen: action.log.slice() };
    case 'resume':
      return { ...state, frozen: null };
    case 'start-filter':
      return { ...state, draft: state.filter };
    case 'type':
      return state.draft === null ? state : { ...state, draft: state.draft + action.text };
    case 'erase':
      return state.draft === null ? state : { ...state, draft: Array.from(state.draft).slice(0, -1).join('') };
    case 'apply-filter':
      return state.draft === null ? state : { ...state, filter: state.draft.trim(), draft: null, anchorSeq: null };
    case 'cancel-filter':
      return { ...state, draft: null };
    case 'open':
      return { ...state, opened: action.entry };
    case 'close':
      return state.opened === null ? state : { ...state, opened: null };
  }
}

/** Whether the filter is an MQTT topic filter (it has a wildcard and is valid) rather than text. */
export function isWildcardFilter(filter: string): boolean {
  return (filter.includes('+') || filter.includes('#')) && filterProblem(filter) === undefined;
}

/** Entries matching the filter: with + or #, topics it matches as an MQTT filter; else text in the topic or client id, any case. */
export function filterEntries(entries: readonly TrafficEntry[], filter: string): readonly TrafficEntry[] {
  if (!filter) return entries;
  if (isWildcardFilter(filter)) return entries.filter((entry) => entry.topic !== undefined && topicMatches(filter, entry.topic));
  const needle = filter.toLowerCase();
  return entries.filter(
    (entry) => entry.clientId.toLowerCase().includes(needle) || (entry.topic?.toLowerCase().includes(needle) ?? false),
  );
}

/** Index of the bottom visible entry: the newest, or the last one at or before the anchor. */
export function bottomIndex(shown: readonly TrafficEntry[], anchorSeq: number | null): number {
  if (anchorSeq === null) return shown.length - 1;
  // Entries are in seq order: binary search for the last seq <= anchor.
  let low = 0;
  let high = shown.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (shown[middle]!.seq <= anchorSeq) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** The slice that fits `page` lines, and how many arrived since a pause. */
export function visibleEntries(
  state: LogState,
  shown: readonly TrafficEntry[],
  live: readonly TrafficEntry[],
  page: number,
): { lines: readonly TrafficEntry[]; newSincePause: number } {
  const bottom = Math.max(Math.min(page - 1, shown.length - 1), bottomIndex(shown, state.anchorSeq));
  const lines = shown.slice(Math.max(0, bottom - page + 1), bottom + 1);
  let newSincePause = 0;
  if (state.frozen) {
    const lastSeen = state.frozen.at(-1)?.seq ?? -Infinity;
    newSincePause = live.length - 1 - bottomIndex(live, lastSeen);
  }
  return { lines, newSincePause };
}
