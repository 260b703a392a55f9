import fc from 'fast-check';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startBroker, type BrokerHandle } from '../src/broker/embedded.js';
import { RetainedIndex } from '../src/broker/retained-index.js';
import { Clients, nextMessage } from './support/mqtt.js';

/** MQTT 3.1.1 section 4.7, level by level, as a reader checks it by hand. */
function matches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  if (t[0]!.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

const word = fc.constantFrom('a', 'b', 'c', '', '$SYS', '$x');
const topic = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join('/'));
const filter = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', '', '$SYS', '+'), { maxLength: 4 }), fc.boolean())
  .filter(([words, hash]) => words.length > 0 || hash)
  .map(([words, hash]) => [...words, ...(hash ? ['#'] : [])].join('/'));

describe('the retained index', () => {
  it('finds exactly the topics a filter matches, after any sets and deletes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(topic, fc.boolean())), fc.array(filter, { minLength: 1, maxLength: 5 }), (changes, filters) => {
        const index = new RetainedIndex<string>();
        const reference = new Map<string, string>();
        for (const [t, keep] of changes) {
          if (keep) {
            index.set(t, t);
            reference.set(t, t);
          } else {
            index.delete(t);
            reference.delete(t);
          }
        }
        expect(index.size).toBe(reference.size);
        expect(index.all().sort()).toEqual([...reference.keys()].sort());
        for (const f of filters) {
          expect(index.match(f).sort(), f).toEqual([...reference.keys()].filter((t) => matches(f, t)).sort());
        }
      }),
    );
  });

  it('leaves no empty levels behind a delete', () => {
    const index = new RetainedIndex<string>();
    index.set('a/b/c', 'deep');
    index.set('a', 'top');
    index.delete('a/b/c');
    expect(index.match('a/+/#')).toEqual([]);
    expect(index.match('#')).toEqual(['top']);
    index.delete('a');
    expect(index.size).toBe(0);
    expect(index.all()).toEqual([]);
  });
});

describe('retained messages in the broker', () => {
  const clients = new Clients();
  let broker: BrokerHandle | undefined;
  afterEach(async () => {
    await clients.closeAll();
    await broker?.close();
  });

  /** Subscribes, then waits for a message sent after the retained ones, and returns what came before it. */
  async function retainedFor(client: MqttClient, filters: string[]): Promise<string[]> {
    const got: string[] = [];
    client.on('message', (t, payload, packet) => {
      if (packet.retain) got.push(`${t}=${payload.toString()} q${packet.qos}`);
    });
    await client.subscribeAsync(Object.fromEntries(filters.map((f) => [f, { qos: 2 as const }])));
    await expect.poll(() => got.length).toBeGreaterThan(0);
    const marker = nextMessage(client, 'marker/done');
    await client.subscribeAsync('marker/done');
    await client.publishAsync('marker/done', 'x', { qos: 1 });
    await marker;
    return got.sort();
  }

  it('answers a subscription with the retained messages it matches, keeping QoS, deletes and $ topics apart', async () => {
    broker = await startBroker({ port: 0, host: '127.0.0.1', retained: [{ topic: 'saved/one', payload: Buffer.from('s').toString('base64'), qos: 2 }] });
    const pub = await clients.connect(broker.url, 'retained-pub');
    await pub.publishAsync('device/d1/info', 'i1', { qos: 1, retain: true });
    await pub.publishAsync('device/d2/info', 'i2', { qos: 0, retain: true });
    await pub.publishAsync('device/d2/event', 'e2', { qos: 2, retain: true });
    await pub.publishAsync('device', 'root', { qos: 1, retain: true });
    await pub.publishAsync('$app/state', 'hidden', { qos: 1, retain: true });
    await pub.publishAsync('gone/soon', 'g', { qos: 1, retain: true });
    await pub.publishAsync('gone/soon', '', { qos: 1, retain: true });
    await pub.publishAsync('device/d1/info', 'i1b', { qos: 1, retain: true });

    const late = await clients.connect(broker.url, 'retained-late');
    expect(await retainedFor(late, ['device/+/info', 'device/#'])).toEqual(
      ['device/d1/info=i1b q1', 'device/d1/info=i1b q1', 'device/d2/event=e2 q2', 'device/d2/info=i2 q0', 'device/d2/info=i2 q0', 'device=root q1'].sort(),
    );
    const all = await clients.connect(broker.url, 'retained-all');
    expect(await retainedFor(all, ['#'])).toEqual(
      ['device/d1/info=i1b q1', 'device/d2/event=e2 q2', 'device/d2/info=i2 q0', 'device=root q1', 'saved/one=s q2'].sort(),
    );
    const dollar = await clients.connect(broker.url, 'retained-dollar');
    expect(await retainedFor(dollar, ['$app/#', '+/state'])).toEqual(['$app/state=hidden q1']);
  });
});
