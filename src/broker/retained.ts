import type { Aedes } from 'aedes';
import type { BrokerTrafficLog, RetainedMessage } from './traffic-log.js';

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

/**
 * Puts the saved retained messages back into the broker before it accepts connections, then
 * reports every retained change (a retained publish, a cleared one, a will) to the log's
 * batches, from which the store keeps its copy.
 */
export async function keepRetained(
  aedes: Aedes,
  saved: readonly RetainedMessage[],
  log: BrokerTrafficLog,
  also: (topic: string, payload: Buffer, qos: 0 | 1 | 2) => void = () => {},
): Promise<void> {
  const store = (aedes as unknown as { persistence: RetainedStore }).persistence;
  const storeRetained = store.storeRetained.bind(store);
  for (const message of saved) {
    const payload = Buffer.from(message.payload, 'base64');
    if (payload.length === 0) continue;
    await storeRetained({ cmd: 'publish', topic: message.topic, payload, qos: message.qos, retain: true });
    also(message.topic, payload, message.qos);
  }
  store.storeRetained = (packet: StoredPacket, ...rest: unknown[]) => {
    log.retainedChanged(packet.topic, packet.payload, packet.qos);
    also(packet.topic, packet.payload, packet.qos);
    return storeRetained(packet, ...rest);
  };
}
