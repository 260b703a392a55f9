import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { startGatedBroker, roundTrip, type GatedBroker } from './fixtures/gated-broker.js';
import {
  RawClient,
  bytes,
  connackBytes,
  connect,
  disconnect,
  frame,
  pingreq,
  publish,
  str,
  subscribe,
  u16,
  uniqueClientId,
  unsubscribe,
  varint,
} from './fixtures/raw-mqtt.js';

const LIMITS = { maxPacketSize: 64 * 1024, maxTopicDepth: 8, maxClientIdLength: 40 };

let home: GatedBroker;
beforeAll(async () => {
  home = await startGatedBroker(LIMITS);
});
afterAll(async () => {
  await home?.close();
});

const ok = connect();
const invalidUtf8 = Buffer.from([0x61, 0xc3, 0x28]); // 0xC3 must be followed by a continuation byte
const surrogate = Buffer.from([0x61, 0xed, 0xa0, 0x80]); // U+D800 encoded as UTF-8
const overlongNul = Buffer.from([0x61, 0xc0, 0x80]);
const withNul = Buffer.from([0x61, 0x00, 0x62]);

interface Case {
  name: string;
  rule: string;
  send: Buffer[];
  /** CONNACK code the broker must answer with before closing; otherwise it just closes. */
  connack?: number;
}

