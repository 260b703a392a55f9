/**
 * The embedded broker's topic index: fed from aedes' own events (publishes, retained changes,
 * deliveries, clients coming and going), read through a TopicWatch, and able to disconnect a
 * client, which only the broker can.
 */
import type { Aedes, AedesPublishPacket, Client } from 'aedes';
import { messageProperties, type MessageProperties, type TopicCaps, type TopicDetail, type TopicQuery, type TopicView } from '../wire/index.js';
import { TopicIndex, type ClientsOf } from './topic-index.js';
import { TopicWatch } from './topic-watch.js';

/** How the broker's topic index is reached from the thread that started it. */
export interface BrokerTopics {
  watch(query: TopicQuery | null): void;
  onView(cb: (view: TopicView) => void): () => void;
  lookup(topic: string): Promise<TopicDetail | undefined>;
  disconnect(clientId: string): Promise<boolean>;
}

export interface TopicFeedOptions {
  caps?: Partial<TopicCaps>;
  answerMs: number;
  refreshMs: number;
}

interface ClientInside {
  subscriptions?: Record<string, unknown>;
  conn?: { remoteAddress?: string; remotePort?: number; writableLength?: number };
  req?: { socket?: { remoteAddress?: string; remotePort?: number } };
  _keepaliveInterval?: number;
  _inboundInflight?: { size: number };
}

const SYS_PREFIX = '$SYS/';

export class TopicFeed implements BrokerTopics {
  readonly index: TopicIndex;
  readonly #watch: TopicWatch;
  readonly #listeners = new Set<(view: TopicView) => void>();
  readonly #users = new WeakMap<Client, string>();
  readonly #since = new WeakMap<Client, number>();

  constructor(
    private readonly aedes: Aedes,
    opts: TopicFeedOptions,
  ) {
    this.index = new TopicIndex(opts.caps, this.#clients);
    this.#watch = new TopicWatch(this.index, (view) => this.#listeners.forEach((listener) => listener(view)), opts);
    aedes.on('publish', (packet: AedesPublishPacket, client: Client | null) => {
      if (packet.topic.startsWith(SYS_PREFIX)) return;
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      this.index.publish(packet.topic, payload, packet.qos, packet.retain, client?.id ?? '', Date.now(), messageProperties((packet as { properties?: MessageProperties }).properties));
      this.#watch.changed();
    });
    aedes.on('clientReady', (client) => this.#since.set(client, Date.now()));
    aedes.on('clientDisconnect', (client) => {
      this.index.forget(client.id);
      this.#watch.changed();
    });
  }

  /** Who logged in as whom: the broker's authenticate hook tells it. */
  loggedIn(client: Client, username: string | undefined): void {
    if (username) this.#users.set(client, username);
  }

  retained(topic: string, payload: Uint8Array, qos: 0 | 1 | 2): void {
    this.index.retained(topic, payload, qos, Date.now());
    this.#watch.changed();
  }

  delivered(client: Client): void {
    this.index.delivered(client.id);
  }

  watch(query: TopicQuery | null): void {
    this.#watch.watch(query);
  }

  onView(cb: (view: TopicView) => void): () => void {
    this.#listeners.add(cb);
    return () => this.#listeners.delete(cb);
  }

  lookup(topic: string): Promise<TopicDetail | undefined> {
    return Promise.resolve(this.index.detail(topic, this.index.caps.historyPerTopic, Date.now()));
  }

  disconnect(clientId: string): Promise<boolean> {
    const client = (this.aedes as unknown as { clients: Record<string, Client | undefined> }).clients[clientId];
    if (!client) return Promise.resolve(false);
    return new Promise((resolve) => client.close(() => resolve(true)));
  }

  close(): void {
    this.#watch.close();
    this.#listeners.clear();
  }

  readonly #clients: ClientsOf = () => {
    const all = Object.values((this.aedes as unknown as { clients: Record<string, Client> }).clients);
    return all.map((client) => {
      const inside = client as unknown as ClientInside;
      const socket = inside.conn?.remoteAddress !== undefined ? inside.conn : inside.req?.socket;
      const interval = inside._keepaliveInterval ?? -1;
      return {
        id: client.id,
        user: this.#users.get(client) ?? '',
        protocol: client.version,
        address: socket?.remoteAddress !== undefined ? `${socket.remoteAddress}:${socket.remotePort ?? ''}` : '',
        keepaliveS: interval > 0 ? Math.round((interval - 1) / 1500) : 0,
        connectedAt: this.#since.get(client) ?? 0,
        subscriptions: Object.keys(inside.subscriptions ?? {}),
        queuedBytes: inside.conn?.writableLength ?? 0,
        ...(inside._inboundInflight ? { inflight: inside._inboundInflight.size } : {}),
      };
    });
  };
}
