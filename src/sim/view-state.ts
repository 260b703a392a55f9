/**
 * The home as the UI sees it, built only from MQTT messages (a monitor client of its own) and
 * the broker's traffic log. Snapshots are immutable, so React's useSyncExternalStore can compare
 * them by identity; subscribers are told at most every ~33 ms however fast messages arrive.
 */
import type { MqttClient } from 'mqtt';
import { payloadPreview, safeText } from '../wire/preview.js';
import type { TrafficEntry } from '../wire/traffic.js';
import { realClock, type Clock } from './clock.js';
import { closeConnection, nextRetryMs, openConnection, uniqueClientId, type Login } from './connection.js';
import type { HomeDefaults } from './defaults.js';
import type { BrokerView, HomeView, HomeViewSource, SmartObjectView, ThermostatView, UserView } from './view-types.js';
import {
  checkPayload,
  controllerState,
  deviceDescriptor,
  deviceEvent,
  filters,
  matchTopic,
  switchMessage,
  temperatureMessage,
  thermostatState,
  userRecord,
  userRoster,
  type KnownTopic,
  type UserRecord,
} from '../wire/index.js';

export interface ViewStateOptions {
  url: string;
  login?: Login;
  clock?: Clock;
  /** data/home.json, as the program read it. */
  defaults: HomeDefaults;
  clientId?: string;
  /**
   * With an outside broker there is no traffic log to push: subscribe to '#' and log every
   * message seen (publishing client unknown).
   */
  monitorAll?: boolean;
  /** Set when the embedded broker already logs bad payloads with the publishing client. */
  brokerChecksPayloads?: boolean;
  /** Where the view's own log lines go (the run's one log, which hands them back through pushTraffic); unset = kept here. */
  log?: (entry: Omit<TrafficEntry, 'seq' | 'time'>) => void;
  /** Log entries kept; default 2000. */
  logSize?: number;
  /** Thermostat history kept; default 5 minutes. */
  historyMs?: number;
  /** Temperatures kept per smart object for the sparkline; default 60. */
  sparklineLength?: number;
  /** Least time between two notifications; default 33 ms. */
  notifyEveryMs?: number;
  broker?: Partial<BrokerView>;
}

const PREVIEW_CHARS = 120;

export class HomeViewState implements HomeViewSource {
  readonly clientId: string;
  private client: MqttClient | undefined;
  private readonly clock: Clock;
  private readonly logSize: number;
  private readonly historyMs: number;
  private readonly sparklineLength: number;
  private readonly notifyEveryMs: number;
  private readonly overHeatingAbove: number;
  /** The home's own smart objects: the view is loaded once each has spoken. */
  private readonly rosterObjects: readonly string[];
  private rosterSeen = false;

  private broker: BrokerView;
  private users: UserView[] = [];
  private thermostat: ThermostatView;
  private readonly objects = new Map<string, SmartObjectView>();
  private objectList: SmartObjectView[] = [];
  private log: TrafficEntry[] = [];
  private logView: TrafficEntry[] = [];
  private seq = 0;

  private snapshot: HomeView;
  private dirty = false;
  private objectsDirty = false;
  /** Devices seen sending telemetry, events or controller state on the smart object's topics. */
  private readonly smartObjectIds = new Set<string>();
  private logDirty = false;
  private readonly listeners = new Set<() => void>();
  private notifyTimer: NodeJS.Timeout | undefined;
  private lastNotify = 0;

  constructor(private readonly options: ViewStateOptions) {
    const defaults = options.defaults;
    this.clientId = options.clientId ?? uniqueClientId('view');
    this.clock = options.clock ?? realClock();
    this.logSize = options.logSize ?? 2000;
    this.historyMs = options.historyMs ?? 5 * 60_000;
    this.sparklineLength = options.sparklineLength ?? 60;
    this.notifyEveryMs = options.notifyEveryMs ?? 33;
    this.overHeatingAbove = defaults.smartObjects.overHeatingAbove;
    this.rosterObjects = defaults.smartObjects.roster;
    // An outside broker may never say how many clients it has; until it does, that is unknown.
    const clients = options.monitorAll ? null : 0;
    this.broker = { url: options.url, connected: false, clients, messagesPerSecond: 0, dataFile: '', ...options.broker };
    this.thermostat = {
      setpoint: defaults.thermostat.defaultSetpoint,
      forUser: null,
      queue: [],
      roomTemperature: defaults.thermostat.defaultSetpoint,
      heating: false,
      history: [],
      updatedAt: 0,
    };
    this.snapshot = this.build();
  }

