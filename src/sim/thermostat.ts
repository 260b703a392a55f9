/**
 * The thermostat: listens to who registers and who passes the door, keeps the people at home
 * in arrival order, and heats the room for the first of them. With nobody home it holds the
 * default setpoint, which Home Assistant may change (retained, so it lasts), as it may switch
 * the heating off. It publishes its state, retained, on every decision and every few seconds.
 */
import type { MqttClient } from 'mqtt';
import type { TimerHandle } from './clock.js';
import { closeConnection, openConnection, uniqueClientId, type DeviceOptions } from './connection.js';
import type { ThermostatDefaults } from './defaults.js';
import type { SliceStore, ThermostatSlice } from './slice-store.js';
import { listenToUserRecords } from './user-records.js';
import {
  epochSecondsOf,
  formatTemperature,
  haTopics,
  setpointText,
  thermostatMode,
  thermostatState,
  topics,
  type ThermostatMode,
  type ThermostatState,
  type UserRecord,
} from '../wire/index.js';

export interface ThermostatOptions extends DeviceOptions {
  slice: SliceStore<ThermostatSlice>;
  defaults: ThermostatDefaults;
}

const TICK_MS = 1000;

export class Thermostat {
  readonly clientId: string;
  private client: MqttClient | undefined;
  /** Preferred temperature per registered person. */
  private readonly preferences = new Map<string, number>();
  /** People at home, earliest arrival first. */
  private queue: string[];
  private room: number;
  private heating = false;
  private lastDecision = '';
  private ticks = 0;
  private ticker: TimerHandle | undefined;
  /** The setpoint with nobody home: data/home.json's until told otherwise. */
  private defaultSetpoint: number;
  private mode: ThermostatMode = 'heat';

  constructor(private readonly options: ThermostatOptions) {
    this.defaultSetpoint = options.defaults.defaultSetpoint;
    this.clientId = options.clientId ?? uniqueClientId('thermostat');
    const saved = options.slice.read();
    for (const [name, temperature] of Object.entries(saved.users)) {
      const value = Number(temperature);
      if (Number.isFinite(value)) this.preferences.set(name, value);
    }
    this.queue = saved.queue.filter((name) => this.preferences.has(name));
    this.room = saved.roomTemperature ?? options.defaults.defaultSetpoint;
  }

  async start(): Promise<void> {
    const client = await openConnection(this.options.url, this.clientId, this.options.login, haTopics.thermostatAvailability);
    this.client = client;
    client.on('message', (topic, payload) => {
      if (payload.length === 0) return;
      if (topic === haTopics.thermostatDefaultSetpoint) this.setDefault(payload);
      else if (topic === haTopics.thermostatMode) this.setMode(payload);
    });
    await client.subscribeAsync([haTopics.thermostatDefaultSetpoint, haTopics.thermostatMode], { qos: 1 });
    await listenToUserRecords(
      client,
      {
        registered: (record) => {
          this.registered(record);
          this.publishIfDecided();
        },
        passed: (record) => {
          this.passed(record);
          this.publishIfDecided();
        },
      },
    );
    this.heating = this.mode === 'heat' && this.room < this.setpoint() - this.options.defaults.hysteresis;
    this.publish();
    this.ticker = this.options.clock.setInterval(() => this.tick(), TICK_MS);
  }

  async stop(): Promise<void> {
    this.options.clock.clearInterval(this.ticker);
    this.ticker = undefined;
    this.saveRoom();
    await closeConnection(this.client);
    this.client = undefined;
  }

  /** The state as it would be published now. */
  state(): ThermostatState {
    const forUser = this.queue[0] ?? null;
    return {
      setpoint: this.setpoint(),
      forUser,
      queue: [...this.queue],
      roomTemperature: this.room,
      heating: this.heating,
      mode: this.mode,
      timestamp: epochSecondsOf(this.options.clock.now()),
    };
  }

  private setpoint(): number {
    const first = this.queue[0];
    return (first === undefined ? undefined : this.preferences.get(first)) ?? this.defaultSetpoint;
  }

  private setDefault(payload: Buffer): void {
    const parsed = setpointText.parse(payload);
    if (!parsed.ok) return;
    this.defaultSetpoint = parsed.value;
    this.publishIfDecided();
  }

  private setMode(payload: Buffer): void {
    const parsed = thermostatMode.parse(payload);
    if (!parsed.ok) return;
    this.mode = parsed.value;
    if (this.mode === 'off') this.heating = false;
    this.publishIfDecided();
  }

  /** A preference change counts at once, even for the person in charge. */
  private registered(record: UserRecord): void {
    if (record.appInfo === '-1') this.forget(record.userName);
    else this.prefer(record.userName, record.temperature);
  }

  private passed(record: UserRecord): void {
    if (record.appInfo === '-1') {
      this.forget(record.userName);
      return;
    }
    this.prefer(record.userName, record.temperature);
    const inQueue = this.queue.includes(record.userName);
    if (record.isHome && !inQueue) this.queue = [...this.queue, record.userName];
    else if (!record.isHome && inQueue) this.queue = this.queue.filter((name) => name !== record.userName);
    else return;
    const queue = this.queue;
    this.options.slice.write((slice) => {
      slice.queue = [...queue];
    });
  }

  private prefer(name: string, temperature: number): void {
    if (this.preferences.get(name) === temperature) return;
    this.preferences.set(name, temperature);
    this.options.slice.write((slice) => {
      slice.users[name] = formatTemperature(temperature);
    });
  }

  private forget(name: string): void {
    // A delete arrives on both topics; the second (or one for a stranger) has nothing to forget.
    if (!this.preferences.delete(name) && !this.queue.includes(name)) return;
    this.queue = this.queue.filter((other) => other !== name);
    const queue = this.queue;
    this.options.slice.write((slice) => {
      delete slice.users[name];
      slice.queue = [...queue];
    });
  }

  private tick(): void {
    const model = this.options.defaults;
    const seconds = TICK_MS / 1000;
    const setpoint = this.setpoint();
    // Hysteresis: start below the band, stop once close to the setpoint, so the heater does not chatter.
    if (this.mode === 'off') this.heating = false;
    else if (this.room < setpoint - model.hysteresis) this.heating = true;
    else if (this.room >= setpoint - 0.05) this.heating = false;
    // First-order lag: heating pulls the room toward the setpoint, idle lets it drift to outdoors.
    const target = this.heating ? setpoint : model.outdoorTemperature;
    const tau = this.heating ? model.heatingTimeConstantSeconds : model.driftTimeConstantSeconds;
    this.room += (target - this.room) * (1 - Math.exp(-seconds / tau));
    this.ticks += 1;
    if (this.ticks % Math.max(1, Math.round(model.statePeriodSeconds / seconds)) === 0) {
      this.saveRoom();
      this.publish();
    } else {
      this.publishIfDecided();
    }
  }

  private saveRoom(): void {
    const room = Math.round(this.room * 100) / 100;
    this.options.slice.write((slice) => {
      slice.roomTemperature = room;
    });
  }

  /** Publishes when what the thermostat decided (not just the room temperature) changed. */
  private publishIfDecided(): void {
    if (decisionOf(this.state()) !== this.lastDecision) this.publish();
  }

  private publish(): void {
    const state = this.state();
    this.lastDecision = decisionOf(state);
    this.client?.publish(topics.thermostatState, thermostatState.encode(state), { qos: 0, retain: true });
  }
}

function decisionOf(state: ThermostatState): string {
  return JSON.stringify([state.setpoint, state.forUser, state.queue, state.heating, state.mode]);
}
