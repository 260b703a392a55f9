/**
 * The course's smart object: announces itself on `device/<id>/info` (retained), reports its
 * switch and temperature once a second while ON, raises a retained OVER_HEATING event when it
 * crosses the line, and obeys SWITCH actions. It heats while ON and cools while OFF.
 */
import type { MqttClient } from 'mqtt';
import type { Random, TimerHandle } from './clock.js';
import { uniqueClientId, type DeviceOptions } from './connection.js';
import { ownLink, type ObjectLink } from './gateway.js';
import type { SmartObjectDefaults } from './defaults.js';
import type { SliceStore, SmartObjectsSlice } from './slice-store.js';
import {
  deviceDescriptor,
  deviceEvent,
  epochSecondsOf,
  OVER_HEATING,
  switchAction,
  switchMessage,
  temperatureMessage,
  TEMPERATURE_SENSOR,
  topics,
} from '../wire/index.js';

export interface SmartObjectOptions extends DeviceOptions {
  deviceId?: string;
  slice: SliceStore<SmartObjectsSlice>;
  defaults: SmartObjectDefaults;
  /** How it reaches the broker; default: a connection of its own. */
  link?: () => Promise<ObjectLink>;
}

const TICK_MS = 1000;
/** Temperature is saved every few ticks; the switch is saved at once. */
const SAVE_EVERY_TICKS = 5;

export class SmartObject {
  readonly clientId: string;
  readonly deviceId: string;
  private client: MqttClient | undefined;
  private link: ObjectLink | undefined;
  private onMessage: ((topic: string, payload: Buffer) => void) | undefined;
  private switchedOn: boolean;
  private temperature: number;
  private overHeating = false;
  private ticks = 0;
  private ticker: TimerHandle | undefined;
  private readonly random: Random;

  constructor(private readonly options: SmartObjectOptions) {
    this.deviceId = options.deviceId ?? 'device001';
    this.clientId = options.clientId ?? uniqueClientId(this.deviceId);
    this.random = options.random ?? Math.random;
    const saved = options.slice.read()[this.deviceId];
    this.switchedOn = (saved?.switch ?? 'ON') === 'ON';
    this.temperature = saved?.temperature ?? options.defaults.startTemperature;
  }

  async start(): Promise<void> {
    await this.connect();
    await this.announce();
  }

  /** Reaches the broker (a fleet opens the next connection as soon as this one is accepted). */
  async connect(): Promise<void> {
    const { url, login } = this.options;
    this.link = await (this.options.link ?? (() => ownLink(url, this.clientId, this.deviceId, login)))();
    const client = this.link.client;
    this.client = client;
    const actions = topics.switchAction(this.deviceId);
    this.onMessage = (topic, payload) => {
      // A gateway's client carries the actions of all its devices.
      if (topic !== actions || payload.length === 0) return;
      const parsed = switchAction.parse(payload);
      if (!parsed.ok) return;
      this.turn(parsed.value.value === 'ON');
    };
    client.on('message', this.onMessage);
  }

  /** Its retained info, its action subscription and its first switch report; then it ticks. */
  async announce(): Promise<void> {
    const client = this.client!;
    const info = deviceDescriptor.encode({
      deviceId: this.deviceId,
      producer: this.options.defaults.producer,
      softwareVersion: this.options.defaults.softwareVersion,
    });
    // Sent together, acknowledged together: one round trip, not two, which a fleet of thousands
    // connecting at once feels.
    const published = client.publishAsync(topics.deviceInfo(this.deviceId), info, { qos: 1, retain: true });
    const subscribed = client.subscribeAsync(topics.switchAction(this.deviceId), { qos: 1 });
    this.publishSwitch(true);
    await Promise.all([published, subscribed]);
    this.ticker = this.options.clock.setInterval(() => this.tick(), TICK_MS);
  }

  async stop(): Promise<void> {
    this.options.clock.clearInterval(this.ticker);
    this.ticker = undefined;
    this.save();
    if (this.onMessage) this.client?.off('message', this.onMessage);
    await this.link?.close();
    this.link = undefined;
    this.client = undefined;
  }

  private turn(on: boolean): void {
    if (on === this.switchedOn) return;
    this.switchedOn = on;
    this.save();
    this.publishSwitch(true);
  }

  private tick(): void {
    const model = this.options.defaults;
    const seconds = TICK_MS / 1000;
    // First-order lag toward the heater's temperature while ON, toward the room's while OFF.
    const target = this.switchedOn ? model.heaterTemperature : model.ambientTemperature;
    const tau = this.switchedOn ? model.heatingTimeConstantSeconds : model.coolingTimeConstantSeconds;
    const noise = (this.random() * 2 - 1) * model.noise;
    this.temperature += (target - this.temperature) * (1 - Math.exp(-seconds / tau)) + noise;
    this.ticks += 1;
    if (this.ticks % SAVE_EVERY_TICKS === 0) this.save();
    if (this.switchedOn) {
      this.publishSwitch(false);
      const message = { timestamp: this.timestamp(), valueType: TEMPERATURE_SENSOR, value: this.temperature };
      this.client?.publish(topics.temperatureTelemetry(this.deviceId), temperatureMessage.encode(message), { qos: 0 });
    }
    // The event marks the crossing, not every hot second.
    const above = this.temperature > model.overHeatingAbove;
    if (above && !this.overHeating) {
      const event = { timestamp: this.timestamp(), eventType: OVER_HEATING, eventValue: this.temperature };
      this.client?.publish(topics.event(this.deviceId), deviceEvent.encode(event), { qos: 1, retain: true });
    }
    this.overHeating = above;
  }

  /** A change is retained so late subscribers know the switch; the once-a-second report is not. */
  private publishSwitch(retain: boolean): void {
    const message = switchMessage.encode({ timestamp: this.timestamp(), value: this.switchedOn ? 'ON' : 'OFF' });
    this.client?.publish(topics.switchTelemetry(this.deviceId), message, { qos: 0, retain });
  }

  private timestamp(): number {
    return epochSecondsOf(this.options.clock.now());
  }

  private save(): void {
    const state = { switch: this.switchedOn ? ('ON' as const) : ('OFF' as const), temperature: Math.round(this.temperature * 100) / 100 };
    this.options.slice.write((slice) => {
      slice[this.deviceId] = state;
    });
  }
}
