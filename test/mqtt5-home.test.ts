// MQTT 5 clients under the home's rules: logins, ACLs and limits apply as for 3.1.1, and the
// traffic log says which protocol each client speaks, the reason codes and user properties.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { hashPassword } from '../src/broker/accounts.js';
import { parseAcl } from '../src/broker/acl.js';
import { startBroker, type BrokerHandle } from '../src/broker/embedded.js';
import { RawClient } from './fixtures/raw-mqtt.js';
import { connect5, decode5, prop, props, publish5 } from './fixtures/raw-mqtt5.js';
import { Clients, recordTraffic } from './support/mqtt.js';

const clients = new Clients();
let open: BrokerHandle;
let guarded: BrokerHandle;
beforeAll(async () => {
  open = await startBroker({ port: 0, host: '127.0.0.1', trafficBatchMs: 10 });
  const accounts = [{ username: 'bob', hash: await hashPassword('bob-pw'), admin: false }];
  const acl = parseAcl(['user bob', 'topic readwrite public/#', 'topic deny public/secret'].join('\n'));
  guarded = await startBroker({ port: 0, host: '127.0.0.1', trafficBatchMs: 10, auth: { required: true, accounts, acl } });
});
afterEach(async () => {
  await clients.closeAll();
});
afterAll(async () => {
  await Promise.all([open?.close(), guarded?.close()]);
});

/** What mqtt.js rejects with: the CONNACK reason code, or the refusing SUBACK/PUBACK packet. */
const refusedWith = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { code?: number; packet?: unknown }) => e);

describe('the traffic log of MQTT 5 clients', () => {
  it('names each client’s protocol at connect and keeps a publish’s user properties', async () => {
    const traffic = recordTraffic(open);
    const modern = await clients.connect(open.url, 'modern', { protocolVersion: 5 });
    await clients.connect(open.url, 'classic', { protocolVersion: 4 });
    await modern.publishAsync('home/hall/light', 'on', { qos: 1, properties: { userProperties: { room: 'hall', tag: ['a', 'b'] } } });
    const v5 = await traffic.find((e) => e.kind === 'connect' && e.clientId.startsWith('modern'), 'the v5 connect line');
    const v311 = await traffic.find((e) => e.kind === 'connect' && e.clientId.startsWith('classic'), 'the 3.1.1 connect line');
    expect([v5.protocol, v311.protocol]).toEqual(['MQTT 5', 'MQTT 3.1.1']);
    const publish = await traffic.find((e) => e.kind === 'publish' && e.topic === 'home/hall/light', 'the publish line');
    expect(publish.userProperties).toEqual({ room: 'hall', tag: ['a', 'b'] });
  });

  it('logs the reason code the broker gave a v5 client: a broken rule, a session taken over', async () => {
    const traffic = recordTraffic(open);
    const raw = await RawClient.open(open.port);
    raw.send(connect5({ clientId: 'rule-breaker' }));
    await expect.poll(() => decode5(raw.received).length).toBe(1);
    raw.send(publish5({ topic: 'a', properties: props(prop(0x23, [0, 0])) }));
    await raw.whenClosed();
    raw.destroy();
    const closed = await traffic.find((e) => e.kind === 'client-error' && e.clientId === 'rule-breaker', 'the violation line');
    expect(closed.reasonCode).toBe(0x94);

    const clientId = `taken-${process.pid}`;
    await clients.connect(open.url, 'old', { protocolVersion: 5, clientId });
    await clients.connect(open.url, 'new', { protocolVersion: 5, clientId });
    const taken = await traffic.find((e) => e.kind === 'disconnect' && e.clientId === clientId && e.reasonCode !== undefined, 'the takeover line');
    expect(taken.reasonCode).toBe(0x8e);
  });
});

describe('logins and ACLs hold for MQTT 5 clients', () => {
  const bob = (): Promise<MqttClient> => clients.connect(guarded.url, 'bob', { protocolVersion: 5, username: 'bob', password: 'bob-pw' });

  it('refuses a wrong password with CONNACK 0x86 and no login with CONNACK 0x87', async () => {
    expect(await refusedWith(clients.connect(guarded.url, 'wrong', { protocolVersion: 5, username: 'bob', password: 'nope' }))).toMatchObject({ code: 0x86 });
    expect(await refusedWith(clients.connect(guarded.url, 'nobody', { protocolVersion: 5 }))).toMatchObject({ code: 0x87 });
  });

  it('answers a forbidden subscription with SUBACK 0x87 and a forbidden publish with PUBACK 0x87, and stays connected', async () => {
    const traffic = recordTraffic(guarded);
    const client = await bob();
    expect(await refusedWith(client.subscribeAsync('private/#', { qos: 1 }))).toMatchObject({ packet: { granted: [0x87] } });
    expect(await refusedWith(client.publishAsync('private/x', 'no', { qos: 1 }))).toMatchObject({ code: 0x87 });
    const denied = await traffic.find((e) => e.kind === 'denied' && e.topic === 'private/x', 'the refused publish');
    expect(denied.detail).toMatch(/^Publish refused/);
    expect(traffic.seen.some((e) => e.kind === 'client-error')).toBe(false);
    // Still connected: an allowed round trip works.
    await client.subscribeAsync('public/news', { qos: 1 });
    const got = new Promise<string>((resolve) => client.once('message', (_t, payload) => resolve(payload.toString())));
    await client.publishAsync('public/news', 'fine', { qos: 1 });
    expect(await got).toBe('fine');
  });
});
