import type { EventEmitter } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes, type AedesPublishPacket, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { Gatekeeper, type BrokerAuth, type ClientPolicy } from './auth.js';
import { coalesceWrites } from './coalesced-writes.js';
import { gate, type GateViolation } from './gate.js';
import { defaultBrokerLimits, MAX_TOPIC_DEPTH, type BrokerLimits } from './limits.js';
import { MessageRate } from './message-rate.js';
import { payloadPreview, safeText } from '../wire/preview.js';
import { checkPayload } from '../wire/index.js';
import type { TrafficEntry, TrafficKind } from '../wire/traffic.js';

export interface RetainedMessage {
  topic: string;
  /** Base64; '' means the retained message on this topic was cleared. */
  payload: string;
  qos: 0 | 1 | 2;
}

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
  /** Adds a line from the home itself (a device's remark) to the traffic log, in order with the rest. */
  note(line: TrafficNote): void;
  /** Disconnects every client and closes the listeners; safe to call twice. */
  close(): Promise<void>;
}

/** A traffic-log line that did not come from a packet. */
export interface TrafficNote {
  kind: TrafficKind;
  clientId: string;
  topic?: string;
  detail: string;
}

export type BrokerErrorCode = 'port-in-use' | 'permission' | 'bad-address';

/** A listener that could not start, with a sentence that tells the person what to do. */
export class BrokerError extends Error {
  override readonly name = 'BrokerError';
  constructor(
    readonly code: BrokerErrorCode,
    readonly port: number,
    message: string,
  ) {
    super(message);
  }
}

// Small, frequent batches: building a large one in one go holds up the packets behind it.
const DEFAULT_BATCH_MS = 10;
// A person reads a screenful, not a flood: above this the log shows a sample and the count.
// Building a line for every message cost the broker its 1 ms p99 at 5,000 messages/s.
const DEFAULT_MAX_TRAFFIC_PER_SECOND = 1_000;
const SYS_PREFIX = '$SYS/';
/** Shown as the sender of messages the broker publishes itself (wills). */
const BROKER_SENDER = '(broker)';

type AuthenticateDone = (error: (Error & { returnCode: number }) | null, success: boolean | null) => void;

/** Who may connect: everyone without auth; with it, the gatekeeper decides and the client keeps its policy. */
function admitWith(gatekeeper: Gatekeeper | undefined, policies: WeakMap<Client, ClientPolicy>) {
  return (client: Client, username: string | undefined, password: Buffer | undefined, done: AuthenticateDone): void => {
    if (!gatekeeper) return done(null, true);
    gatekeeper.login(client.id ?? '', username, password).then(
      (policy) => {
        policies.set(client, policy);
        done(null, true);
      },
      (error: Error & { returnCode?: number }) => {
        const refusal = Object.assign(new Error(error.message), { returnCode: error.returnCode ?? 5 });
        done(refusal, false);
      },
    );
  };
}

/** A traffic entry before it is shown: the payload is kept by reference, the preview made later. */
interface PendingEntry extends TrafficEntry {
  payload?: Buffer;
}

/** The part of aedes' persistence that holds retained messages (not in aedes' typings). */
interface RetainedStore {
  storeRetained(packet: StoredPacket, ...rest: unknown[]): unknown;
}
interface StoredPacket {
  cmd: 'publish';
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
}

