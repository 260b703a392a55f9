/**
 * The controller: watches every smart object's temperature; above the limit it switches the
 * object OFF (QoS 1) and ON again some seconds later, one pending timer per object. It
 * publishes that pending action, retained, on `device/<id>/controller` so the UI can show it
 * and so a restarted controller can pick up where it left off.
 */
import type { MqttClient } from 'mqtt';
import type { TimerHandle } from './clock.js';
import { closeConnection, openConnection, uniqueClientId, type DeviceOptions } from './connection.js';
import type { ControllerDefaults } from './defaults.js';
import {
  controllerState,
  epochSecondsOf,
  filters,
  matchTopic,
  switchAction,
  temperatureMessage,
  topics,
  type ControllerState,
} from '../wire/index.js';

export interface ControllerOptions extends DeviceOptions {
  defaults: ControllerDefaults;
}

export class Controller {
  readonly clientId: string;
  private client: MqttClient | undefined;
  private readonly pending = new Map<string, TimerHandle>();
  /** Actions this run scheduled, so our own retained announcement is never taken for an old one. */
  private readonly scheduled = new Set<string>();

  constructor(private readonly options: ControllerOptions) {
    this.clientId = options.clientId ?? uniqueClientId('controller');
  }

  async start(): Promise<void> {
    const client = await openConnection(this.options.url, this.clientId, this.options.login);
    this.client = client;
    client.on('message', (topic, payload, packet) => {
      const known = matchTopic(topic);
      if (payload.length === 0 || known === null) return;
      if (known.kind === 'temperature-telemetry') {
        const parsed = temperatureMessage.parse(payload);
        if (parsed.ok) this.observe(known.deviceId, parsed.value.value);
      } else if (known.kind === 'controller' && packet.retain) {
        const parsed = controllerState.parse(payload);
        if (parsed.ok) this.resume(known.deviceId, parsed.value);
      }
    });
    await client.subscribeAsync([filters.allTemperatureTelemetry, filters.allControllers], { qos: 1 });
  }

  async stop(): Promise<void> {
    // Pending actions stay published, so the next start resumes them.
    for (const timer of this.pending.values()) this.options.clock.clearTimeout(timer);
    this.pending.clear();
    await closeConnection(this.client);
    this.client = undefined;
  }

  private observe(deviceId: string, temperature: number): void {
    if (temperature <= this.options.defaults.switchOffAbove || this.pending.has(deviceId)) return;
    this.send(deviceId, 'OFF');
    this.schedule(deviceId, this.options.clock.now() + this.options.defaults.switchOnAfterSeconds * 1000);
  }

  /** A retained pending action from before a restart: honour it, late or not. */
  private resume(deviceId: string, state: ControllerState): void {
    if (state.pending !== 'ON' || this.pending.has(deviceId)) return;
    if (this.scheduled.has(`${deviceId}@${state.due}`)) return;
    this.schedule(deviceId, state.due);
  }

  private schedule(deviceId: string, due: number): void {
    const wait = Math.max(0, due - this.options.clock.now());
    const timer = this.options.clock.setTimeout(() => {
      this.pending.delete(deviceId);
      this.send(deviceId, 'ON');
      this.announce(deviceId, { pending: null });
    }, wait);
    this.pending.set(deviceId, timer);
    this.scheduled.add(`${deviceId}@${due}`);
    this.announce(deviceId, { pending: 'ON', due });
  }

  private send(deviceId: string, value: 'ON' | 'OFF'): void {
    const action = switchAction.encode({ timestamp: epochSecondsOf(this.options.clock.now()), value });
    this.client?.publish(topics.switchAction(deviceId), action, { qos: 1 });
  }

  private announce(deviceId: string, state: ControllerState): void {
    this.client?.publish(topics.controller(deviceId), controllerState.encode(state), { qos: 1, retain: true });
  }
}
