import type { TrafficEntry } from '../wire/traffic.js';

/**
 * The home as the UI sees it. Built only from MQTT messages (a monitor client) and the
 * broker's traffic log, never by reading device objects.
 */

/** A person known from `smart_home/user_data` and `smart_home/presence_data`. */
export interface UserView {
  name: string;
  /** Preferred temperature in °C. */
  temperature: number;
  isHome: boolean;
}

export interface TemperatureSample {
  /** Epoch ms. */
  time: number;
  room: number;
  setpoint: number;
}

export interface ThermostatView {
  setpoint: number;
  /** Whom the setpoint is for; null when nobody is home (default setpoint). */
  forUser: string | null;
  /** People at home in arrival order. */
  queue: string[];
  roomTemperature: number;
  heating: boolean;
  /** Room temperature against the setpoint over the last minutes, oldest first. */
  history: TemperatureSample[];
  /** Epoch ms of the last state message; 0 = none seen yet. */
  updatedAt: number;
}

export interface SmartObjectEventView {
  type: string;
  value: number;
  /** Epoch ms the event happened (from its timestamp). */
  time: number;
}

export interface SmartObjectView {
  id: string;
  producer?: string;
  softwareVersion?: string;
  switch: 'ON' | 'OFF' | 'unknown';
  temperature?: number;
  /** Last temperatures, oldest first, for the sparkline. */
  history: number[];
  /** Temperature above the over-heating line, while switched on. */
  alert: boolean;
  /** The over-heating line in °C (data/home.json's overHeatingAbove). */
  alertAbove: number;
  lastEvent?: SmartObjectEventView;
  /** The controller's pending action, if one is scheduled. */
  controllerPending?: { action: 'ON' | 'OFF'; dueAt: number };
}

export interface BrokerView {
  /** The URL clients use to reach the broker the home runs on. */
  url: string;
  /** Whether the UI's own clients are connected to it. */
  connected: boolean;
  /** A sentence while reconnecting or failed, shown in the status bar. */
  problem?: string;
  /** Connected clients; null when the broker does not say (an outside broker without $SYS). */
  clients: number | null;
  /** Messages a second: the embedded broker's count, or with --broker the messages the home sees. */
  messagesPerSecond: number;
  dataFile: string;
  /** A scenario's progress or result (`--scenario`), shown in the status bar. */
  scenario?: string;
}

export interface HomeView {
  broker: BrokerView;
  /** Registered users in registration order. */
  users: UserView[];
  thermostat: ThermostatView;
  smartObjects: SmartObjectView[];
  /** The newest traffic-log entries, oldest first (bounded). */
  log: TrafficEntry[];
  /**
   * True until the home's retained state has arrived (the door locker's roster and each smart
   * object of the home's roster): "nobody registered yet" is not yet known to be true.
   */
  loading: boolean;
}

/** What panes can do. Each call publishes through the acting app's own MQTT client. */
export interface HomeActions {
  register(name: string, temperature: number): Promise<void>;
  changeTemperature(name: string, temperature: number): Promise<void>;
  remove(name: string): Promise<void>;
  /** Door locker: the person passes the door (home <-> away). */
  toggle(name: string): Promise<void>;
  switchObject(id: string, value: 'ON' | 'OFF'): Promise<void>;
}

/** A source of view state that React can subscribe to (useSyncExternalStore). */
export interface HomeViewSource {
  getSnapshot(): HomeView;
  subscribe(onChange: () => void): () => void;
}
