import { Readable } from 'node:stream';
import type { Aedes } from 'aedes';
import { RetainedIndex } from './retained-index.js';
import type { BrokerTrafficLog, RetainedMessage } from './traffic-log.js';

/** The part of aedes' persistence that holds retained messages (not in aedes' typings). */
interface RetainedStore {
  storeRetained(packet: StoredPacket, done?: (error?: Error | null) => void): Promise<void> | void;
  createRetainedStream(pattern: string): Readable;
  createRetainedStreamCombi(patterns: string[]): Readable;
}
interface StoredPacket {
  cmd: 'publish';
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
}

/**
 * The broker's retained messages: aedes' persistence keeps its sessions, subscriptions and
 * wills, but its retained messages live in a topic-level index (retained-index.ts), so each
 * SUBSCRIBE costs the messages it matches. The saved messages go in before the broker accepts
 * connections; every retained change after that (a retained publish, a cleared one, a will)
 * also goes to the log's batches, from which the store keeps its copy. Returns the index.
 */
export function keepRetained(
  aedes: Aedes,
  saved: readonly RetainedMessage[],
  log: BrokerTrafficLog,
  also: (topic: string, payload: Buffer, qos: 0 | 1 | 2) => void = () => {},
): RetainedIndex<StoredPacket> {
  const store = (aedes as unknown as { persistence: RetainedStore }).persistence;
  const index = new RetainedIndex<StoredPacket>();
  const keep = (packet: StoredPacket) => {
    // aedes' own store copies the packet too: the broker reuses the object it passed in.
    if (packet.payload.length === 0) index.delete(packet.topic);
    else index.set(packet.topic, { ...packet });
  };
  for (const message of saved) {
    const payload = Buffer.from(message.payload, 'base64');
    if (payload.length === 0) continue;
    keep({ cmd: 'publish', topic: message.topic, payload, qos: message.qos, retain: true });
    also(message.topic, payload, message.qos);
  }
  store.storeRetained = (packet, done) => {
    log.retainedChanged(packet.topic, packet.payload, packet.qos);
    also(packet.topic, packet.payload, packet.qos);
    keep(packet);
    if (done) done(null);
    else return Promise.resolve();
  };
  store.createRetainedStream = (pattern) => Readable.from(index.match(pattern));
  store.createRetainedStreamCombi = (patterns) => Readable.from(patterns.flatMap((pattern) => index.match(pattern)));
  return index;
}
