/** How every device and app of the home reaches the broker: one mqtt.js client each, its own id. */
import { randomBytes } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Clock, Random } from './clock.js';
import { HomeError } from './errors.js';
import { coalesceWrites } from '../wire/coalesced-writes.js';
import { OFFLINE, ONLINE } from '../wire/index.js';

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
}

export function uniqueClientId(role: string): string {
  return `sht-${role}-${randomBytes(3).toString('hex')}`;
}

/**
 * mqtt.js' debug lines cost a call and a check per packet even when off; with thousands of
 * clients that shows. They stay when DEBUG asks for them.
 */
const quiet: IClientOptions = /\bmqttjs/.test(process.env.DEBUG ?? '') ? {} : { log: () => {} };

/** How long a first connection waits for its CONNACK before it counts as failed. */
const CONNECT_TIMEOUT_MS = 5000;

/** The home's open clients by id, so a fault can be put on one by name (`offline: device001`). */
const openClients = new Map<string, MqttClient>();

/** The clients whose id says they play `role` (thermostat, device001...): ids are `sht-<role>-<hex>`. */
function clientsOf(role: string): MqttClient[] {
  const pattern = new RegExp(`^sht-${role.replace(/[^\w-]/g, '')}-[0-9a-f]{6}$`);
  return [...openClients].filter(([id]) => pattern.test(id)).map(([, client]) => client);
}

/**
 * The connection of every client playing `role` drops without DISCONNECT, so the broker
 * publishes its will, and it stays away until `restoreConnection`. Resolves to how many dropped.
 */
export function dropConnection(role: string): number {
  const clients = clientsOf(role).filter((client) => !client.disconnecting);
  for (const client of clients) client.end(true);
  return clients.length;
}

/** A dropped client connects again (and says `online` where it has an availability topic). */
export function restoreConnection(role: string): number {
  const clients = clientsOf(role).filter((client) => client.disconnecting);
  for (const client of clients) client.reconnect();
  return clients.length;
}

/** How many of the home's clients play `role`. */
export function connectionsOf(role: string): number {
  return clientsOf(role).length;
}

/** The availability topic of each client that has one: `offline` is published there on a clean stop. */
const availabilityOf = new WeakMap<MqttClient, string>();

/**
 * Connects once (a refused first connection is a clear error), then mqtt.js reconnects on its own.
 * With an `availability` topic the client leaves a retained will `offline` there, so a client that
 * drops without DISCONNECT shows as unavailable, and says `online`, retained, on every connect.
 */
export async function openConnection(
  url: string,
  clientId: string,
  login?: Login,
  availability?: string,
  protocolVersion: 4 | 5 = 4,
  connectTimeoutMs = CONNECT_TIMEOUT_MS,
): Promise<MqttClient> {
  const credentials: IClientOptions = login ? { username: login.username, password: login.password } : {};
  const will: IClientOptions = availability ? { will: { topic: availability, payload: Buffer.from(OFFLINE), qos: 1, retain: true } } : {};
  const options = (version: 4 | 5): IClientOptions => ({
    clientId,
    clean: true,
    reconnectPeriod: FIRST_RETRY_MS,
    connectTimeout: connectTimeoutMs,
    protocolVersion: version,
    ...quiet,
    ...credentials,
    ...will,
  });
  try {
    let client: MqttClient;
    try {
      client = await mqtt.connectAsync(url, options(protocolVersion), false);
    } catch (error) {
      // A broker that speaks only MQTT 5 refuses 3.1.1 with "unacceptable protocol version": speak 5 then.
      if (protocolVersion === 5 || !refusesVersion(error)) throw error;
      client = await mqtt.connectAsync(url, options(5), false);
    }
    // The packets a client sends in one turn of the event loop (a device's switch and temperature,
    // its announcement, the PUBACKs of a batch) leave in one system call, not one each; a
    // reconnect brings a new connection.
    coalesceWrites(client.stream);
    client.on('connect', () => coalesceWrites(client.stream));
    // A lost broker shows as 'offline' and is retried; unheard 'error' events would end the program.
    client.on('error', () => {});
    openClients.set(clientId, client);
    backOffWhileLost(client);
    if (availability) {
      availabilityOf.set(client, availability);
      const sayOnline = () => client.publish(availability, ONLINE, { qos: 1, retain: true });
      client.on('connect', sayOnline);
      sayOnline();
    }
    return client;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new HomeError(`Cannot reach the MQTT broker at ${url} (${why}).`);
  }
}

/** CONNACK 0x01 (3.1.1) or 0x84 (5): the broker does not speak the protocol version asked for. */
function refusesVersion(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 1 || code === 0x84;
}

/** The MQTT version a connected client speaks: 5 or 4 (3.1.1). */
export function protocolOf(client: MqttClient): 4 | 5 {
  return client.options.protocolVersion === 5 ? 5 : 4;
}

/** Waits between attempts to reach a lost broker: 1 s, doubling up to 30 s, back to 1 s once connected. */
export const FIRST_RETRY_MS = 1000;
export const LAST_RETRY_MS = 30_000;

/**
 * mqtt.js retries on a fixed interval; with ten clients per home and many homes on one broker
 * that hammers a broker that is coming back. Before each attempt the next wait is doubled and
 * mqtt.js' interval timer dropped, so it sets a new one with the new period when the attempt fails.
 */
function backOffWhileLost(client: MqttClient): void {
  const timerOf = client as unknown as { reconnectTimer: NodeJS.Timeout | null };
  client.on('reconnect', () => {
    client.options.reconnectPeriod = Math.min((client.options.reconnectPeriod ?? FIRST_RETRY_MS) * 2, LAST_RETRY_MS);
    if (timerOf.reconnectTimer) clearInterval(timerOf.reconnectTimer);
    timerOf.reconnectTimer = null;
  });
  client.on('connect', () => {
    client.options.reconnectPeriod = FIRST_RETRY_MS;
  });
}

/** The wait before the next attempt to reach a lost broker, in ms. */
export function nextRetryMs(client: MqttClient): number {
  return client.options.reconnectPeriod ?? FIRST_RETRY_MS;
}

/** How long a stop waits for writes still on their way before it drops them. */
const STOP_GRACE_MS = 1000;

export async function closeConnection(client: MqttClient | undefined): Promise<void> {
  if (client === undefined) return;
  openClients.delete(client.options.clientId ?? '');
  const availability = availabilityOf.get(client);
  // A clean stop sends no will; say it, so Home Assistant does not show a stopped home as available.
  if (availability && client.connected) client.publish(availability, OFFLINE, { qos: 0, retain: true }, () => {});
  // Writes still on their way go out first; a broker that is already gone never takes them, and
  // must not hold the stop.
  const pending = () => Object.keys(client.outgoing).length > 0;
  if (pending()) {
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_GRACE_MS);
      client.once('outgoingEmpty', resolve);
    });
    clearTimeout(timer);
  }
  await client.endAsync(pending());
}
