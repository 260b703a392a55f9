// MQTT 5 features a client relies on, with real mqtt.js clients (protocolVersion 5) against
// the embedded broker, next to 3.1.1 clients.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { startBroker, type BrokerHandle } from '../src/broker/embedded.js';
import { startBareBroker } from './fixtures/bare-broker.js';
import { Clients, waitFor } from './support/mqtt.js';

let broker: BrokerHandle;
const clients = new Clients();
beforeAll(async () => {
  broker = await startBroker({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await clients.closeAll();
});
afterAll(async () => {
  await broker?.close();
});

const v5 = (name: string, options: Parameters<Clients['connect']>[2] = {}) =>
  clients.connect(broker.url, name, { protocolVersion: 5, ...options });
let nextTopic = 0;
const fresh = (what: string) => `v5/${what}/${process.pid}-${++nextTopic}`;

/** The next PUBLISH `client` receives on `topic`, with its properties. */
function nextPacket(client: MqttClient, topic: string): Promise<IPublishPacket> {
  return waitFor<IPublishPacket>(
    (cb) => {
      const on = (_t: string, _p: Buffer, packet: IPublishPacket) => cb(packet);
      client.on('message', on);
      return () => client.off('message', on);
    },
    (p) => p.topic === topic,
    `a message on ${topic}`,
  );
}

/** Every message `client` receives on `topic` from now on, in order. */
function collect(client: MqttClient, topic: string): IPublishPacket[] {
  const got: IPublishPacket[] = [];
  client.on('message', (t, _p, packet) => t === topic && got.push(packet));
  return got;
}

describe('MQTT 5 messages keep their properties', () => {
  it('passes user properties, content type, payload format, response topic and correlation data through', async () => {
    const topic = fresh('props');
    const sub = await v5('sub');
    await sub.subscribeAsync(topic, { qos: 1 });
    const got = nextPacket(sub, topic);
    const pub = await v5('pub');
    await pub.publishAsync(topic, '{"on":true}', {
      qos: 1,
      properties: {
        userProperties: { room: 'kitchen', unit: '°C' },
        contentType: 'application/json',
        payloadFormatIndicator: true,
        responseTopic: `${topic}/reply`,
        correlationData: Buffer.from([1, 2, 3]),
      },
    });
    const packet = await got;
    expect(packet.payload.toString()).toBe('{"on":true}');
    expect(packet.properties).toMatchObject({
      userProperties: { room: 'kitchen', unit: '°C' },
      contentType: 'application/json',
      payloadFormatIndicator: true,
      responseTopic: `${topic}/reply`,
      correlationData: Buffer.from([1, 2, 3]),
    });
  });

  it('sends a retained message with the rest of its life as Message Expiry Interval', async () => {
    const topic = fresh('expiry');
    const pub = await v5('pub');
    await pub.publishAsync(topic, 'short-lived', { qos: 1, retain: true, properties: { messageExpiryInterval: 300 } });
    const sub = await v5('sub');
    const got = nextPacket(sub, topic);
    await sub.subscribeAsync(topic);
    const interval = (await got).properties?.messageExpiryInterval;
    expect(interval).toBeGreaterThan(0);
    expect(interval).toBeLessThanOrEqual(300);
  });

  it('gives a message the subscription identifier of the subscription it matched', async () => {
    const topic = fresh('subid');
    const sub = await v5('sub');
    await sub.subscribeAsync(topic, { properties: { subscriptionIdentifier: 42 } });
    const got = nextPacket(sub, topic);
    await (await v5('pub')).publishAsync(topic, 'x');
    expect((await got).properties?.subscriptionIdentifier).toBe(42);
  });

  it('resolves an inbound Topic Alias: the subscriber sees the full topic', async () => {
    const topic = fresh('alias');
    const sub = await v5('sub');
    await sub.subscribeAsync(topic);
    const got = collect(sub, topic);
    const pub = await v5('pub');
    await pub.publishAsync(topic, 'first', { qos: 1, properties: { topicAlias: 3 } });
    // The second PUBLISH carries only the alias (an empty topic name).
    await pub.publishAsync('', 'second', { qos: 1, properties: { topicAlias: 3 } });
    await expect.poll(() => got.map((p) => p.payload.toString())).toEqual(['first', 'second']);
    expect(got.every((p) => p.properties?.topicAlias === undefined)).toBe(true);
  });
});

describe('MQTT 5 subscription options', () => {
  it('No Local: a client does not get back what it publishes itself', async () => {
    const topic = fresh('nolocal');
    const me = await v5('me');
    await me.subscribeAsync(topic, { qos: 1, nl: true });
    const got = collect(me, topic);
    await me.publishAsync(topic, 'mine', { qos: 1 });
    await (await v5('other')).publishAsync(topic, 'theirs', { qos: 1 });
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]?.payload.toString()).toBe('theirs');
  });

  it('Retain As Published keeps the retain flag on live messages; without it the flag is cleared', async () => {
    const topic = fresh('rap');
    const keep = await v5('keep');
    await keep.subscribeAsync(topic, { qos: 0, rap: true });
    const clear = await v5('clear');
    await clear.subscribeAsync(topic, { qos: 0, rap: false });
    const kept = nextPacket(keep, topic);
    const cleared = nextPacket(clear, topic);
    await (await v5('pub')).publishAsync(topic, 'r', { retain: true, qos: 1 });
    expect((await kept).retain).toBe(true);
    expect((await cleared).retain).toBe(false);
  });

  it('Retain Handling 2 sends no retained message on subscribe, 0 sends it', async () => {
    const topic = fresh('rh');
    const pub = await v5('pub');
    await pub.publishAsync(topic, 'stored', { retain: true, qos: 1 });
    const never = await v5('rh2');
    const gotNever = collect(never, topic);
    await never.subscribeAsync(topic, { rh: 2, qos: 1 });
    const always = await v5('rh0');
    const gotAlways = collect(always, topic);
    await always.subscribeAsync(topic, { rh: 0, qos: 1 });
    await pub.publishAsync(topic, 'live', { qos: 1 });
    await expect.poll(() => gotNever.map((p) => p.payload.toString())).toEqual(['live']);
    await expect.poll(() => gotAlways.map((p) => p.payload.toString())).toEqual(['stored', 'live']);
  });

  it('refuses a shared subscription with SUBACK 0x9E (aedes does not serve them)', async () => {
    const sub = await v5('shared');
    const refused = await sub.subscribeAsync('$share/group/home/#').catch((error: { packet?: unknown }) => error);
    expect(refused).toMatchObject({ packet: { granted: [0x9e] } });
  });
});

