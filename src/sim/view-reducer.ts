/**
 * The home as the UI sees it, as a pure reducer: each action is one fact heard over MQTT (a
 * user record, a thermostat state, a telemetry reading) or a batch of broker traffic. The view
 * state's MQTT client decodes messages into these actions; this is the state.
 */
import type { TrafficEntry } from '../wire/traffic.js';
import type { ThermostatState, UserRecord } from '../wire/index.js';
import type { BrokerView, HomeView, SmartObjectEventView, SmartObjectView, UserView } from './view-types.js';

export interface ViewLimits {
  /** Log entries kept. */
  logSize: number;
  /** Thermostat history kept, in ms of the home's clock. */
  historyMs: number;
  /** Temperatures kept per smart object for the sparkline. */
  sparklineLength: number;
  /** The smart object's over-heating line. */
  overHeatingAbove: number;
  /** The home's own smart objects: the view is loaded once each has spoken. */
  roster: readonly string[];
}

export type HomeViewAction =
  | { type: 'broker'; change: Partial<BrokerView> }
  | { type: 'user-record'; record: UserRecord; presence: boolean }
  | { type: 'user-roster'; users: UserView[] }
  | { type: 'thermostat'; state: ThermostatState; at: number }
  | { type: 'device-info'; deviceId: string; producer: string; softwareVersion: string }
  | { type: 'switch'; deviceId: string; value: SmartObjectView['switch'] }
  | { type: 'temperature'; deviceId: string; value: number }
  | { type: 'event'; deviceId: string; event: SmartObjectEventView }
  | { type: 'controller'; deviceId: string; pending: SmartObjectView['controllerPending'] }
  | { type: 'traffic'; entries: readonly TrafficEntry[] };

interface DeviceSeen {
  object: SmartObjectView;
  /** Sent telemetry, events or controller state on a smart object's topics; info alone is not enough. */
  speaks: boolean;
}

export interface HomeViewModel {
  limits: ViewLimits;
  view: HomeView;
  /** Every device heard of, the playground's sensors that only announce themselves too. */
  devices: ReadonlyMap<string, DeviceSeen>;
  /** The door locker's roster has arrived. */
  rosterSeen: boolean;
}

export function initialHomeViewModel(limits: ViewLimits, broker: BrokerView, defaultSetpoint: number): HomeViewModel {
  return {
    limits,
    devices: new Map(),
    rosterSeen: false,
    view: {
      broker,
      users: [],
      thermostat: { setpoint: defaultSetpoint, forUser: null, queue: [], roomTemperature: defaultSetpoint, heating: false, history: [], updatedAt: 0 },
      smartObjects: [],
      log: [],
      loading: true,
    },
  };
}

export function homeViewReducer(model: HomeViewModel, action: HomeViewAction): HomeViewModel {
  return homeViewReducerMany(model, [action]);
}

/**
 * Many actions at once, as they arrived between two frames: the device list and the log are
 * copied once per batch, not once per message, which a fleet of thousands of objects needs.
 */
export function homeViewReducerMany(model: HomeViewModel, actions: readonly HomeViewAction[]): HomeViewModel {
  const { limits } = model;
  let view = model.view;
  let devices: Map<string, DeviceSeen> | null = null;
  let rosterSeen = model.rosterSeen;
  const traffic: TrafficEntry[] = [];
  /** A device began to speak in this batch, so the list gets one more entry and is sorted again. */
  let listGrows = false;
  const device = (id: string, speaks: boolean, change: (object: SmartObjectView) => Partial<SmartObjectView>) => {
    devices ??= new Map(model.devices);
    const seen = devices.get(id) ?? { object: { id, switch: 'unknown' as const, history: [], alert: false, alertAbove: limits.overHeatingAbove }, speaks: false };
    if (speaks && !seen.speaks) listGrows = true;
    devices.set(id, { object: { ...seen.object, ...change(seen.object) }, speaks: seen.speaks || speaks });
  };

  for (const action of actions) {
    switch (action.type) {
      case 'broker':
        view = { ...view, broker: { ...view.broker, ...action.change } };
        break;
      case 'user-record': {
        const users = applyUser(view.users, action.record, action.presence);
        if (users !== view.users) view = { ...view, users };
        break;
      }
      case 'user-roster':
        view = { ...view, users: action.users };
        rosterSeen = true;
        break;
      case 'thermostat': {
        const { state, at } = action;
        const sample = { time: at, room: state.roomTemperature, setpoint: state.setpoint };
        const history = [...view.thermostat.history.filter((old) => old.time > at - limits.historyMs), sample];
        view = {
          ...view,
          thermostat: {
            setpoint: state.setpoint,
            forUser: state.forUser,
            queue: state.queue,
            roomTemperature: state.roomTemperature,
            heating: state.heating,
            history,
            updatedAt: at,
          },
        };
        break;
      }
      case 'device-info':
        device(action.deviceId, false, () => ({ producer: action.producer, softwareVersion: action.softwareVersion }));
        break;
      case 'switch':
        device(action.deviceId, true, () => ({ switch: action.value }));
        break;
      case 'temperature':
        device(action.deviceId, true, (old) => ({
          temperature: action.value,
          history: [...old.history.slice(Math.max(0, old.history.length - limits.sparklineLength + 1)), action.value],
          alert: action.value > limits.overHeatingAbove,
        }));
        break;
      case 'event':
        device(action.deviceId, true, () => ({ lastEvent: action.event }));
        break;
      case 'controller':
        device(action.deviceId, true, () => ({ controllerPending: action.pending }));
        break;
      case 'traffic':
        for (const entry of action.entries) traffic.push(entry);
        break;
    }
  }

  if (traffic.length > 0) {
    const log = view.log.concat(traffic);
    view = { ...view, log: log.length > limits.logSize ? log.slice(log.length - limits.logSize) : log };
  }
  const finished: ReadonlyMap<string, DeviceSeen> = devices ?? model.devices;
  if (devices !== null) {
    // Only devices that speak like a smart object are listed; the playground's sensors only announce info.
    // A device never stops speaking, so while none begins to, the list keeps its order and only
    // its entries change (unchanged entries stay the same objects).
    const smartObjects = listGrows
      ? [...finished.values()]
          .filter((seen) => seen.speaks)
          .map((seen) => seen.object)
          .sort((a, b) => a.id.localeCompare(b.id))
      : view.smartObjects.map((object) => finished.get(object.id)!.object);
    view = { ...view, smartObjects };
  }
  if (view.loading) {
    // "Nobody registered yet" is only true once the home's retained state has arrived.
    const loading = !rosterSeen || limits.roster.some((id) => !finished.get(id)?.speaks);
    if (!loading) view = { ...view, loading };
  }
  if (view === model.view && rosterSeen === model.rosterSeen) return model;
  return { limits, view, devices: finished, rosterSeen };
}

/** Registration says who exists and what they prefer; only presence says who is in. */
function applyUser(users: UserView[], record: UserRecord, presence: boolean): UserView[] {
  const index = users.findIndex((user) => user.name === record.userName);
  if (record.appInfo === '-1') return index < 0 ? users : users.filter((_, i) => i !== index);
  if (index < 0) return [...users, { name: record.userName, temperature: record.temperature, isHome: presence && record.isHome }];
  const old = users[index]!;
  const next = { ...old, temperature: record.temperature, isHome: presence ? record.isHome : old.isHome };
  return users.map((user, i) => (i === index ? next : user));
}
