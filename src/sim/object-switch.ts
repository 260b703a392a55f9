/** The smart-object pane's switch: its own MQTT client that sends SWITCH actions, like any remote. */
import type { MqttClient } from 'mqtt';
import { closeConnection, openConnection, uniqueClientId, type DeviceOptions } from './connection.js';
import { HomeError } from './errors.js';
import { epochSecondsOf, isTopicLevel, switchAction, topics } from '../wire/index.js';

export class ObjectSwitch {
  readonly clientId: string;
  private client: MqttClient | undefined;

  constructor(private readonly options: DeviceOptions) {
    this.clientId = options.clientId ?? uniqueClientId('switch');
  }

  async start(): Promise<void> {
    this.client = await openConnection(this.options.url, this.clientId, this.options.login);
  }

  async stop(): Promise<void> {
    await closeConnection(this.client);
    this.client = undefined;
  }

  async switchObject(deviceId: string, value: 'ON' | 'OFF'): Promise<void> {
    if (!isTopicLevel(deviceId)) throw new HomeError(`"${deviceId}" is not a device id.`);
    if (this.client === undefined) throw new HomeError('The switch is not connected.');
    const action = switchAction.encode({ timestamp: epochSecondsOf(this.options.clock.now()), value });
    await this.client.publishAsync(topics.switchAction(deviceId), action, { qos: 1 });
  }
}