function loopbackName(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Turns a listen failure into the sentence a person can act on; other failures pass through. */
function listenFailure(error: unknown, host: string, port: number, flag: '--port' | '--ws-port'): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const what = flag === '--port' ? 'Port' : 'WebSocket port';
  switch (code) {
    case 'EADDRINUSE': {
      const join =
        flag === '--port'
          ? `, or join the broker that is there with --broker mqtt://${host === '127.0.0.1' ? 'localhost' : loopbackName(host)}:${port}`
          : '';
      return new BrokerError(
        'port-in-use',
        port,
        `${what} ${port} on ${host} is already in use. Start on another port with ${flag} N${join}.`,
      );
    }
    case 'EACCES':
      return new BrokerError(
        'permission',
        port,
        `${what} ${port} on ${host} needs administrator rights. Start on a port above 1023 with ${flag} N.`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new BrokerError(
        'bad-address',
        port,
        `${host} is not an address of this computer, so the broker cannot listen there. Use --host 127.0.0.1.`,
      );
    case 'ERR_SOCKET_BAD_PORT':
      return new BrokerError('bad-address', port, `${port} is not a port number. Use ${flag} with a number from 0 to 65535.`);
    default:
      return error;
  }
}

function listen(server: Server, host: string, port: number, flag: '--port' | '--ws-port'): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(listenFailure(error, host, port, flag));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    try {
      server.listen({ port, host });
    } catch (error) {
      server.off('error', onError);
      server.off('listening', onListening);
      reject(listenFailure(error, host, port, flag));
    }
  });
}

function closeServer(server: Server): Promise<void> {
  // Not listening (never started or already closed) is fine: there is nothing to wait for.
  return new Promise((resolve) => server.close(() => resolve()));
}

function closeAedes(aedes: Aedes): Promise<void> {
  return new Promise((resolve) => aedes.close(() => resolve()));
}

