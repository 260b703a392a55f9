import type { EventEmitter } from 'node:events';
import { Aedes, type AedesPublishPacket, type Client } from 'aedes';
import { protocolName, type TrafficEntry } from '../wire/index.js';
import type { BrokerAuth } from './auth.js';
import { coalesceWrites } from '../wire/coalesced-writes.js';
import { gate, TOPIC_ALIAS_MAXIMUM, type GateViolation } from './gate.js';
import { defaultBrokerLimits, MAX_TOPIC_DEPTH, type BrokerLimits } from './limits.js';
import { loopbackName, startListeners, type ListenerRemark } from './listeners.js';
import { HomePolicy, isPolicyRefusal } from './policy.js';
import { keepRetained } from './retained.js';
import { BROKER_SENDER, BrokerTrafficLog, type RetainedMessage } from './traffic-log.js';
import { TopicFeed, type BrokerTopics } from './broker-topics.js';
import type { TopicCaps } from '../wire/index.js';
import { Recorder, type RecordOptions } from './recorder.js';

export { BrokerError, brokerErrorSentence, type BrokerErrorCode, type ListenerKey } from './listeners.js';
export type { RetainedMessage } from './traffic-log.js';
export type { TrafficNote } from '../wire/index.js';

export interface BrokerOptions {
  port: number;
  host: string;
  /** MQTT over WebSocket; undefined = off. */
  wsPort?: number;
  /** Restored into the broker before it accepts connections. */
  retained?: RetainedMessage[];
  /** How long traffic and retained changes are gathered before listeners hear of them. Default 10. */
  trafficBatchMs?: number;
  /** Publish entries shown per second at most; the rest are summed up in one info entry per batch. Default 1000. */
  maxTrafficPerSecond?: number;
  /** Logins and what each client may do; undefined = everyone may connect and do anything. */
  auth?: BrokerAuth;
  /** Packet size, topic depth, client id length, connections, queues and drain timeout; defaults in limits.ts. */
  limits?: Partial<BrokerLimits>;
  /** What the topic index keeps at most; defaults in wire/topic-view.ts. */
  topicCaps?: Partial<TopicCaps>;
  /** Write every routed message to this file (`--record`); undefined = no recording. */
  record?: RecordOptions;
}

export interface BrokerStats {
  clients: number;
  messagesPerSecond: number;
  messagesTotal: number;
}

export interface BrokerHandle {
  /** mqtt://HOST:PORT with the port actually bound. */
  readonly url: string;
  readonly port: number;
  readonly wsPort?: number;
  readonly wsUrl?: string;
  stats(): BrokerStats;
  /** Batched traffic entries; returns the way to stop listening. */
  onTraffic(cb: (entries: TrafficEntry[]) => void): () => void;
  /** Batched retained changes, for the store to keep; returns the way to stop listening. */
  onRetained(cb: (changes: RetainedMessage[]) => void): () => void;
  /** Every topic, retained message and client the broker knows, as the Topics screen reads them. */
  readonly topics: BrokerTopics;
  /** Disconnects every client and closes the listeners; safe to call twice. */
  close(): Promise<void>;
}

// Small, frequent batches: building a large one in one go holds up the packets behind it.
const DEFAULT_BATCH_MS = 10;
// A person reads a screenful, not a flood: above this the log shows a sample and the count.
const DEFAULT_MAX_TRAFFIC_PER_SECOND = 1_000;
const SYS_PREFIX = '$SYS/';
// The Topics screen hears of a new question within a batch and of new messages a few times a second.
const TOPIC_ANSWER_MS = DEFAULT_BATCH_MS;
const TOPIC_REFRESH_MS = 250;
/** MQTT 5 SUBACK 0x9E: aedes does not serve $share/ subscriptions. */
const SHARED_NOT_SERVED = 0x9e;

function closeAedes(aedes: Aedes): Promise<void> {
  return new Promise((resolve) => aedes.close(() => resolve()));
}

