import type { UserView } from '../../../sim/view-types.js';

export interface PresenceRow {
  name: string;
  isHome: boolean;
  /** 1 = arrived first among those at home (the setpoint is theirs); null when away. */
  arrival: number | null;
}

/** Each person with home/away and arrival order from the thermostat's queue. */
export function presenceRows(users: readonly UserView[], queue: readonly string[]): PresenceRow[] {
  return users.map((user) => {
    const index = queue.indexOf(user.name);
    return { name: user.name, isHome: user.isHome, arrival: index === -1 ? null : index + 1 };
  });
}
