import type { HomeActions, HomeView, HomeViewSource } from '../sim/view-types.js';

/** Where the home will be, shown in the status bar while the broker and devices start. */
export interface StartingPlace {
  url: string;
  dataFile: string;
  defaultSetpoint: number;
}

/** The actions of a home still starting: each waits, in order, and goes out once the home is up. */
export interface StartingActions extends HomeActions {
  /** True until the started home's actions are handed over. */
  readonly waiting: boolean;
  handOver(actions: HomeActions): void;
}

export function isWaiting(actions: HomeActions): boolean {
  return (actions as Partial<StartingActions>).waiting === true;
}

export function isStarting(actions: HomeActions): actions is StartingActions {
  return typeof (actions as Partial<StartingActions>).handOver === 'function';
}

/** Actions that wait for the real ones; the first handOver lets everything queued go out, oldest first. */
export function waitingActions(): StartingActions {
  let handOver!: (actions: HomeActions) => void;
  const ready = new Promise<HomeActions>((resolve) => (handOver = resolve));
  let waiting = true;
  const later =
    <K extends keyof HomeActions>(name: K) =>
    (...args: Parameters<HomeActions[K]>): Promise<void> =>
      ready.then((actions) => (actions[name] as (...a: Parameters<HomeActions[K]>) => Promise<void>)(...args));
  return {
    get waiting() {
      return waiting;
    },
    handOver(actions) {
      waiting = false;
      handOver(actions);
    },
    register: later('register'),
    changeTemperature: later('changeTemperature'),
    remove: later('remove'),
    toggle: later('toggle'),
    switchObject: later('switchObject'),
  };
}

/**
 * The home before it runs: the frame appears at once with "starting…" in the status bar, and
 * the panes fill in as soon as the broker and the devices are up. What a person does meanwhile
 * waits and goes out then.
 */
export function startingView(place: StartingPlace): { source: HomeViewSource; actions: StartingActions } {
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
  return {
    source: { getSnapshot: () => view, subscribe: () => () => {} },
    actions: waitingActions(),
  };
}
