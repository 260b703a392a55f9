/**
 * The console's own MQTT client and what it has to show: the typed commands, what each did, and
 * every message that arrives on its subscriptions. It lives outside React so nothing is lost
 * while the screen is hidden.
 */
import type { IPublishPacket, MqttClient } from 'mqtt';
import { Feed } from '../../feed.js';
import { payloadPreview, safeText } from '../../../wire/preview.js';
import { closeConnection, openConnection, protocolOf, uniqueClientId, type Login } from '../../../sim/connection.js';
import type { ConsoleCommand, QoS } from './command.js';

export type ConsoleLine =
  | { kind: 'typed'; at: number; text: string }
  | { kind: 'done'; at: number; text: string }
  | { kind: 'error'; at: number; text: string }
  /** `properties`: an MQTT 5 message's properties as one short text, when it has any. */
  | { kind: 'message'; at: number; topic: string; qos: QoS; retain: boolean; preview: string; properties?: string };

export type ConsoleStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface ConsoleSnapshot {
  clientId: string;
  url: string;
  status: ConsoleStatus;
  subscriptions: ReadonlyArray<{ topic: string; qos: QoS }>;
  /** Set while connected with MQTT 5 (CONNECT -V 5). */
  mqtt5?: boolean;
  /** Oldest first. */
  lines: readonly ConsoleLine[];
}

/** What the screen reads and drives; the snapshot tests give a fixed one. */
export interface ConsoleSource {
  getSnapshot(): ConsoleSnapshot;
  subscribe(listener: () => void): () => void;
  /** Runs a typed line that parsed (or reports one that did not). */
  type(line: string, parsed: { ok: true; command: ConsoleCommand } | { ok: false; error: string }): void;
}

export interface ConsoleClientOptions {
  url: string;
  login?: Login;
  clientId?: string;
  now?: () => number;
}

export const MAX_LINES = 500;

export type ConsoleAction =
  | { type: 'line'; line: ConsoleLine }
  /** The connection's status or the subscriptions changed. */
  | { type: 'change'; change: Partial<Pick<ConsoleSnapshot, 'status' | 'subscriptions' | 'mqtt5'>> };

export function consoleReducer(state: ConsoleSnapshot, action: ConsoleAction): ConsoleSnapshot {
  switch (action.type) {
    case 'line':
      return { ...state, lines: [...state.lines, action.line].slice(-MAX_LINES) };
    case 'change':
      return { ...state, ...action.change };
  }
}

const PREVIEW_CHARS = 200;
/** SUBACK codes from 0x80 up refuse a subscription (3.1.1 has only 0x80; MQTT 5 says why). */
const SUBACK_FAILURE = 0x80;