const cases: Case[] = [
  // CONNECT
  { name: 'empty client id with CleanSession=0', rule: 'MQTT-3.1.3-8', send: [connect({ clientId: '', clean: false })], connack: 2 },
  { name: 'client id longer than the limit', rule: 'limit-client-id-length', send: [connect({ clientId: 'x'.repeat(41) })], connack: 2 },
  { name: 'unknown protocol level 6', rule: 'MQTT-3.1.2-2', send: [connect({ level: 6 })], connack: 1 },
  { name: 'unknown protocol level 9', rule: 'MQTT-3.1.2-2', send: [connect({ level: 9 })], connack: 1 },
  { name: 'wrong protocol name', rule: 'MQTT-3.1.2-1', send: [connect({ protocolName: 'MQTX' })] },
  { name: 'reserved connect flag bit', rule: 'MQTT-3.1.2-3', send: [connect({ extraFlags: 0x01 })] },
  { name: 'will QoS without will flag', rule: 'MQTT-3.1.2-11', send: [connect({ extraFlags: 0x08 })] },
  { name: 'will retain without will flag', rule: 'MQTT-3.1.2-11', send: [connect({ extraFlags: 0x20 })] },
  { name: 'will QoS 3', rule: 'MQTT-3.1.2-14', send: [connect({ will: { topic: 'home/gone', qos: 3 } })] },
  { name: 'password without user name', rule: 'MQTT-3.1.2-22', send: [connect({ password: 'secret' })] },
  { name: 'invalid UTF-8 in client id', rule: 'MQTT-1.5.3-1', send: [connect({ clientId: invalidUtf8 })] },
  { name: 'surrogate in client id', rule: 'MQTT-1.5.3-1', send: [connect({ clientId: surrogate })] },
  { name: 'overlong NUL in client id', rule: 'MQTT-1.5.3-1', send: [connect({ clientId: overlongNul })] },
  { name: 'U+0000 in client id', rule: 'MQTT-1.5.3-2', send: [connect({ clientId: withNul })] },
  { name: 'invalid UTF-8 in user name', rule: 'MQTT-1.5.3-1', send: [connect({ username: invalidUtf8 })] },
  { name: 'U+0000 in user name', rule: 'MQTT-1.5.3-2', send: [connect({ username: withNul })] },
  { name: 'surrogate in will topic', rule: 'MQTT-1.5.3-1', send: [connect({ will: { topic: surrogate } })] },
  { name: 'wildcard in will topic', rule: 'MQTT-3.3.2-2', send: [connect({ will: { topic: 'home/#' } })] },
  { name: 'bytes after the last CONNECT field', rule: 'MQTT-4.8.0-1', send: [bytes(frame(0x10, connect().subarray(2), [0x00]))] },
  { name: 'second CONNECT', rule: 'MQTT-3.1.0-2', send: [ok, connect()] },
  { name: 'first packet not CONNECT', rule: 'MQTT-3.1.0-1', send: [publish({ topic: 'a' })] },
  { name: 'PINGREQ before CONNECT', rule: 'MQTT-3.1.0-1', send: [pingreq()] },
  // PUBLISH
  { name: 'packet id 0 in QoS 1 PUBLISH', rule: 'MQTT-2.3.1-1', send: [ok, publish({ topic: 'a', qos: 1, id: 0 })] },
  { name: 'packet id 0 in QoS 2 PUBLISH', rule: 'MQTT-2.3.1-1', send: [ok, publish({ topic: 'a', qos: 2, id: 0 })] },
  { name: '+ in PUBLISH topic', rule: 'MQTT-3.3.2-2', send: [ok, publish({ topic: 'home/+/temp' })] },
  { name: '# in PUBLISH topic', rule: 'MQTT-3.3.2-2', send: [ok, publish({ topic: 'home/#' })] },
  { name: 'empty PUBLISH topic', rule: 'MQTT-4.7.3-1', send: [ok, publish({ topic: '' })] },
  { name: 'PUBLISH QoS 3', rule: 'MQTT-3.3.1-4', send: [ok, frame(0x36, str('a'), u16(1))] },
  { name: 'invalid UTF-8 in PUBLISH topic', rule: 'MQTT-1.5.3-1', send: [ok, publish({ topic: invalidUtf8 })] },
  { name: 'surrogate in PUBLISH topic', rule: 'MQTT-1.5.3-1', send: [ok, publish({ topic: surrogate })] },
  { name: 'U+0000 in PUBLISH topic', rule: 'MQTT-1.5.3-2', send: [ok, publish({ topic: withNul })] },
  { name: 'PUBLISH topic deeper than the limit', rule: 'limit-topic-depth', send: [ok, publish({ topic: 'a/b/c/d/e/f/g/h/i' })] },
  { name: 'PUBLISH topic longer than its packet', rule: 'MQTT-4.8.0-1', send: [ok, frame(0x30, u16(50), Buffer.from('abc'))] },
  // SUBSCRIBE / UNSUBSCRIBE
  { name: 'SUBSCRIBE without filters', rule: 'MQTT-3.8.3-3', send: [ok, frame(0x82, u16(1))] },
  { name: 'SUBSCRIBE requesting QoS 3', rule: 'MQTT-3-8.3-4', send: [ok, subscribe(1, [['a', 3]])] },
  { name: 'SUBSCRIBE reserved option bits', rule: 'MQTT-3-8.3-4', send: [ok, subscribe(1, [['a', 0x04]])] },
  { name: 'packet id 0 in SUBSCRIBE', rule: 'MQTT-2.3.1-1', send: [ok, subscribe(0, [['a', 0]])] },
  { name: 'filter a/#/b', rule: 'MQTT-4.7.1-2', send: [ok, subscribe(1, [['a/#/b', 0]])] },
  { name: 'filter a+', rule: 'MQTT-4.7.1-2', send: [ok, subscribe(1, [['a+', 0]])] },
  { name: 'filter +a', rule: 'MQTT-4.7.1-2', send: [ok, subscribe(1, [['+a', 0]])] },
  { name: 'filter #x', rule: 'MQTT-4.7.1-2', send: [ok, subscribe(1, [['#x', 0]])] },
  { name: 'filter a#', rule: 'MQTT-4.7.1-2', send: [ok, subscribe(1, [['a#', 0]])] },
  { name: 'empty filter', rule: 'MQTT-4.7.3-1', send: [ok, subscribe(1, [['', 0]])] },
  { name: 'invalid UTF-8 in filter', rule: 'MQTT-1.5.3-1', send: [ok, subscribe(1, [[invalidUtf8, 0]])] },
  { name: 'U+0000 in filter', rule: 'MQTT-1.5.3-2', send: [ok, subscribe(1, [['ok', 0], [withNul, 0]])] },
  { name: 'filter deeper than the limit', rule: 'limit-topic-depth', send: [ok, subscribe(1, [['a/b/c/d/e/f/g/h/#', 0]])] },
  { name: 'UNSUBSCRIBE without filters', rule: 'MQTT-3.10.3-2', send: [ok, frame(0xa2, u16(1))] },
  { name: 'packet id 0 in UNSUBSCRIBE', rule: 'MQTT-2.3.1-1', send: [ok, unsubscribe(0, ['a'])] },
  { name: 'bad wildcard in UNSUBSCRIBE', rule: 'MQTT-4.7.1-2', send: [ok, unsubscribe(1, ['a/#/b'])] },
  { name: 'surrogate in UNSUBSCRIBE filter', rule: 'MQTT-1.5.3-1', send: [ok, unsubscribe(1, [surrogate])] },
  // Fixed header flags [MQTT-2.2.2-2]
  { name: 'SUBSCRIBE flags 0000', rule: 'MQTT-2.2.2-2', send: [ok, subscribe(1, [['a', 0]], 0x80)] },
  { name: 'UNSUBSCRIBE flags 0000', rule: 'MQTT-2.2.2-2', send: [ok, unsubscribe(1, ['a'], 0xa0)] },
  { name: 'PUBREL flags 0000', rule: 'MQTT-2.2.2-2', send: [ok, frame(0x60, u16(1))] },
  { name: 'PUBACK flags 0001', rule: 'MQTT-2.2.2-2', send: [ok, frame(0x41, u16(1))] },
  { name: 'PINGREQ flags 0100', rule: 'MQTT-2.2.2-2', send: [ok, Buffer.from([0xc4, 0x00])] },
  { name: 'DISCONNECT flags 0001', rule: 'MQTT-2.2.2-2', send: [ok, Buffer.from([0xe1, 0x00])] },
  { name: 'CONNECT flags 0010', rule: 'MQTT-2.2.2-2', send: [bytes([0x12], ok.subarray(1))] },
  // Packets a client may not send, malformed lengths
  { name: 'reserved packet type 0', rule: 'MQTT-2.2.1', send: [ok, Buffer.from([0x00, 0x00])] },
  { name: 'reserved packet type 15', rule: 'MQTT-2.2.1', send: [ok, Buffer.from([0xf0, 0x00])] },
  { name: 'CONNACK from a client', rule: 'MQTT-4.8.0-1', send: [ok, connackBytes(0)] },
  { name: 'PINGREQ with a body', rule: 'MQTT-4.8.0-1', send: [ok, Buffer.from([0xc0, 0x01, 0x00])] },
  { name: 'remaining length of 5 bytes', rule: 'MQTT-2.2.3', send: [ok, Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])] },
];