  async start(): Promise<void> {
    const client = await openConnection(this.options.url, this.clientId, this.options.login);
    this.client = client;
    this.setBroker({ connected: true, problem: undefined });
    const url = this.options.url;
    // One log line when the broker goes and one when it is back, however many attempts lie between.
    let lost = false;
    client.on('connect', () => {
      if (lost) this.addLog({ kind: 'info', detail: `Reached the broker at ${url} again.` });
      lost = false;
      this.setBroker({ connected: true, problem: undefined });
    });
    client.on('offline', () => {
      if (!lost) this.addLog({ kind: 'info', detail: `Lost the broker at ${url}; trying again after 1 s, then less often (up to every 30 s).` });
      lost = true;
      this.setBroker({ connected: false, problem: `Lost the broker at ${url}; reconnecting…` });
    });
    client.on('error', (error: Error & { code?: string | number }) => {
      if (client.connected) return;
      const wait = Math.round(nextRetryMs(client) / 1000);
      this.setBroker({ connected: false, problem: `Cannot reach the broker at ${url} (${error.code ?? error.message}); trying again within ${wait} s…` });
    });
    client.on('message', (topic, payload, packet) => this.receive(topic, payload, packet.qos, packet.retain));
    // '#' does not reach $SYS topics: the client count of an outside broker is asked for by name.
    const wanted = this.options.monitorAll ? [filters.everything, filters.brokerClients] : [...filters.home];
    await client.subscribeAsync(wanted, { qos: 1 });
  }

  async stop(): Promise<void> {
    if (this.notifyTimer !== undefined) clearTimeout(this.notifyTimer);
    this.notifyTimer = undefined;
    this.listeners.clear();
    await closeConnection(this.client);
    this.client = undefined;
  }

  getSnapshot = (): HomeView => {
    if (this.dirty) {
      this.snapshot = this.build();
      this.dirty = false;
    }
    return this.snapshot;
  };

  subscribe = (onChange: () => void): (() => void) => {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  };

  /** Entries from the embedded broker's traffic log. */
  pushTraffic(entries: readonly TrafficEntry[]): void {
    if (entries.length === 0) return;
    for (const entry of entries) this.log.push(entry);
    this.trimLog();
  }

  setBroker(partial: Partial<BrokerView>): void {
    this.broker = { ...this.broker, ...partial };
    this.changed();
  }

  // -------------------------------------------------------------------------------------------

  /** Messages the view saw in the last second (with --broker, every message on the broker but $SYS). */
  messagesSeenPerSecond(): number {
    const since = this.clock.now() - 1000;
    let count = 0;
    for (let i = this.log.length - 1; i >= 0 && this.log[i]!.time > since; i--) if (this.log[i]!.kind === 'publish') count++;
    return count;
  }

  private receive(topic: string, payload: Buffer, qos: 0 | 1 | 2, retain: boolean): void {
    if (topic === filters.brokerClients) {
      const clients = Number(payload.toString('utf8'));
      if (Number.isInteger(clients) && clients >= 0) this.setBroker({ clients });
      return;
    }
    if (this.options.monitorAll) {
      this.addLog({ kind: 'publish', topic, qos, retain, size: payload.length, preview: payloadPreview(payload, PREVIEW_CHARS) });
    }
    const known = matchTopic(topic);
    // An empty payload clears a retained message; it says nothing about the home.
    if (known === null || payload.length === 0) return;
    const reason = this.apply(known, topic, payload);
    if (reason !== null && !this.options.brokerChecksPayloads) {
      this.addLog({ kind: 'bad-payload', topic, size: payload.length, preview: payloadPreview(payload, PREVIEW_CHARS), detail: reason });
    }
  }

  /** Applies one message; returns why it was refused, or null. */
  private apply(known: KnownTopic, topic: string, payload: Buffer): string | null {
    switch (known.kind) {
      case 'user-data':
      case 'presence-data': {
        const parsed = userRecord.parse(payload);
        if (!parsed.ok) return parsed.reason;
        this.applyUser(parsed.value, known.kind === 'presence-data');
        return null;
      }
      case 'user-roster': {
        const parsed = userRoster.parse(payload);
        if (!parsed.ok) return parsed.reason;
        this.users = parsed.value.map((entry) => ({ name: entry.userName, temperature: entry.temperature, isHome: entry.isHome }));
        this.rosterSeen = true;
        this.changed();
        return null;
      }
      case 'thermostat-state': {
        const parsed = thermostatState.parse(payload);
        if (!parsed.ok) return parsed.reason;
        const state = parsed.value;
        const now = this.clock.now();
        const sample = { time: now, room: state.roomTemperature, setpoint: state.setpoint };
        const history = [...this.thermostat.history.filter((old) => old.time > now - this.historyMs), sample];
        this.thermostat = {
          setpoint: state.setpoint,
          forUser: state.forUser,
          queue: state.queue,
          roomTemperature: state.roomTemperature,
          heating: state.heating,
          history,
          updatedAt: now,
        };
        this.changed();
        return null;
      }
      case 'device-info': {
        const parsed = deviceDescriptor.parse(payload);
        if (!parsed.ok) return parsed.reason;
        this.updateObject(known.deviceId, { producer: parsed.value.producer, softwareVersion: parsed.value.softwareVersion });
        return null;
      }
      case 'switch-telemetry': {
        this.smartObjectIds.add(known.deviceId);
        const parsed = switchMessage.parse(payload);
        if (!parsed.ok) return parsed.reason;
        this.updateObject(known.deviceId, { switch: parsed.value.value });
        return null;
      }
      case 'temperature-telemetry': {
        this.smartObjectIds.add(known.deviceId);
        const parsed = temperatureMessage.parse(payload);
        if (!parsed.ok) return parsed.reason;
        const value = parsed.value.value;
        const old = this.objects.get(known.deviceId)?.history ?? [];
        const history = [...old.slice(Math.max(0, old.length - this.sparklineLength + 1)), value];
        this.updateObject(known.deviceId, { temperature: value, history, alert: value > this.overHeatingAbove });
        return null;
      }
      case 'event': {
        this.smartObjectIds.add(known.deviceId);
        const parsed = deviceEvent.parse(payload);
        if (!parsed.ok) return parsed.reason;
        const event = parsed.value;
        this.updateObject(known.deviceId, {
          lastEvent: { type: event.eventType, value: event.eventValue, time: event.timestamp * 1000 },
        });
        return null;
      }
      case 'controller': {
        this.smartObjectIds.add(known.deviceId);
        const parsed = controllerState.parse(payload);
        if (!parsed.ok) return parsed.reason;
        const state = parsed.value;
        this.updateObject(known.deviceId, {
          controllerPending: state.pending === null ? undefined : { action: state.pending, dueAt: state.due },
        });
        return null;
      }
      default: {
        // Topics the view shows nothing for (car park, challenge...) are still checked.
        return checkPayload(topic, payload);
      }
    }
  }