/** Starts aedes with a TCP listener (and a WebSocket one when asked) in this thread. */
export async function startBroker(opts: BrokerOptions): Promise<BrokerHandle> {
  const batchMs = opts.trafficBatchMs ?? DEFAULT_BATCH_MS;
  const maxPerSecond = opts.maxTrafficPerSecond ?? DEFAULT_MAX_TRAFFIC_PER_SECOND;
  const publishBudget = Math.max(1, Math.round((maxPerSecond * batchMs) / 1000));

  const trafficListeners = new Set<(entries: TrafficEntry[]) => void>();
  const retainedListeners = new Set<(changes: RetainedMessage[]) => void>();
  const rate = new MessageRate();
  let messagesTotal = 0;
  let seq = 0;
  let pending: PendingEntry[] = [];
  let publishesInBatch = 0;
  let notShown = 0;
  let retainedChanges = new Map<string, RetainedMessage>();
  let flushTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;

  function flush(): void {
    flushTimer = undefined;
    if (notShown > 0) {
      pending.push({
        seq: ++seq,
        time: Date.now(),
        kind: 'info',
        clientId: BROKER_SENDER,
        detail: `${notShown} messages not shown (${rate.perSecond(Date.now())}/s)`,
      });
    }
    const batch = pending;
    pending = [];
    publishesInBatch = 0;
    notShown = 0;
    if (batch.length > 0 && trafficListeners.size > 0) {
      const entries = batch.map(shown);
      for (const listener of trafficListeners) listener(entries);
    }
    if (retainedChanges.size > 0) {
      const changes = [...retainedChanges.values()];
      retainedChanges = new Map();
      for (const listener of retainedListeners) listener(changes);
    }
  }

  function scheduleFlush(): void {
    if (flushTimer === undefined && !closed) {
      flushTimer = setTimeout(flush, batchMs);
      // The listeners keep the process alive, never a pending batch.
      flushTimer.unref();
    }
  }

  function note(kind: TrafficKind, clientId: string, extra?: Omit<PendingEntry, 'seq' | 'time' | 'kind' | 'clientId'>): void {
    if (trafficListeners.size === 0) return;
    pending.push({ seq: ++seq, time: Date.now(), kind, clientId, ...extra });
    scheduleFlush();
  }

  const gatekeeper = opts.auth ? new Gatekeeper(opts.auth) : undefined;
  const policies = new WeakMap<Client, ClientPolicy>();
  const admit = admitWith(gatekeeper, policies);
  /** Publishes refused by the policy; they reach no one (see authorizePublish). */
  const dropped = new WeakSet<object>();
  /** Why each refused subscription was refused, for the log line of the SUBACK. */
  const refusedFilters = new WeakMap<Client, Map<string, string>>();
  /** Topics already logged as held back from a client, so a busy topic is one line, not thousands. */
  const heldBack = new WeakMap<Client, Set<string>>();
  // A client that logged in without a policy (no auth) may do anything.
  const policyOf = (client: Client | null): ClientPolicy | undefined => (client && gatekeeper ? policies.get(client) : undefined);

  const limits: BrokerLimits = { ...defaultBrokerLimits, ...opts.limits };
  const aedes = await Aedes.createBroker({
    maxInflightInbound: limits.maxInflight,
    queueLimit: limits.maxQueued,
    drainTimeout: limits.drainTimeoutMs,
    maxClientsIdLength: limits.maxClientIdLength,
    maxTopicLevels: Math.min(limits.maxTopicDepth, MAX_TOPIC_DEPTH),
    authenticate(client, username, password, done) {
      admit(client, username, password, (error, success) => {
        if (error || !success) {
          note('auth-failure', client.id ?? '', {
            detail: `Login refused${username ? ` for user ${username}` : ''}${error?.message ? `: ${error.message}` : ''}`,
          });
        }
        done(error, success);
      });
    },
    authorizePublish(client, packet, done) {
      if (client && packet.topic.startsWith(SYS_PREFIX)) return done(new Error(`${SYS_PREFIX} topic is reserved`));
      const decision = policyOf(client)?.publish(packet.topic);
      if (decision && !decision.allowed) {
        // MQTT 3.1.1 has no refusal for a PUBLISH; like mosquitto, the broker acknowledges it and drops it.
        dropped.add(packet);
        note('denied', client?.id ?? '', { topic: packet.topic, detail: `Publish refused: ${decision.rule}` });
      }
      done(null);
    },
    authorizeSubscribe(client, subscription, done) {
      const decision = policyOf(client)?.subscribe(subscription.topic);
      if (decision && !decision.allowed) {
        let reasons = refusedFilters.get(client);
        if (!reasons) refusedFilters.set(client, (reasons = new Map()));
        reasons.set(subscription.topic, decision.rule);
        // A null subscription makes aedes answer 0x80 for this filter.
        return done(null, null as unknown as typeof subscription);
      }
      done(null, subscription);
    },
    authorizeForward(client, packet) {
      const decision = policyOf(client)?.receive(packet.topic);
      if (!decision || decision.allowed) return packet;
      let topics = heldBack.get(client);
      if (!topics) heldBack.set(client, (topics = new Set()));
      if (!topics.has(packet.topic)) {
        topics.add(packet.topic);
        note('denied', client.id, { topic: packet.topic, detail: `Not delivered: ${decision.rule}` });
      }
      return null;
    },
  });

  // A refused publish is acknowledged to its sender (aedes does that before this call) but goes no further.
  // aedes calls it as publish(packet, client, done) internally; its typings know only (packet, done).
  const inner = aedes as unknown as { publish: (packet: object, client?: unknown, done?: unknown) => void };
  const publish = inner.publish.bind(aedes);
  inner.publish = (packet, client, done) => {
    if (!dropped.has(packet)) return publish(packet, client, done);
    dropped.delete(packet);
    const callback = typeof client === 'function' ? client : done;
    if (typeof callback === 'function') callback(null);
  };

  // Every retained change (a retained publish, a cleared one, a will) goes through here.
  const store = (aedes as unknown as { persistence: RetainedStore }).persistence;
  const storeRetained = store.storeRetained.bind(store);
  for (const message of opts.retained ?? []) {
    const payload = Buffer.from(message.payload, 'base64');
    if (payload.length === 0) continue;
    await storeRetained({ cmd: 'publish', topic: message.topic, payload, qos: message.qos, retain: true });
  }
  store.storeRetained = (packet: StoredPacket, ...rest: unknown[]) => {
    retainedChanges.set(packet.topic, {
      topic: packet.topic,
      payload: packet.payload.length === 0 ? '' : Buffer.from(packet.payload).toString('base64'),
      qos: packet.qos,
    });
    scheduleFlush();
    return storeRetained(packet, ...rest);
  };

  aedes.on('clientReady', (client) => note('connect', client.id));
  aedes.on('clientDisconnect', (client) => note('disconnect', client.id));
  aedes.on('subscribe', (subscriptions, client) => {
    for (const sub of subscriptions) {
      if ((sub.qos as number) === 128) {
        const why = refusedFilters.get(client)?.get(sub.topic);
        refusedFilters.get(client)?.delete(sub.topic);
        note('denied', client.id, { topic: sub.topic, detail: why ? `Subscription refused: ${why}` : 'Subscription refused' });
      }
      else note('subscribe', client.id, { topic: sub.topic, qos: sub.qos });
    }
  });
  aedes.on('unsubscribe', (topics, client) => {
    // aedes drops the subscriptions of a closing connection as unsubscribes; that is the disconnect, not a request.
    if (client.closed) return;
    for (const topic of topics) note('unsubscribe', client.id, { topic });
  });
  aedes.on('publish', (packet: AedesPublishPacket, client: Client | null) => {
    if (packet.topic.startsWith(SYS_PREFIX)) return;
    const now = Date.now();
    messagesTotal++;
    rate.add(now);
    if (trafficListeners.size === 0) return;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    // Only the broker knows who sent a bad payload, so the log line naming them is made here;
    // such lines always show, plain publishes only within the budget.
    const problem = checkPayload(packet.topic, payload);
    if (problem === null) {
      if (publishesInBatch >= publishBudget) {
        notShown++;
        scheduleFlush();
        return;
      }
      publishesInBatch++;
    }
    pending.push({
      seq: ++seq,
      time: now,
      kind: problem === null ? 'publish' : 'bad-payload',
      clientId: client?.id ?? BROKER_SENDER,
      topic: packet.topic,
      qos: packet.qos,
      retain: packet.retain,
      size: payload.length,
      payload,
      ...(problem === null ? {} : { detail: problem }),
    });
    scheduleFlush();
  });
  const noteError = (client: Client | null | undefined, error: Error) => {
    // A refused login was noted by authenticate already.
    if ((error as { errorCode?: number }).errorCode !== undefined) return;
    note('client-error', client?.id ?? '', { detail: limitSentence(error.message, limits) ?? error.message });
  };
  aedes.on('clientError', noteError);
  aedes.on('connectionError', noteError);
  // Persistence failures surface here; without a listener they would end the process.
  (aedes as EventEmitter).on('error', (error: Error) => note('info', BROKER_SENDER, { detail: `Broker error: ${error.message}` }));

  // Packets that break MQTT 3.1.1 or a limit are stopped before aedes sees them; the log says which rule.
  const reportViolation = (violation: GateViolation) =>
    note('client-error', violation.clientId ?? '', { detail: `Closed: ${violation.reason} (${violation.rule})` });

  const sockets = new Set<Socket>();
  let wsConnections = 0;
  /** Set while connections are refused, so a storm of them is two log lines, not thousands. */
  let refusing: { count: number } | undefined;
  const isFull = () => sockets.size + wsConnections >= limits.maxConnections;
  const refuseConnection = (socket: Socket) => {
    const from = socket.remoteAddress ?? 'an unknown address';
    socket.destroy();
    if (refusing) return void refusing.count++;
    refusing = { count: 1 };
    note('client-error', BROKER_SENDER, {
      detail: `Refused a connection from ${from}: the broker already has ${limits.maxConnections} connections (--max-connections).`,
    });
  };
  const connectionClosed = () => {
    if (!refusing || isFull()) return;
    note('info', BROKER_SENDER, { detail: `Accepting connections again; ${refusing.count} were refused (--max-connections).` });
    refusing = undefined;
  };
  const tcp = createTcpServer({ noDelay: true }, (socket) => {
    if (isFull()) return refuseConnection(socket);
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      connectionClosed();
    });
    aedes.handle(gate(coalesceWrites(socket), limits, reportViolation));
  });

  let http: HttpServer | undefined;
  let wss: WebSocketServer | undefined;

  async function shutDown(): Promise<void> {
    closed = true;
    const listenersClosed = [closeServer(tcp), http ? closeServer(http) : Promise.resolve()];
    await closeAedes(aedes);
    // Connections that never finished CONNECT are not aedes clients yet; end them too.
    for (const socket of sockets) socket.destroy();
    for (const ws of wss?.clients ?? []) ws.terminate();
    wss?.close();
    await Promise.all(listenersClosed);
    if (flushTimer !== undefined) clearTimeout(flushTimer);
    flush();
    trafficListeners.clear();
    retainedListeners.clear();
  }

  let port: number;
  let wsPort: number | undefined;
  try {
    port = await listen(tcp, opts.host, opts.port, '--port');
    if (opts.wsPort !== undefined) {
      http = createHttpServer({ noDelay: true }, (_req, res) => {
        res.writeHead(426, { 'content-type': 'text/plain' });
        res.end('This is an MQTT over WebSocket endpoint; connect with an MQTT client.\n');
      });
      http.on('connection', (socket: Socket) => {
        if (isFull()) return refuseConnection(socket);
        wsConnections++;
        socket.once('close', () => {
          wsConnections--;
          connectionClosed();
        });
      });
      wsPort = await listen(http, opts.host, opts.wsPort, '--ws-port');
      wss = new WebSocketServer({ server: http });
      wss.on('error', (error) => note('info', BROKER_SENDER, { detail: `WebSocket error: ${error.message}` }));
      wss.on('connection', (ws, req) => {
        aedes.handle(gate(createWebSocketStream(ws), limits, reportViolation), req);
      });
    }
  } catch (error) {
    await shutDown();
    throw error;
  }

  const hostForUrl = loopbackName(opts.host);
  return {
    url: `mqtt://${hostForUrl}:${port}`,
    port,
    wsPort,
    wsUrl: wsPort === undefined ? undefined : `ws://${hostForUrl}:${wsPort}`,
    stats: () => ({
      clients: aedes.connectedClients,
      messagesPerSecond: rate.perSecond(Date.now()),
      messagesTotal,
    }),
    onTraffic(cb) {
      trafficListeners.add(cb);
      return () => trafficListeners.delete(cb);
    },
    onRetained(cb) {
      retainedListeners.add(cb);
      return () => retainedListeners.delete(cb);
    },
    note(line) {
      note(line.kind, line.clientId, { topic: line.topic, detail: line.detail });
    },
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}

/** aedes' own words for a client it cut off at a limit, as a sentence naming the flag; undefined for other errors. */
function limitSentence(message: string, limits: BrokerLimits): string | undefined {
  if (message === 'drain timeout') {
    return `Disconnected: it read nothing for ${limits.drainTimeoutMs} ms while messages waited for it (--drain-timeout).`;
  }
  if (message === 'Client queue limit reached') {
    return `Disconnected: it sent more than ${limits.maxQueued} packets before its login was accepted (--max-queued).`;
  }
  if (message.startsWith('maxInflightInbound exceeded')) {
    return `Disconnected: more than ${limits.maxInflight} of its QoS 2 messages were waiting for PUBREL (--max-inflight).`;
  }
  return undefined;
}

/** The entry as listeners see it: wire text escaped, the payload replaced by its preview. */
function shown(entry: PendingEntry): TrafficEntry {
  const { payload, ...rest } = entry;
  const out: TrafficEntry = { ...rest, clientId: safeText(rest.clientId) };
  if (rest.topic !== undefined) out.topic = safeText(rest.topic);
  if (rest.detail !== undefined) out.detail = safeText(rest.detail);
  if (payload !== undefined) out.preview = payloadPreview(payload);
  return out;
}