async function expectRefused(c: Case): Promise<void> {
  const since = home.violations.length;
  const raw = await RawClient.open(home.port);
  try {
    const afterConnect = c.send[0] === ok;
    if (afterConnect) {
      // A real client waits for its CONNACK before it sends anything else.
      raw.send(connect());
      expect(await raw.firstBytes(4)).toEqual(connackBytes(0));
      raw.send(...c.send.slice(1));
    } else {
      raw.send(...c.send);
    }
    const violation = await home.nextViolation(since);
    expect(violation.rule).toBe(c.rule);
    expect(violation.reason.length).toBeGreaterThan(10);
    await raw.whenClosed();
    if (c.connack !== undefined) {
      expect(raw.received).toEqual(connackBytes(c.connack));
      expect(violation.connackCode).toBe(c.connack);
    } else if (afterConnect) {
      // Only the answer to the good CONNECT; the bad packet got no reply.
      expect(raw.received).toEqual(connackBytes(0));
    } else {
      expect(raw.received.length).toBe(0);
    }
  } finally {
    raw.destroy();
  }
  await roundTrip(home.port);
}

describe('the gate refuses packets that break MQTT 3.1.1', () => {
  for (const c of cases) {
    it(`${c.name} -> ${c.connack === undefined ? 'close' : `CONNACK 0x0${c.connack} and close`} [${c.rule}]`, async () => {
      await expectRefused(c);
    });
  }

  it('closes on an oversized packet as soon as its length is known, without waiting for the body', async () => {
    const since = home.violations.length;
    const raw = await RawClient.open(home.port);
    // Only the fixed header of a 100 KiB PUBLISH: the body never comes.
    raw.send(ok, bytes([0x30], varint(100 * 1024)));
    const violation = await home.nextViolation(since);
    expect(violation.rule).toBe('limit-packet-size');
    expect(violation.clientId).toMatch(/^raw-/);
    await raw.whenClosed();
    raw.destroy();
    await roundTrip(home.port);
  });

  it('refuses a bad packet even when it arrives one byte at a time', async () => {
    const since = home.violations.length;
    const raw = await RawClient.open(home.port);
    const sendByteByByte = async (all: Buffer): Promise<void> => {
      for (const b of all) {
        // Wait for each write to reach the kernel so every byte is its own segment.
        await new Promise<void>((resolve) => raw.socket.write(Buffer.from([b]), () => resolve()));
      }
    };
    await sendByteByByte(bytes(connect(), publish({ topic: 'fine/topic', qos: 1, id: 7, payload: 'x' })));
    await raw.whenReceived(bytes(connackBytes(0), frame(0x40, u16(7))));
    await sendByteByByte(subscribe(2, [['a/#/b', 0]]));
    expect((await home.nextViolation(since)).rule).toBe('MQTT-4.7.1-2');
    await raw.whenClosed();
    raw.destroy();
  });
});

