/**
 * The course's consumers, each its own MQTT client with its own subscriptions. They decode what
 * arrives with the home's codecs and say what they understood, or why a payload made no sense.
 */
import type { MqttClient } from 'mqtt';
import { payloadPreview, safeText } from '../../../wire/preview.js';
import type { Clock } from '../../../sim/clock.js';
import { closeConnection, openConnection, uniqueClientId, type Login } from '../../../sim/connection.js';
import {
  deviceDescriptor,
  filters,
  matchTopic,
  rawTemperature,
  temperatureMessage,
  topics,
  type ParseResult,
} from '../../../wire/index.js';
import type { Feed } from '../../feed.js';
import type { PlaygroundAction, PlaygroundState } from './playground-state.js';

export interface ConsumerPlan {
  name: string;
  filters: readonly string[];
}

export const CONSUMERS: readonly ConsumerPlan[] = [
  { name: 'simple', filters: [topics.sensorTemperature] },
  { name: 'json', filters: [topics.deviceTemperature] },
  { name: 'device', filters: [filters.allDeviceInfo, filters.allDeviceSensors] },
];

const degrees = (value: number) => `${value.toFixed(2)} °C`;
const map = <T>(result: ParseResult<T>, show: (value: T) => string): ParseResult<string> =>
  result.ok ? { ok: true, value: show(result.value) } : result;

/** What a consumer understood from one message, in a few words, or why it could not. */
export function decodeForConsumer(topic: string, payload: Buffer): ParseResult<string> {
  const known = matchTopic(topic);
  switch (known?.kind) {
    case 'sensor-temperature':
      return map(rawTemperature.parse(payload), degrees);
    case 'device-temperature':
      return map(temperatureMessage.parse(payload), (m) => `${degrees(m.value)} ${m.valueType}`);
    case 'device-info':
      if (payload.length === 0) return { ok: true, value: `${known.deviceId} left (info cleared)` };
      return map(deviceDescriptor.parse(payload), (d) => `info ${d.deviceId} v${d.softwareVersion}`);
    case 'device-sensor-temperature':
      return map(temperatureMessage.parse(payload), (m) => `${known.deviceId}: ${degrees(m.value)}`);
    default:
      // Under device/+/sensor/# anything may arrive; a sensor this course does not know is shown as text.
      return { ok: true, value: `${safeText(topic, 60)}: ${payloadPreview(payload, 40)}` };
  }
}

export interface ConsumerOptions {
  plan: ConsumerPlan;
  url: string;
  login?: Login;
  clock: Clock;
  feed: Feed<PlaygroundState, PlaygroundAction>;
}

export class Consumer {
  readonly clientId: string;
  private client: MqttClient | undefined;

  constructor(private readonly options: ConsumerOptions) {
    this.clientId = uniqueClientId(`playground-consumer-${options.plan.name}`);
  }

  async start(): Promise<void> {
    const { plan, feed, clock } = this.options;
    try {
      const client = await openConnection(this.options.url, this.clientId, this.options.login);
      this.client = client;
      client.on('message', (topic, payload) => {
        const decoded = decodeForConsumer(topic, payload);
        const time = clock.now();
        if (decoded.ok) feed.dispatch({ type: 'heard', consumer: plan.name, time, text: decoded.value });
        else feed.dispatch({ type: 'decode-error', consumer: plan.name, error: { time, topic, preview: payloadPreview(payload, 40), reason: decoded.reason } });
      });
      await client.subscribeAsync([...plan.filters], { qos: 1 });
    } catch (error) {
      feed.dispatch({ type: 'consumer-down', consumer: plan.name, reason: error instanceof Error ? error.message : String(error) });
    }
  }

  async stop(): Promise<void> {
    await closeConnection(this.client);
    this.client = undefined;
  }
}
