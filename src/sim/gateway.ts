/**
 * Many fleet objects behind one MQTT connection, as a Zigbee2MQTT bridge or a LoRa gateway
 * holds its devices: each device keeps its own topics, retained info and availability, but they
 * share the gateway's client. The gateway's will marks it `offline` when it drops; each device's
 * availability is `online` while it is attached and `offline` once it is let go. Home Assistant
 * counts such a device available only while both say `online`.
 */
import type { MqttClient } from 'mqtt';
import { closeConnection, openConnection, uniqueClientId, type Login } from './connection.js';
import { OFFLINE, ONLINE, haTopics } from '../wire/index.js';

/** How a smart object reaches the broker: the client it publishes and subscribes on, and how to let go of it. */
export interface ObjectLink {
  readonly client: MqttClient;
  close(): Promise<void>;
}

/**
 * A fleet's CONNACKs may queue behind thousands of others at a busy broker; only a broker that
 * cannot be reached at all should fail the fleet's start.
 */
const FLEET_CONNECT_TIMEOUT_MS = 60_000;

/** A link of its own: one connection, with a retained availability will. */
export async function ownLink(url: string, clientId: string, deviceId: string, login?: Login): Promise<ObjectLink> {
  const client = await openConnection(url, clientId, login, haTopics.smartObjectAvailability(deviceId), 4, FLEET_CONNECT_TIMEOUT_MS);
  return { client, close: () => closeConnection(client) };
}

export class Gateway {
  readonly #attached = new Set<string>();

  private constructor(readonly client: MqttClient) {
    // Each attached device listens for its own action topic on the shared client.
    client.setMaxListeners(0);
    // Back after a lost connection: the devices say they are there again (the will said the gateway was not).
    client.on('connect', () => {
      for (const deviceId of this.#attached) this.#say(deviceId, ONLINE);
    });
  }

  static async open(url: string, gatewayId: string, login?: Login): Promise<Gateway> {
    return new Gateway(await openConnection(url, uniqueClientId(gatewayId), login, haTopics.gatewayAvailability(gatewayId), 4, FLEET_CONNECT_TIMEOUT_MS));
  }

  attach(deviceId: string): ObjectLink {
    this.#attached.add(deviceId);
    this.#say(deviceId, ONLINE);
    return {
      client: this.client,
      close: async () => {
        if (!this.#attached.delete(deviceId)) return;
        if (this.client.connected) this.#say(deviceId, OFFLINE);
      },
    };
  }

  /** Lets the remaining devices go, then closes the connection (its own `offline` goes with it). */
  async close(): Promise<void> {
    for (const deviceId of this.#attached) if (this.client.connected) this.#say(deviceId, OFFLINE);
    this.#attached.clear();
    await closeConnection(this.client);
  }

  #say(deviceId: string, state: string): void {
    this.client.publish(haTopics.smartObjectAvailability(deviceId), state, { qos: 1, retain: true });
  }
}