describe('MQTT 5 sessions and wills', () => {
  it('resumes a session within its expiry interval, with the QoS 1 message sent meanwhile', async () => {
    const topic = fresh('session');
    const clientId = `resume-${process.pid}-${nextTopic}`;
    const first = await v5('first', { clientId, clean: false, properties: { sessionExpiryInterval: 300 } });
    await first.subscribeAsync(topic, { qos: 1 });
    await first.endAsync();
    await (await v5('pub')).publishAsync(topic, 'while away', { qos: 1 });
    // Listening before the CONNACK arrives: the queued message follows it at once.
    const again = mqtt.connect(broker.url, { protocolVersion: 5, clientId, clean: false, properties: { sessionExpiryInterval: 300 }, reconnectPeriod: 0 });
    try {
      const connack = new Promise<{ sessionPresent: boolean }>((resolve) => again.once('connect', resolve));
      const got = nextPacket(again, topic);
      expect((await connack).sessionPresent).toBe(true);
      expect((await got).payload.toString()).toBe('while away');
    } finally {
      await again.endAsync(true);
    }
  });

  it('publishes a will after its Will Delay Interval when the client does not come back', async () => {
    const topic = fresh('will');
    const watcher = await v5('watcher');
    await watcher.subscribeAsync(topic);
    const will = nextPacket(watcher, topic);
    const dying = await v5('dying', {
      properties: { sessionExpiryInterval: 10 },
      will: { topic, payload: Buffer.from('gone'), qos: 0, retain: false, properties: { willDelayInterval: 1, userProperties: { why: 'lost' } } },
    });
    dying.stream.destroy();
    const packet = await will;
    expect(packet.payload.toString()).toBe('gone');
    expect(packet.properties?.userProperties).toEqual({ why: 'lost' });
  });

  it('tells the old connection DISCONNECT 0x8E when another takes over its client id', async () => {
    const clientId = `taken-${process.pid}-${nextTopic}`;
    const old = await v5('old', { clientId });
    const told = new Promise<number | undefined>((resolve) => old.once('disconnect', (packet) => resolve(packet.reasonCode)));
    await v5('new', { clientId });
    expect(await told).toBe(0x8e);
  });
});

describe('MQTT 3.1.1 and MQTT 5 side by side', () => {
  it('a 3.1.1 client and a v5 client see each other’s messages', async () => {
    const topic = fresh('mixed');
    const old = await clients.connect(broker.url, 'v311', { protocolVersion: 4 });
    const modern = await v5('v5');
    await old.subscribeAsync(`${topic}/#`, { qos: 1 });
    await modern.subscribeAsync(`${topic}/#`, { qos: 1 });
    const toOld = nextPacket(old, `${topic}/from5`);
    const toModern = nextPacket(modern, `${topic}/from311`);
    await modern.publishAsync(`${topic}/from5`, 'hello 3.1.1', { qos: 1, properties: { userProperties: { a: 'b' } } });
    await old.publishAsync(`${topic}/from311`, 'hello 5', { qos: 1 });
    expect((await toOld).payload.toString()).toBe('hello 3.1.1');
    expect((await toModern).payload.toString()).toBe('hello 5');
  });
});

describe('the Maximum Packet Size a v5 client announces', () => {
  it('is respected: a larger message is not sent to it, a smaller one is', async () => {
    const topic = fresh('maxsize');
    const small = await v5('small', { properties: { maximumPacketSize: 200 } });
    await small.subscribeAsync(topic, { qos: 0 });
    const got = collect(small, topic);
    const pub = await v5('pub');
    await pub.publishAsync(topic, 'x'.repeat(500));
    await pub.publishAsync(topic, 'fits');
    await expect.poll(() => got.map((p) => p.payload.toString())).toEqual(['fits']);
  });
});

describe('a session whose expiry interval runs out', () => {
  it('is gone: the client comes back to no session and none of its subscriptions', async () => {
    const bare = await startBareBroker();
    try {
      const clientId = `expiring-${process.pid}`;
      const opts = { protocolVersion: 5 as const, clientId, clean: false, reconnectPeriod: 0 };
      const first = await mqtt.connectAsync(bare.url, { ...opts, properties: { sessionExpiryInterval: 1 } });
      await first.subscribeAsync('v5/expiring', { qos: 1 });
      const expired = new Promise<void>((resolve) => bare.broker.once('sessionExpired', () => resolve()));
      await first.endAsync();
      await expired;
      const again = mqtt.connect(bare.url, { ...opts, properties: { sessionExpiryInterval: 0 } });
      const connack = await new Promise<{ sessionPresent: boolean }>((resolve) => again.once('connect', resolve));
      expect(connack.sessionPresent).toBe(false);
      await again.endAsync(true);
    } finally {
      await bare.close();
    }
  });
});
