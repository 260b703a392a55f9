/** The console's command line: what is typed, the history, and how far the output is scrolled back. */
export interface ConsoleInput {
  text: string;
  /** The line takes every key; Enter or i enters it (on purpose: `]` into the screen types nothing), Esc leaves it. */
  inField: boolean;
  /** Sent lines, oldest first. */
  history: string[];
  /** The history entry shown by ↑/↓; null = the line being typed. */
  browsing: number | null;
  /** The line being typed, kept while ↑/↓ show older ones. */
  draft: string;
  /** Output lines scrolled back from the newest; 0 = follow. */
  scroll: number;
}

export type ConsoleInputAction =
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'sent' }
  | { type: 'leave' }
  | { type: 'enter' }
  | { type: 'older' }
  | { type: 'newer' }
  | { type: 'scroll'; by: number; lines: number };

export const MAX_HISTORY = 100;

export const initialConsoleInput: ConsoleInput = { text: '', inField: false, history: [], browsing: null, draft: '', scroll: 0 };

export function consoleInputReducer(state: ConsoleInput, action: ConsoleInputAction): ConsoleInput {
  switch (action.type) {
    case 'type':
      return { ...state, text: state.text + action.text, browsing: null };
    case 'erase':
      return { ...state, text: Array.from(state.text).slice(0, -1).join(''), browsing: null };
    case 'sent': {
      const line = state.text.trim();
      if (line === '') return state;
      // The same line twice in a row is one history entry, as in a shell.
      const history = state.history.at(-1) === line ? state.history : [...state.history, line].slice(-MAX_HISTORY);
      return { ...state, text: '', history, browsing: null, draft: '', scroll: 0 };
    }
    case 'leave':
      return { ...state, inField: false };
    case 'enter':
      return { ...state, inField: true };
    case 'older': {
      if (state.history.length === 0) return state;
      const browsing = state.browsing === null ? state.history.length - 1 : Math.max(0, state.browsing - 1);
      const draft = state.browsing === null ? state.text : state.draft;
      return { ...state, browsing, draft, text: state.history[browsing]! };
    }
    case 'newer': {
      if (state.browsing === null) return state;
      if (state.browsing >= state.history.length - 1) return { ...state, browsing: null, text: state.draft };
      const browsing = state.browsing + 1;
      return { ...state, browsing, text: state.history[browsing]! };
    }
    case 'scroll':
      return { ...state, scroll: Math.min(Math.max(0, action.lines - 1), Math.max(0, state.scroll + action.by)) };
  }
}

export function isEditing(state: ConsoleInput): boolean {
  return state.inField;
}
