import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { TOPIC_ALIAS_MAXIMUM } from '../src/broker/gate.js';
import { startGatedBroker, roundTrip, type GatedBroker } from './fixtures/gated-broker.js';
import { RawClient, frame, str, u16 } from './fixtures/raw-mqtt.js';
import { connect5, decode5, prop, props, publish5, subscribe5, u32, unsubscribe5, userProperty } from './fixtures/raw-mqtt5.js';

let home: GatedBroker;
beforeAll(async () => {
  home = await startGatedBroker(
    { maxPacketSize: 64 * 1024, maxTopicDepth: 8, maxClientIdLength: 40, maxInflight: 3 },
    { topicAliasMaximum: TOPIC_ALIAS_MAXIMUM },
  );
});
afterAll(async () => {
  await home?.close();
});

const ok = connect5();
const expiry = (s: number) => prop(0x11, u32(s));
const badUtf8 = Buffer.from([0x61, 0xc3, 0x28]);

interface Case {
  name: string;
  rule: string;
  send: Buffer[];
  /** The reason code of the CONNACK (while connecting) or DISCONNECT (after) the client must get. */
  code: number;
}

const whileConnecting: Case[] = [
  { name: 'session expiry interval twice', rule: 'MQTT5-2.2.2.2', send: [connect5({ properties: props(expiry(60), expiry(60)) })], code: 0x82 },
  { name: 'Topic Alias in CONNECT', rule: 'MQTT5-2.2.2.2', send: [connect5({ properties: props(prop(0x23, u16(1))) })], code: 0x81 },
  { name: 'unknown property identifier 0x7f', rule: 'MQTT5-2.2.2.2', send: [connect5({ properties: props([0x7f, 0]) })], code: 0x81 },
  { name: 'Receive Maximum 0', rule: 'MQTT5-2.2.2.2', send: [connect5({ properties: props(prop(0x21, u16(0))) })], code: 0x82 },
  { name: 'Maximum Packet Size 0', rule: 'MQTT5-2.2.2.2', send: [connect5({ properties: props(prop(0x27, u32(0))) })], code: 0x82 },
  { name: 'Request Problem Information 2', rule: 'MQTT5-2.2.2.2', send: [connect5({ properties: props(prop(0x17, [2])) })], code: 0x82 },
  { name: 'properties longer than the packet', rule: 'MQTT5-2.2.2.1', send: [frame(0x10, str('MQTT'), [5, 2], u16(30), [40, 0x11, 0, 0])], code: 0x81 },
  { name: 'invalid UTF-8 in a user property', rule: 'MQTT-1.5.3-1', send: [connect5({ properties: props(userProperty(badUtf8, 'v')) })], code: 0x81 },
  { name: 'an authentication method', rule: 'MQTT5-4.12', send: [connect5({ properties: props(prop(0x15, str('SCRAM-SHA-1'))) })], code: 0x8c },
  { name: 'Session Expiry Interval in will properties', rule: 'MQTT5-2.2.2.2', send: [connect5({ will: { topic: 'a', properties: props(expiry(5)) } })], code: 0x81 },
  { name: 'will Response Topic with a wildcard', rule: 'MQTT5-3.3.2.3.5', send: [connect5({ will: { topic: 'a', properties: props(prop(0x08, str('r/#'))) } })], code: 0x82 },
  { name: 'client id longer than the limit', rule: 'limit-client-id-length', send: [connect5({ clientId: 'x'.repeat(41) })], code: 0x85 },
  { name: 'reserved CONNECT flag', rule: 'MQTT-3.1.2-3', send: [connect5({ extraFlags: 0x01 })], code: 0x81 },
];

