import type { HomeActions, HomeView, HomeViewSource } from '../sim/view-types.js';

/** Where the home will be, shown in the status bar while the broker and devices start. */
export interface StartingPlace {
  url: string;
  dataFile: string;
  defaultSetpoint: number;
}

/**
 * The home before it runs: the frame appears at once with "starting…" in the status bar, and
 * the panes fill in as soon as the broker and the devices are up.
 */
export function startingView(place: StartingPlace): { source: HomeViewSource; actions: HomeActions } {
  const view: HomeView = {
    broker: { url: place.url, connected: false, problem: 'starting the broker and the devices…', clients: 0, messagesPerSecond: 0, dataFile: place.dataFile },
    users: [],
    thermostat: {
      setpoint: place.defaultSetpoint,
      forUser: null,
      queue: [],
      roomTemperature: place.defaultSetpoint,
      heating: false,
      history: [],
      updatedAt: 0,
    },
    smartObjects: [],
    log: [],
    loading: true,
  };
  const notYet = () => Promise.reject(new Error('the home is still starting; try again in a moment'));
  return {
    source: { getSnapshot: () => view, subscribe: () => () => {} },
    actions: { register: notYet, changeTemperature: notYet, remove: notYet, toggle: notYet, switchObject: notYet },
  };
}