  /** Registration says who exists and what they prefer; only presence says who is in. */
  private applyUser(record: UserRecord, presence: boolean): void {
    const index = this.users.findIndex((user) => user.name === record.userName);
    if (record.appInfo === '-1') {
      if (index < 0) return;
      this.users = this.users.filter((_, i) => i !== index);
    } else if (index < 0) {
      this.users = [...this.users, { name: record.userName, temperature: record.temperature, isHome: presence && record.isHome }];
    } else {
      const old = this.users[index]!;
      const next = { ...old, temperature: record.temperature, isHome: presence ? record.isHome : old.isHome };
      this.users = this.users.map((user, i) => (i === index ? next : user));
    }
    this.changed();
  }

  private updateObject(id: string, change: Partial<SmartObjectView>): void {
    const old = this.objects.get(id) ?? { id, switch: 'unknown' as const, history: [], alert: false, alertAbove: this.overHeatingAbove };
    this.objects.set(id, { ...old, ...change });
    this.objectsDirty = true;
    this.changed();
  }

  /** A line from the home itself for the log, when no embedded broker keeps the log. */
  note(entry: Omit<TrafficEntry, 'seq' | 'time'>): void {
    if (this.options.log) return this.options.log(entry);
    this.seq += 1;
    // Wire text is escaped where a line is made, as the embedded broker does for its own lines:
    // the headless log prints these as they are.
    const line: TrafficEntry = { ...entry, seq: this.seq, time: this.clock.now(), clientId: safeText(entry.clientId) };
    if (entry.topic !== undefined) line.topic = safeText(entry.topic);
    if (entry.detail !== undefined) line.detail = safeText(entry.detail);
    this.log.push(line);
    this.trimLog();
  }

  private addLog(entry: Omit<TrafficEntry, 'seq' | 'time' | 'clientId'>): void {
    this.note({ clientId: '', ...entry });
  }

  private trimLog(): void {
    // Trim in batches so a flood does not shift the array on every message.
    if (this.log.length > this.logSize * 1.25) this.log = this.log.slice(this.log.length - this.logSize);
    this.logDirty = true;
    this.changed();
  }

  private build(): HomeView {
    if (this.objectsDirty) {
      // Only devices that speak like a smart object are listed; the playground's sensors only announce info.
      this.objectList = [...this.objects.values()]
        .filter((object) => this.smartObjectIds.has(object.id))
        .sort((a, b) => a.id.localeCompare(b.id));
      this.objectsDirty = false;
    }
    if (this.logDirty) {
      this.logView = this.log.length > this.logSize ? this.log.slice(this.log.length - this.logSize) : [...this.log];
      this.logDirty = false;
    }
    const loading = !this.rosterSeen || this.rosterObjects.some((id) => !this.smartObjectIds.has(id));
    return { broker: this.broker, users: this.users, thermostat: this.thermostat, smartObjects: this.objectList, log: this.logView, loading };
  }

  /** Marks the snapshot stale and tells subscribers, at most once per `notifyEveryMs`. */
  private changed(): void {
    this.dirty = true;
    if (this.notifyTimer !== undefined || this.listeners.size === 0) return;
    // Screen pacing is about real time, not the home's (possibly simulated) clock.
    const wait = Math.max(0, this.lastNotify + this.notifyEveryMs - Date.now());
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.lastNotify = Date.now();
      for (const listener of [...this.listeners]) listener();
    }, wait);
  }
}