const afterConnect: Case[] = [
  { name: 'second CONNECT', rule: 'MQTT-3.1.0-2', send: [ok, connect5()], code: 0x82 },
  { name: 'Subscription Identifier in PUBLISH', rule: 'MQTT5-3.3.4', send: [ok, publish5({ topic: 'a', properties: props(prop(0x0b, [1])) })], code: 0x82 },
  { name: 'Topic Alias 0', rule: 'MQTT5-3.3.2.3.4', send: [ok, publish5({ topic: 'a', properties: props(prop(0x23, u16(0))) })], code: 0x94 },
  { name: 'Topic Alias above the maximum', rule: 'MQTT5-3.3.2.3.4', send: [ok, publish5({ topic: 'a', properties: props(prop(0x23, u16(TOPIC_ALIAS_MAXIMUM + 1))) })], code: 0x94 },
  { name: 'empty topic without Topic Alias', rule: 'MQTT5-3.3.2.1', send: [ok, publish5({ topic: '' })], code: 0x82 },
  { name: 'empty topic with an alias never set', rule: 'MQTT5-3.3.2.3.4', send: [ok, publish5({ topic: '', properties: props(prop(0x23, u16(7))) })], code: 0x82 },
  { name: 'Message Expiry Interval twice', rule: 'MQTT5-2.2.2.2', send: [ok, publish5({ topic: 'a', properties: props(prop(0x02, u32(5)), prop(0x02, u32(5))) })], code: 0x82 },
  { name: 'Payload Format Indicator 2', rule: 'MQTT5-2.2.2.2', send: [ok, publish5({ topic: 'a', properties: props(prop(0x01, [2])) })], code: 0x82 },
  { name: 'wildcard in PUBLISH topic', rule: 'MQTT-3.3.2-2', send: [ok, publish5({ topic: 'a/+' })], code: 0x81 },
  { name: 'PUBLISH properties past the packet', rule: 'MQTT-4.8.0-1', send: [ok, frame(0x30, str('a'), [9, 0x01])], code: 0x81 },
  { name: 'PUBACK reason code 0x05', rule: 'MQTT5-2.4', send: [ok, frame(0x40, u16(1), [0x05])], code: 0x82 },
  { name: 'PUBREL reason code 0x10', rule: 'MQTT5-2.4', send: [ok, frame(0x62, u16(1), [0x10])], code: 0x82 },
  { name: 'PUBACK properties past the packet', rule: 'MQTT5-2.2.2.1', send: [ok, frame(0x40, u16(1), [0x00, 5, 0x1f])], code: 0x81 },
  { name: 'SUBSCRIBE reserved option bits', rule: 'MQTT5-3.8.3.1', send: [ok, subscribe5(1, [['a', 0x40]])], code: 0x81 },
  { name: 'SUBSCRIBE QoS 3', rule: 'MQTT5-3.8.3.1', send: [ok, subscribe5(1, [['a', 0x03]])], code: 0x82 },
  { name: 'SUBSCRIBE Retain Handling 3', rule: 'MQTT5-3.8.3.1', send: [ok, subscribe5(1, [['a', 0x30]])], code: 0x82 },
  { name: 'Subscription Identifier 0', rule: 'MQTT5-3.8.2.1.2', send: [ok, subscribe5(1, [['a', 0]], props(prop(0x0b, [0])))], code: 0x82 },
  { name: 'shared subscription with No Local', rule: 'MQTT5-3.8.3.1', send: [ok, subscribe5(1, [['$share/g/a', 0x04]])], code: 0x82 },
  { name: 'shared subscription without a name', rule: 'MQTT5-4.8.2', send: [ok, subscribe5(1, [['$share//a', 0]])], code: 0x82 },
  { name: 'shared subscription without a filter', rule: 'MQTT5-4.8.2', send: [ok, subscribe5(1, [['$share/g', 0]])], code: 0x82 },
  { name: 'SUBSCRIBE without filters', rule: 'MQTT-3.8.3-3', send: [ok, subscribe5(1, [])], code: 0x82 },
  { name: 'UNSUBSCRIBE with a Subscription Identifier', rule: 'MQTT5-2.2.2.2', send: [ok, unsubscribe5(1, ['a'], props(prop(0x0b, [1])))], code: 0x81 },
  { name: 'DISCONNECT reason code 0x05', rule: 'MQTT5-2.4', send: [ok, frame(0xe0, [0x05])], code: 0x82 },
  { name: 'DISCONNECT with a Server Reference', rule: 'MQTT5-3.3.4', send: [ok, frame(0xe0, [0x00], props(prop(0x1c, str('elsewhere'))))], code: 0x82 },
  { name: 'DISCONNECT setting a session expiry the CONNECT did not', rule: 'MQTT5-3.14.2.2.2', send: [ok, frame(0xe0, [0x00], props(expiry(60)))], code: 0x82 },
  { name: 'AUTH without an agreed method', rule: 'MQTT5-4.12', send: [ok, frame(0xf0, [0x18], props())], code: 0x82 },
  { name: 'packet larger than the limit', rule: 'limit-packet-size', send: [ok, publish5({ topic: 'a', payload: 'x'.repeat(70 * 1024) })], code: 0x95 },
  { name: 'a fourth QoS 2 message awaiting PUBREL', rule: 'limit-inflight', send: [ok, ...[1, 2, 3, 4].map((id) => publish5({ topic: 'a', qos: 2, id }))], code: 0x93 },
];