/** Starts aedes behind the validating gate, with a TCP listener (and a WebSocket one when asked), in this thread. */
export async function startBroker(opts: BrokerOptions): Promise<BrokerHandle> {
  const log = new BrokerTrafficLog({
    batchMs: opts.trafficBatchMs ?? DEFAULT_BATCH_MS,
    maxPerSecond: opts.maxTrafficPerSecond ?? DEFAULT_MAX_TRAFFIC_PER_SECOND,
  });
  const limits: BrokerLimits = { ...defaultBrokerLimits, ...opts.limits };
  const policy = new HomePolicy(opts.auth, log);
  // Set once aedes exists, which it listens to; the hooks that read it run only once clients connect.
  let topicFeed: TopicFeed | undefined;
  const aedes = await Aedes.createBroker({
    // A publish holds its place until every subscriber's socket took it; past aedes' default of
    // 100 at once the rest wait in a list whose every step moves the whole list, which turned one
    // slow reader under a fleet of thousands into a broker stuck at full CPU. Unbounded, each
    // publish just waits for its own readers (and a reader that stops reading meets drainTimeout).
    concurrency: 0,
    queueLimit: limits.maxQueued,
    drainTimeout: limits.drainTimeoutMs,
    maxClientsIdLength: limits.maxClientIdLength,
    maxTopicLevels: Math.min(limits.maxTopicDepth, MAX_TOPIC_DEPTH),
    // MQTT 5: announced in CONNACK; the gate holds clients to them.
    topicAliasMaximum: TOPIC_ALIAS_MAXIMUM,
    maximumPacketSize: limits.maxPacketSize,
    receiveMaximum: Math.min(limits.maxInflight, 65_535),
    authenticate: (client, username, password, done) => {
      topicFeed?.loggedIn(client, username);
      policy.authenticate(client, username, password, done);
    },
    authorizePublish: policy.authorizePublish,
    authorizeSubscribe: policy.authorizeSubscribe,
    authorizeForward: (client, packet) => {
      const forwarded = policy.authorizeForward(client, packet);
      if (forwarded) topicFeed?.delivered(client);
      return forwarded;
    },
  });
  const topics = new TopicFeed(aedes, { caps: opts.topicCaps, answerMs: TOPIC_ANSWER_MS, refreshMs: TOPIC_REFRESH_MS });
  topicFeed = topics;
  policy.dropRefusedPublishes(aedes);
  keepRetained(aedes, opts.retained ?? [], log, (topic, payload, qos) => topics.retained(topic, payload, qos));
  const recorder = opts.record ? new Recorder(opts.record, (detail) => log.note('info', BROKER_SENDER, { detail })) : undefined;
  logBrokerEvents(aedes, log, policy, limits, recorder);

  // Packets that break MQTT or a limit are stopped before aedes sees them; the log says which rule.
  const reportViolation = (violation: GateViolation) => {
    const detail = `Closed: ${violation.reason} (${violation.rule})`;
    log.note('client-error', violation.clientId ?? '', violation.reasonCode === undefined ? { detail } : { detail, reasonCode: violation.reasonCode });
  };
  const listeners = await startListeners({
    host: opts.host,
    port: opts.port,
    wsPort: opts.wsPort,
    maxConnections: limits.maxConnections,
    acceptTcp: (socket) => aedes.handle(gate(coalesceWrites(socket), limits, reportViolation)),
    acceptWebSocket: (stream, request) => aedes.handle(gate(stream, limits, reportViolation), request as never),
    remark: (remark) => log.note(remark.kind === 'websocket-error' ? 'info' : 'client-error', BROKER_SENDER, listenerLine(remark)),
  }).catch(async (error: unknown) => {
    await closeAedes(aedes);
    await recorder?.close();
    log.close();
    topics.close();
    throw error;
  });

  let closing: Promise<void> | undefined;
  const shutDown = async () => {
    const stopped = listeners.stopAccepting();
    await closeAedes(aedes);
    // Connections that never finished CONNECT are not aedes clients yet; end them too.
    await listeners.close();
    await stopped;
    await recorder?.close();
    log.close();
    topics.close();
  };

  const hostForUrl = loopbackName(opts.host);
  return {
    url: `mqtt://${hostForUrl}:${listeners.port}`,
    port: listeners.port,
    wsPort: listeners.wsPort,
    wsUrl: listeners.wsPort === undefined ? undefined : `ws://${hostForUrl}:${listeners.wsPort}`,
    stats: () => ({ clients: aedes.connectedClients, messagesPerSecond: log.rate.perSecond(Date.now()), messagesTotal: log.messagesTotal }),
    onTraffic: (cb) => log.onTraffic(cb),
    onRetained: (cb) => log.onRetained(cb),
    topics,
    close: () => (closing ??= shutDown()),
  };
}

