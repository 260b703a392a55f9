/** How every device and app of the home reaches the broker: one mqtt.js client each, its own id. */
import { randomBytes } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Clock, Random } from './clock.js';
import { HomeError } from './errors.js';

/** A payload a device received but could not use; it changed nothing. */
export interface BadPayloadReport {
  topic: string;
  reason: string;
  /** Client id of the device that received it. */
  receivedBy: string;
  size: number;
}

/** The account the program's own clients use when the broker checks logins. */
export interface Login {
  username: string;
  password: string;
}

/** What every device and app is built with. */
export interface DeviceOptions {
  url: string;
  login?: Login;
  clock: Clock;
  random?: Random;
  /** Defaults to `sht-<role>-<random hex>` so two homes on one broker never share an id. */
  clientId?: string;
  onBadPayload?: (report: BadPayloadReport) => void;
}

export function uniqueClientId(role: string): string {
  return `sht-${role}-${randomBytes(3).toString('hex')}`;
}

/** Connects once (a refused first connection is a clear error), then mqtt.js reconnects on its own. */
export async function openConnection(url: string, clientId: string, login?: Login): Promise<MqttClient> {
  const credentials: IClientOptions = login ? { username: login.username, password: login.password } : {};
  try {
    const client = await mqtt.connectAsync(
      url,
      { clientId, clean: true, reconnectPeriod: 1000, connectTimeout: 5000, ...credentials },
      false,
    );
    // A lost broker shows as 'offline' and is retried; unheard 'error' events would end the program.
    client.on('error', () => {});
    return client;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new HomeError(`Cannot reach the MQTT broker at ${url} (${why}).`);
  }
}

export async function closeConnection(client: MqttClient | undefined): Promise<void> {
  if (client === undefined) return;
  await client.endAsync();
}
