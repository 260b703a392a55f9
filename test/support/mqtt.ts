import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import type { TrafficEntry } from '../../src/wire/traffic.js';
import type { BrokerHandle, RetainedMessage } from '../../src/broker/embedded.js';

const WAIT_MS = 5_000;
let nextId = 0;

/** Resolves when `check` passes for something `listen` delivers; fails after a timeout. */
export function waitFor<T>(
  listen: (cb: (value: T) => void) => () => void,
  check: (value: T) => boolean,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`Timed out waiting for ${what}`));
    }, WAIT_MS);
    const stop = listen((value) => {
      if (!check(value)) return;
      clearTimeout(timer);
      stop();
      resolve(value);
    });
  });
}

/** A real MQTT client with its own id, closed by `closeAll`. */
export class Clients {
  private readonly open: MqttClient[] = [];

  async connect(url: string, name: string, options: IClientOptions = {}): Promise<MqttClient> {
    const client = await connectAsync(url, {
      clientId: `${name}-${process.pid}-${++nextId}`,
      reconnectPeriod: 0,
      connectTimeout: WAIT_MS,
      ...options,
    });
    this.open.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((client) => client.endAsync(true)));
  }
}

export interface Received {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
}

/** The next message on `topic` that `client` receives. */
export function nextMessage(client: MqttClient, topic: string): Promise<Received> {
  return waitFor<Received>(
    (cb) => {
      const onMessage = (t: string, payload: Buffer, packet: { qos: number; retain: boolean }) =>
        cb({ topic: t, payload, qos: packet.qos, retain: packet.retain });
      client.on('message', onMessage);
      return () => client.off('message', onMessage);
    },
    (m) => m.topic === topic,
    `a message on ${topic}`,
  );
}

/** Every traffic entry a broker reports, kept from the moment of the call. */
export function recordTraffic(broker: BrokerHandle) {
  const seen: TrafficEntry[] = [];
  const waiting = new Set<() => void>();
  broker.onTraffic((entries) => {
    seen.push(...entries);
    for (const wake of waiting) wake();
  });
  return {
    seen,
    /** The first entry (already seen or still to come) that matches. */
    find(match: (entry: TrafficEntry) => boolean, what: string): Promise<TrafficEntry> {
      const found = seen.find(match);
      if (found) return Promise.resolve(found);
      return waitFor<TrafficEntry>(
        (cb) => {
          const wake = () => {
            const hit = seen.find(match);
            if (hit) cb(hit);
          };
          waiting.add(wake);
          return () => waiting.delete(wake);
        },
        () => true,
        what,
      );
    },
  };
}

/** Retained changes a broker reports, merged per topic as a store would keep them. */
export function recordRetained(broker: BrokerHandle) {
  const kept = new Map<string, RetainedMessage>();
  broker.onRetained((changes) => {
    for (const change of changes) {
      if (change.payload === '') kept.delete(change.topic);
      else kept.set(change.topic, change);
    }
  });
  return {
    kept,
    change(topic: string): Promise<RetainedMessage[]> {
      return waitFor<RetainedMessage[]>(
        (cb) => broker.onRetained(cb),
        (changes) => changes.some((c) => c.topic === topic),
        `a retained change on ${topic}`,
      );
    },
  };
}
