/**
 * The course's producers, each its own MQTT client: a temperature that wanders between 20 and
 * 40 °C, published at a rate people choose. Simple sends the float as text on
 * `sensor/temperature` (QoS 0); JSON sends a MessageDescriptor on `device/temperature`; device
 * announces itself retained on `device/<id>/info` and sends MessageDescriptors on its sensor topic.
 */
import type { MqttClient } from 'mqtt';
import type { Clock, Random, TimerHandle } from '../../../sim/clock.js';
import { closeConnection, openConnection, uniqueClientId, type Login } from '../../../sim/connection.js';
import {
  deviceDescriptor,
  epochSecondsOf,
  rawTemperature,
  temperatureMessage,
  TEMPERATURE_SENSOR,
  topics,
} from '../../../wire/index.js';
import type { Feed } from '../../feed.js';
import { FIRST_RATE_HZ, type PlaygroundAction, type PlaygroundState, type ProducerChange, type ProducerKind } from './playground-state.js';

/** The device producer's id: not device001, which is the home's smart object. */
export const PLAYGROUND_DEVICE_ID = 'playground001';

export const LOW_C = 20;
export const HIGH_C = 40;

export function producerTopic(kind: ProducerKind): string {
  if (kind === 'simple') return topics.sensorTemperature;
  if (kind === 'json') return topics.deviceTemperature;
  return topics.deviceSensorTemperature(PLAYGROUND_DEVICE_ID);
}

export interface ProducerOptions {
  kind: ProducerKind;
  url: string;
  login?: Login;
  clock: Clock;
  random: Random;
  feed: Feed<PlaygroundState, PlaygroundAction>;
}

export class Producer {
  readonly clientId: string;
  private client: MqttClient | undefined;
  private timer: TimerHandle | undefined;
  private rateHz = FIRST_RATE_HZ;
  private temperature: number;
  /** Start, stop and close run one after another, so a quick double Space never opens two clients. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: ProducerOptions) {
    this.clientId = uniqueClientId(`playground-${options.kind}`);
    this.temperature = LOW_C + options.random() * (HIGH_C - LOW_C);
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): Promise<void> {
    return this.inTurn(() => this.startNow());
  }

  stop(): Promise<void> {
    return this.inTurn(() => this.stopNow());
  }

  toggle(): Promise<void> {
    return this.inTurn(() => (this.running ? this.stopNow() : this.startNow()));
  }

  close(): Promise<void> {
    return this.inTurn(async () => {
      await this.stopNow();
      await closeConnection(this.client);
      this.client = undefined;
    });
  }

  private inTurn(run: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(run, run);
    return this.queue;
  }

  private async startNow(): Promise<void> {
    if (this.running) return;
    try {
      this.client ??= await openConnection(this.options.url, this.clientId, this.options.login);
      if (this.options.kind === 'device') {
        const info = deviceDescriptor.encode({ deviceId: PLAYGROUND_DEVICE_ID, producer: 'playground', softwareVersion: '1.0.0' });
        await this.client.publishAsync(topics.deviceInfo(PLAYGROUND_DEVICE_ID), info, { qos: 1, retain: true });
      }
    } catch (error) {
      this.report({ running: false, error: reason(error) });
      return;
    }
    this.arm();
    this.report({ running: true, error: undefined });
  }

  private async stopNow(): Promise<void> {
    if (!this.running) return;
    this.options.clock.clearInterval(this.timer);
    this.timer = undefined;
    this.report({ running: false });
    // A stopped device takes its retained announcement with it, so it does not outlive the demo.
    if (this.options.kind === 'device' && this.client?.connected) {
      await this.client.publishAsync(topics.deviceInfo(PLAYGROUND_DEVICE_ID), '', { qos: 1, retain: true }).catch(() => undefined);
    }
  }

  setRate(rateHz: number): void {
    this.rateHz = rateHz;
    if (this.running) {
      this.options.clock.clearInterval(this.timer);
      this.arm();
    }
    this.report({ rateHz });
  }

  private arm(): void {
    this.timer = this.options.clock.setInterval(() => this.publish(), Math.round(1000 / this.rateHz));
  }

  private publish(): void {
    const client = this.client;
    if (!client?.connected) return;
    // A small random step, reflected at the course's bounds so it stays within 20..40.
    let next = this.temperature + (this.options.random() - 0.5) * 2;
    if (next < LOW_C) next = 2 * LOW_C - next;
    if (next > HIGH_C) next = 2 * HIGH_C - next;
    this.temperature = next;
    const { kind } = this.options;
    const payload =
      kind === 'simple'
        ? rawTemperature.encode(next)
        : temperatureMessage.encode({ timestamp: epochSecondsOf(this.options.clock.now()), valueType: TEMPERATURE_SENSOR, value: next });
    client.publish(producerTopic(kind), payload, { qos: kind === 'simple' ? 0 : 1 });
    this.options.feed.dispatch({ type: 'published', kind, value: Math.round(next * 100) / 100 });
  }

  private report(change: ProducerChange): void {
    this.options.feed.dispatch({ type: 'producer', kind: this.options.kind, change });
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