describe('the gate lets well-formed traffic through unchanged', () => {
  it('accepts valid filters, UTF-8 topics, MQTT 3.1 and split packets', async () => {
    const since = home.violations.length;
    const raw = await RawClient.open(home.port);
    const topic = 'maison/séjour/température';
    const all = bytes(
      connect({ protocolName: 'MQIsdp', level: 3, clientId: uniqueClientId('v31').slice(0, 23), username: 'élève', password: 'pw' }),
      subscribe(1, [['#', 0], ['+', 0], ['a/+/b', 1], ['/', 0], ['+/+', 0], ['maison/#', 2]]),
      unsubscribe(2, ['+', '/']),
      publish({ topic, qos: 1, id: 3, payload: Buffer.alloc(3000, 1) }),
      pingreq(),
    );
    // Three uneven chunks, so headers and topics straddle chunk boundaries.
    raw.send(all.subarray(0, 5));
    raw.send(all.subarray(5, 80));
    raw.send(all.subarray(80));
    // aedes answers packets of one read concurrently, so each reply is looked for on its own.
    await raw.whenReceived(connackBytes(0));
    await raw.whenReceived(frame(0x90, u16(1), [0, 0, 1, 0, 0, 2]));
    await raw.whenReceived(frame(0xb0, u16(2)));
    await raw.whenReceived(frame(0x40, u16(3)));
    await raw.whenReceived(Buffer.from([0xd0, 0x00]));
    // Our own publish comes back through '#' and 'maison/#' with the topic unchanged.
    await raw.whenReceived(str(topic));
    raw.send(disconnect());
    await raw.whenClosed();
    expect(home.violations.length).toBe(since);
  });

  it('passes a 60 KiB payload just under the packet limit to subscribers', async () => {
    const topic = `big/${uniqueClientId('t')}`;
    const receiver = await mqtt.connectAsync(`mqtt://127.0.0.1:${home.port}`, { clientId: uniqueClientId('rx'), reconnectPeriod: 0 });
    const sender = await mqtt.connectAsync(`mqtt://127.0.0.1:${home.port}`, { clientId: uniqueClientId('tx'), reconnectPeriod: 0 });
    try {
      await receiver.subscribeAsync(topic, { qos: 1 });
      const got = new Promise<Buffer>((resolve) => receiver.on('message', (_t, p) => resolve(p)));
      const payload = Buffer.alloc(60 * 1024, 7);
      await sender.publishAsync(topic, payload, { qos: 1 });
      expect((await got).equals(payload)).toBe(true);
    } finally {
      await sender.endAsync(true);
      await receiver.endAsync(true);
    }
  });
});

describe('rules aedes enforces behind the gate', () => {
  it('closes a client that goes silent past 1.5 x its keep alive [MQTT-3.1.2-24]', async () => {
    const raw = await RawClient.open(home.port);
    raw.send(connect({ keepalive: 1 }));
    expect(await raw.firstBytes(4)).toEqual(connackBytes(0));
    await raw.whenClosed(5000);
    raw.destroy();
  });

  it('answers SUBACK 0x80 for a filter authorizeSubscribe forbids [MQTT-3.9.3]', async () => {
    const guarded = await startGatedBroker(LIMITS, {
      authorizeSubscribe: (_client, sub, done) => done(null, sub.topic.startsWith('secret/') ? null : sub),
    });
    const raw = await RawClient.open(guarded.port);
    try {
      raw.send(connect(), subscribe(5, [['secret/#', 0], ['open/#', 1]]));
      expect(await raw.firstBytes(10)).toEqual(bytes(connackBytes(0), frame(0x90, u16(5), [0x80, 1])));
    } finally {
      raw.destroy();
      await guarded.close();
    }
  });
});