async function expectRefused(c: Case): Promise<void> {
  const since = home.violations.length;
  const raw = await RawClient.open(home.port);
  try {
    const connected = c.send[0] === ok;
    if (connected) {
      raw.send(connect5());
      await expect.poll(() => decode5(raw.received).length).toBe(1);
      expect(decode5(raw.received)[0]).toMatchObject({ cmd: 'connack', reasonCode: 0 });
    }
    raw.send(...c.send.slice(connected ? 1 : 0));
    const violation = await home.nextViolation(since);
    expect(violation).toMatchObject({ rule: c.rule, version: 5, reasonCode: c.code });
    await raw.whenClosed();
    const last = decode5(raw.received).at(-1);
    expect(last).toMatchObject({ cmd: connected ? 'disconnect' : 'connack', reasonCode: c.code, properties: { reasonString: violation.reason } });
  } finally {
    raw.destroy();
  }
  await roundTrip(home.port);
}

describe('the gate holds MQTT 5 clients to MQTT 5 and answers with the reason code', () => {
  for (const c of whileConnecting) {
    it(`CONNECT with ${c.name} -> CONNACK 0x${c.code.toString(16)} [${c.rule}]`, async () => expectRefused(c));
  }
  for (const c of afterConnect) {
    it(`${c.name} -> DISCONNECT 0x${c.code.toString(16)} [${c.rule}]`, async () => expectRefused(c));
  }
});

describe('the gate lets well-formed MQTT 5 traffic through', () => {
  it('passes user properties, topic aliases, subscription options and acks with reason codes', async () => {
    const since = home.violations.length;
    const raw = await RawClient.open(home.port);
    raw.send(connect5({ properties: props(expiry(0), prop(0x21, u16(10)), prop(0x22, u16(5)), userProperty('k', 'v')), password: 'no user name' }));
    await expect.poll(() => decode5(raw.received).length).toBe(1);
    raw.send(
      subscribe5(1, [['t/#', 0x2c | 1]], props(prop(0x0b, [9]), userProperty('why', 'test'))),
      publish5({ topic: 't/alias', qos: 1, id: 2, properties: props(prop(0x23, u16(3)), userProperty('a', 'b')), payload: 'one' }),
      publish5({ topic: '', qos: 1, id: 3, properties: props(prop(0x23, u16(3))), payload: 'two' }),
      unsubscribe5(4, ['nothing/here']),
    );
    await expect.poll(() => decode5(raw.received).map((p) => p.cmd).sort()).toEqual(['connack', 'puback', 'puback', 'suback', 'unsuback']);
    raw.send(frame(0xe0, [0x00], props(prop(0x1f, str('bye')))));
    await raw.whenClosed();
    expect(home.violations.length).toBe(since);
    raw.destroy();
  });

  it('answers a shared subscription with SUBACK 0x9E, which aedes does not serve', async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${home.port}`, { protocolVersion: 5, reconnectPeriod: 0 });
    const refused = await client.subscribeAsync('$share/g/home/#').catch((error: { packet?: unknown }) => error);
    expect(refused).toMatchObject({ packet: { cmd: 'suback', granted: [0x9e] } });
    await client.endAsync();
  });

  it('survives a CONNECT with a session expiry interval followed by UNSUBSCRIBE, and the client leaving', async () => {
    const raw = await RawClient.open(home.port);
    raw.send(connect5({ properties: props(expiry(60)) }), unsubscribe5(1, ['a']), unsubscribe5(2, ['a/#/b']));
    await raw.whenClosed();
    raw.destroy();
    await roundTrip(home.port);
  });
});
