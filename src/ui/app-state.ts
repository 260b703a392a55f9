/** Where the App is: the focused pane, the shown screen, the overlay and the footer's last notice. */
import type { PaneId } from './layout.js';

export const PANE_ORDER: readonly PaneId[] = ['log', 'register', 'presence', 'thermostat', 'smart-object'];

export const PANE_TITLES: Record<PaneId, string> = {
  log: 'Broker log',
  register: 'Register',
  presence: 'Presence',
  thermostat: 'Thermostat',
  'smart-object': 'Smart object',
};

export type Overlay = 'none' | 'help';

export interface Notice {
  text: string;
  /** 'error': an action failed; 'info': an action was sent; 'waiting': it goes out once the home is up. */
  kind: 'error' | 'info' | 'waiting';
}

export interface AppState {
  focus: PaneId;
  /** 0 is the home; 1.. are the screens beside it. */
  screen: number;
  /** `]` (+1) and `[` (-1) pressed while the screens were still starting: taken once they are there. */
  screenMovesWaiting: number;
  overlay: Overlay;
  notice: Notice | null;
}

export type AppAction =
  | { type: 'move-focus'; by: 1 | -1 }
  | { type: 'focus'; pane: PaneId }
  /** count: the home and its screens; 0 while the screens are still starting. */
  | { type: 'move-screen'; by: 1 | -1; count: number }
  | { type: 'screens-ready'; count: number }
  | { type: 'overlay'; overlay: Overlay }
  | { type: 'notice'; notice: Notice | null };

export const initialAppState: AppState = { focus: 'log', screen: 0, screenMovesWaiting: 0, overlay: 'none', notice: null };

const screenAfter = (screen: number, by: number, count: number) => (((screen + by) % count) + count) % count;

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'move-focus': {
      const index = PANE_ORDER.indexOf(state.focus);
      return { ...state, focus: PANE_ORDER[(index + action.by + PANE_ORDER.length) % PANE_ORDER.length]! };
    }
    case 'focus':
      return state.focus === action.pane ? state : { ...state, focus: action.pane };
    case 'move-screen':
      if (action.count === 0) {
        return { ...state, screenMovesWaiting: state.screenMovesWaiting + action.by, notice: { kind: 'waiting', text: 'screens open once the home is up…' } };
      }
      // A notice is about the screen it was made on.
      return { ...state, screen: screenAfter(state.screen, action.by, action.count), notice: null };
    case 'screens-ready':
      if (state.screenMovesWaiting === 0) return state;
      return { ...state, screen: screenAfter(state.screen, state.screenMovesWaiting, action.count), screenMovesWaiting: 0, notice: null };
    case 'overlay':
      return state.overlay === action.overlay ? state : { ...state, overlay: action.overlay };
    case 'notice':
      return state.notice === action.notice ? state : { ...state, notice: action.notice };
  }
}
