/**
 * The home as the UI sees it, built only from MQTT messages (a monitor client of its own) and
 * the broker's traffic log. Its MQTT client turns each message into an action of the view's pure
 * reducer (view-reducer.ts), kept in a Feed like every other UI state. Snapshots are immutable,
 * so React's useSyncExternalStore can compare them (and their slices) by identity; subscribers are
 * told at most every ~33 ms however fast messages arrive.
 */
import type { MqttClient } from 'mqtt';
import { payloadPreview, safeText } from '../wire/preview.js';
import type { TrafficEntry } from '../wire/traffic.js';
import { realClock, type Clock } from './clock.js';
import { closeConnection, nextRetryMs, openConnection, uniqueClientId, type Login } from './connection.js';
import type { HomeDefaults } from './defaults.js';
import { Feed } from './feed.js';
import { homeViewReducer, homeViewReducerMany, initialHomeViewModel, type HomeViewAction, type HomeViewModel } from './view-reducer.js';
import type { BrokerView, HomeView, HomeViewSource } from './view-types.js';
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
  notifyEveryMs?: number | (() => number);
  broker?: Partial<BrokerView>;
}

const PREVIEW_CHARS = 120;

export class HomeViewState implements HomeViewSource {
  readonly clientId: string;
  private client: MqttClient | undefined;
  private readonly clock: Clock;
  private readonly feed: Feed<HomeViewModel, HomeViewAction>;
  private seq = 0;

  constructor(private readonly options: ViewStateOptions) {
    const defaults = options.defaults;
    this.clientId = options.clientId ?? uniqueClientId('view');
    this.clock = options.clock ?? realClock();
    const limits = {
      logSize: options.logSize ?? 2000,
      historyMs: options.historyMs ?? 5 * 60_000,
      sparklineLength: options.sparklineLength ?? 60,
      overHeatingAbove: defaults.smartObjects.overHeatingAbove,
      roster: defaults.smartObjects.roster,
    };
    // An outside broker may never say how many clients it has; until it does, that is unknown.
    const clients = options.monitorAll ? null : 0;
    const broker: BrokerView = { url: options.url, connected: false, clients, messagesPerSecond: 0, dataFile: '', ...options.broker };
    this.feed = new Feed(initialHomeViewModel(limits, broker, defaults.thermostat.defaultSetpoint), homeViewReducer, {
      notifyEveryMs: options.notifyEveryMs ?? 33,
      // A flood is folded once per frame, not once per message.
      reduceMany: homeViewReducerMany,
    });
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
    this.feed.close();
    await closeConnection(this.client);
    this.client = undefined;
  }

  getSnapshot = (): HomeView => this.feed.getSnapshot().view;

  subscribe = (onChange: () => void): (() => void) => this.feed.subscribe(onChange);

  /** Entries from the embedded broker's traffic log. */
  pushTraffic(entries: readonly TrafficEntry[]): void {
    if (entries.length === 0) return;
    this.feed.dispatch({ type: 'traffic', entries });
  }

  setBroker(change: Partial<BrokerView>): void {
    this.feed.dispatch({ type: 'broker', change });
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
    this.feed.dispatch({ type: 'traffic', entries: [line] });
  }

  // -------------------------------------------------------------------------------------------

  /** Messages the view saw in the last second (with --broker, every message on the broker but $SYS). */
  messagesSeenPerSecond(): number {
    const log = this.feed.getSnapshot().view.log;
    const since = this.clock.now() - 1000;
    let count = 0;
    for (let i = log.length - 1; i >= 0 && log[i]!.time > since; i--) if (log[i]!.kind === 'publish') count++;
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
    const decoded = this.decode(known, topic, payload);
    if (typeof decoded !== 'string') {
      if (decoded !== null) this.feed.dispatch(decoded);
    } else if (!this.options.brokerChecksPayloads) {
      this.addLog({ kind: 'bad-payload', topic, size: payload.length, preview: payloadPreview(payload, PREVIEW_CHARS), detail: decoded });
    }
  }

  /** One message as the view's action; a string says why it was refused; null = nothing to show. */
  private decode(known: KnownTopic, topic: string, payload: Buffer): HomeViewAction | string | null {
    switch (known.kind) {
      case 'user-data':
      case 'presence-data': {
        const parsed = userRecord.parse(payload);
        return parsed.ok ? { type: 'user-record', record: parsed.value, presence: known.kind === 'presence-data' } : parsed.reason;
      }
      case 'user-roster': {
        const parsed = userRoster.parse(payload);
        if (!parsed.ok) return parsed.reason;
        return { type: 'user-roster', users: parsed.value.map((entry) => ({ name: entry.userName, temperature: entry.temperature, isHome: entry.isHome })) };
      }
      case 'thermostat-state': {
        const parsed = thermostatState.parse(payload);
        return parsed.ok ? { type: 'thermostat', state: parsed.value, at: this.clock.now() } : parsed.reason;
      }
      case 'device-info': {
        const parsed = deviceDescriptor.parse(payload);
        if (!parsed.ok) return parsed.reason;
        return { type: 'device-info', deviceId: known.deviceId, producer: parsed.value.producer, softwareVersion: parsed.value.softwareVersion };
      }
      case 'switch-telemetry': {
        const parsed = switchMessage.parse(payload);
        return parsed.ok ? { type: 'switch', deviceId: known.deviceId, value: parsed.value.value } : parsed.reason;
      }
      case 'temperature-telemetry': {
        const parsed = temperatureMessage.parse(payload);
        return parsed.ok ? { type: 'temperature', deviceId: known.deviceId, value: parsed.value.value } : parsed.reason;
      }
      case 'event': {
        const parsed = deviceEvent.parse(payload);
        if (!parsed.ok) return parsed.reason;
        const event = parsed.value;
        return { type: 'event', deviceId: known.deviceId, event: { type: event.eventType, value: event.eventValue, time: event.timestamp * 1000 } };
      }
      case 'controller': {
        const parsed = controllerState.parse(payload);
        if (!parsed.ok) return parsed.reason;
        const state = parsed.value;
        return { type: 'controller', deviceId: known.deviceId, pending: state.pending === null ? undefined : { action: state.pending, dueAt: state.due } };
      }
      default:
        // Topics the view shows nothing for (car park, challenge...) are still checked.
        return checkPayload(topic, payload);
    }
  }

  private addLog(entry: Omit<TrafficEntry, 'seq' | 'time' | 'clientId'>): void {
    this.note({ clientId: '', ...entry });
  }
}