/** aedes' events as log lines: connects, subscriptions, publishes, errors. */
function logBrokerEvents(aedes: Aedes, log: BrokerTrafficLog, policy: HomePolicy, limits: BrokerLimits, recorder: Recorder | undefined): void {
  aedes.on('clientReady', (client) => log.note('connect', client.id, { protocol: protocolName(client.version) }));
  aedes.on('clientDisconnect', (client) => {
    // Set when the broker ended an MQTT 5 connection with a reason (0x8E taken over, 0x8B shutting down...).
    const code = client.disconnectReasonCode;
    log.note('disconnect', client.id, code === null || code === undefined ? undefined : { reasonCode: code });
  });
  aedes.on('subscribe', (subscriptions, client) => {
    for (const sub of subscriptions) {
      // 0x80 for MQTT 3.1.1; MQTT 5 says why (0x87 not authorized, 0x9E shared subscriptions not served).
      const granted = sub.qos as number;
      if (granted >= 128) {
        const why = granted === SHARED_NOT_SERVED ? 'shared subscriptions are not served' : policy.refusalOf(client, sub.topic);
        const detail = why ? `Subscription refused: ${why}` : 'Subscription refused';
        log.note('denied', client.id, client.version === 5 ? { topic: sub.topic, detail, reasonCode: granted } : { topic: sub.topic, detail });
      } else log.note('subscribe', client.id, { topic: sub.topic, qos: sub.qos });
    }
  });
  aedes.on('unsubscribe', (topics, client) => {
    // aedes drops the subscriptions of a closing connection as unsubscribes; that is the disconnect, not a request.
    if (client.closed) return;
    for (const topic of topics) log.note('unsubscribe', client.id, { topic });
  });
  aedes.on('publish', (packet: AedesPublishPacket, client: Client | null) => {
    if (packet.topic.startsWith(SYS_PREFIX)) return;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    log.publish(packet.topic, payload, packet.qos, packet.retain, client?.id, userPropertiesOf(packet));
    recorder?.add(packet.topic, payload, packet.qos, packet.retain, client?.id, (packet as { properties?: Record<string, unknown> }).properties);
  });
  // aedes reports a connection's error once for every message still waiting for it: a subscriber
  // cut off by the drain timeout under a fleet's telemetry made 150,000 lines, each sent on to the
  // home and its log, which kept the broker too busy to let the rest of the fleet in. One line
  // per error per connection says it all.
  const noted = new WeakMap<object, Set<string>>();
  const noteError = (client: Client | null | undefined, error: Error) => {
    // A refused login or publish was noted by the policy already.
    if ((error as { errorCode?: number }).errorCode !== undefined || isPolicyRefusal(error)) return;
    if (client) {
      const seen = noted.get(client) ?? new Set<string>();
      if (seen.has(error.message)) return;
      noted.set(client, seen.add(error.message));
    }
    log.note('client-error', client?.id ?? '', limitLine(error.message, limits) ?? { detail: error.message });
  };
  aedes.on('clientError', noteError);
  aedes.on('connectionError', noteError);
  // Persistence failures surface here; without a listener they would end the process.
  (aedes as EventEmitter).on('error', (error: Error) => log.note('info', BROKER_SENDER, { detail: `Broker error: ${error.message}` }));
}

/** An MQTT 5 publish's user properties, or undefined for none (and for every 3.1.1 publish). */
function userPropertiesOf(packet: AedesPublishPacket): Record<string, string | string[]> | undefined {
  const props = (packet as { properties?: { userProperties?: Record<string, string | string[]> } }).properties?.userProperties;
  return props === undefined || Object.keys(props).length === 0 ? undefined : props;
}

/** A refused or re-accepted connection as a log line naming the limit by key. */
function listenerLine(remark: ListenerRemark): { detail: string; limit?: keyof BrokerLimits } {
  switch (remark.kind) {
    case 'refusing':
      return {
        detail: `Refused a connection from ${remark.from}: the broker already has ${remark.limit} connections.`,
        limit: 'maxConnections',
      };
    case 'accepting-again':
      return { detail: `Accepting connections again; ${remark.refused} were refused.`, limit: 'maxConnections' };
    case 'websocket-error':
      return { detail: `WebSocket error: ${remark.message}` };
  }
}

/** aedes' own words for a client it cut off at a limit, as a sentence and the limit's key; undefined for other errors. */
function limitLine(message: string, limits: BrokerLimits): { detail: string; limit: keyof BrokerLimits } | undefined {
  if (message === 'drain timeout') {
    return { detail: `Disconnected: it read nothing for ${limits.drainTimeoutMs} ms while messages waited for it.`, limit: 'drainTimeoutMs' };
  }
  if (message === 'Client queue limit reached') {
    return { detail: `Disconnected: it sent more than ${limits.maxQueued} packets before its login was accepted.`, limit: 'maxQueued' };
  }
  return undefined;
}