/** An MQTT 5 message's properties as one line: user properties, content type, response topic... */
export function propertiesText(properties: IPublishPacket['properties']): string | undefined {
  if (properties === undefined) return undefined;
  const parts: string[] = [];
  for (const [name, value] of Object.entries(properties.userProperties ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) parts.push(`${name}=${one}`);
  }
  if (properties.contentType !== undefined) parts.push(`content-type=${properties.contentType}`);
  if (properties.responseTopic !== undefined) parts.push(`response-topic=${properties.responseTopic}`);
  if (properties.correlationData !== undefined) parts.push(`correlation=${Buffer.from(properties.correlationData).toString('hex')}`);
  if (properties.messageExpiryInterval !== undefined) parts.push(`expires-in=${properties.messageExpiryInterval}s`);
  if (properties.subscriptionIdentifier !== undefined) parts.push(`subscription-id=${String(properties.subscriptionIdentifier)}`);
  return parts.length === 0 ? undefined : safeText(`[${parts.join(', ')}]`, PREVIEW_CHARS);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ConsoleClient implements ConsoleSource {
  private client: MqttClient | undefined;
  private readonly feed: Feed<ConsoleSnapshot, ConsoleAction>;
  private readonly now: () => number;

  constructor(private readonly options: ConsoleClientOptions) {
    this.now = options.now ?? Date.now;
    this.feed = new Feed<ConsoleSnapshot, ConsoleAction>(
      { clientId: options.clientId ?? uniqueClientId('console'), url: options.url, status: 'disconnected', subscriptions: [], lines: [] },
      consoleReducer,
    );
  }

  readonly getSnapshot = (): ConsoleSnapshot => this.feed.getSnapshot();

  readonly subscribe = (listener: () => void): (() => void) => this.feed.subscribe(listener);

  private get snapshot(): ConsoleSnapshot {
    return this.feed.getSnapshot();
  }

  readonly type = (line: string, parsed: { ok: true; command: ConsoleCommand } | { ok: false; error: string }): void => {
    this.add({ kind: 'typed', at: this.now(), text: line });
    if (!parsed.ok) return this.add({ kind: 'error', at: this.now(), text: parsed.error });
    void this.run(parsed.command);
  };

  /** Runs one command; what it did (or why not) becomes a line. */
  async run(command: ConsoleCommand): Promise<void> {
    try {
      const done = await this.perform(command);
      this.add({ kind: 'done', at: this.now(), text: done });
    } catch (error) {
      this.add({ kind: 'error', at: this.now(), text: reason(error) });
    }
  }

  async connect(version: 4 | 5 = 4): Promise<string> {
    if (this.client !== undefined) return `Already connected as ${this.snapshot.clientId}; DISCONNECT first to connect again.`;
    this.set({ status: 'connecting' });
    let client: MqttClient;
    try {
      client = await openConnection(this.options.url, this.snapshot.clientId, this.options.login, undefined, version);
    } catch (error) {
      this.set({ status: 'disconnected' });
      throw error;
    }
    this.client = client;
    client.on('message', (topic, payload, packet) => {
      const properties = propertiesText(packet.properties);
      this.add({
        kind: 'message',
        at: this.now(),
        topic: safeText(topic, PREVIEW_CHARS),
        qos: packet.qos,
        retain: packet.retain,
        preview: payloadPreview(payload, PREVIEW_CHARS),
        ...(properties === undefined ? {} : { properties }),
      });
    });
    client.on('offline', () => this.set({ status: 'reconnecting' }));
    client.on('connect', () => this.set({ status: 'connected' }));
    const mqtt5 = protocolOf(client) === 5;
    this.set({ status: 'connected', mqtt5 });
    const wanted = this.snapshot.subscriptions;
    // A clean session forgets subscriptions; the console remembers them across DISCONNECT/CONNECT.
    if (wanted.length > 0) await client.subscribeAsync(Object.fromEntries(wanted.map((s) => [s.topic, { qos: s.qos }])));
    const again = wanted.length === 0 ? '' : `; subscribed again to ${wanted.map((s) => s.topic).join(', ')}`;
    const protocol = mqtt5 ? ' with MQTT 5' : '';
    return `Connected to ${this.options.url} as ${this.snapshot.clientId}${protocol}${again}.`;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await closeConnection(client);
  }

  private async perform(command: ConsoleCommand): Promise<string> {
    if (command.kind === 'connect') return this.connect(command.version);
    if (command.kind === 'disconnect') {
      if (this.client === undefined) return 'Already disconnected.';
      await this.stop();
      this.set({ status: 'disconnected', mqtt5: false });
      return 'Disconnected; CONNECT connects again.';
    }
    const client = this.client;
    if (client === undefined) throw new Error(`Not connected: type CONNECT first, then ${command.kind.toUpperCase()} again.`);
    if (this.snapshot.status !== 'connected') throw new Error('The broker is out of reach; the console is reconnecting, try again then.');
    switch (command.kind) {
      case 'publish':
        if (command.userProperties !== undefined && !this.snapshot.mqtt5) {
          throw new Error('User properties need MQTT 5: DISCONNECT, then CONNECT -V 5.');
        }
        await client.publishAsync(command.topic, command.value, {
          qos: command.qos,
          retain: command.retain,
          ...(command.userProperties === undefined ? {} : { properties: { userProperties: command.userProperties } }),
        });
        return `Published to ${command.topic} (QoS ${command.qos}${command.retain ? ', retained' : ''}).`;
      case 'subscribe': {
        const granted = await client.subscribeAsync(command.topic, { qos: command.qos });
        if (granted.some((g) => g.qos >= SUBACK_FAILURE)) throw new Error(`The broker refused the subscription to ${command.topic}.`);
        const others = this.snapshot.subscriptions.filter((s) => s.topic !== command.topic);
        this.set({ subscriptions: [...others, { topic: command.topic, qos: command.qos }] });
        return `Subscribed to ${command.topic} (QoS ${granted[0]?.qos ?? command.qos}).`;
      }
      case 'unsubscribe': {
        const subscribed = this.snapshot.subscriptions.map((s) => s.topic);
        // The broker answers UNSUBSCRIBE the same whether or not the filter was there; the console knows.
        if (!subscribed.includes(command.topic)) {
          const current = subscribed.length === 0 ? 'there are no subscriptions' : `the subscriptions are ${subscribed.join(', ')}`;
          throw new Error(`Not subscribed to ${command.topic}, so nothing was unsubscribed; ${current}.`);
        }
        await client.unsubscribeAsync(command.topic);
        this.set({ subscriptions: this.snapshot.subscriptions.filter((s) => s.topic !== command.topic) });
        return `Unsubscribed from ${command.topic}.`;
      }
    }
  }

  private add(line: ConsoleLine): void {
    this.feed.dispatch({ type: 'line', line });
  }

  private set(change: Partial<Pick<ConsoleSnapshot, 'status' | 'subscriptions' | 'mqtt5'>>): void {
    this.feed.dispatch({ type: 'change', change });
  }
}
