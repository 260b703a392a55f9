import type { HomeView } from '../../../sim/view-types.js';

export interface PresenceState {
  selected: number;
}

export type PresenceAction = { type: 'select'; by: number; count: number };

export const initialPresenceState: PresenceState = { selected: 0 };

export function presenceReducer(state: PresenceState, action: PresenceAction): PresenceState {
  if (action.count === 0) return { selected: 0 };
  const current = Math.min(state.selected, action.count - 1);
  return { selected: Math.min(action.count - 1, Math.max(0, current + action.by)) };
}

export interface PresenceRow {
  name: string;
  isHome: boolean;
  /** 1 = arrived first among those at home (the setpoint is theirs); null when away. */
  arrival: number | null;
}

/** Each person with home/away and arrival order from the thermostat's queue. */
export function presenceRows(view: HomeView): PresenceRow[] {
  return view.users.map((user) => {
    const index = view.thermostat.queue.indexOf(user.name);
    return { name: user.name, isHome: user.isHome, arrival: index === -1 ? null : index + 1 };
  });
}
