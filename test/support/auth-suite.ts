import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { hashPassword, type Account } from '../../src/broker/accounts.js';
import { parseAcl } from '../../src/broker/acl.js';
import type { BrokerAuth } from '../../src/broker/auth.js';
import type { BrokerHandle, BrokerOptions } from '../../src/broker/embedded.js';
import { Clients, nextMessage, recordTraffic, type Received } from './mqtt.js';

type Start = (opts: BrokerOptions) => Promise<BrokerHandle>;

/** Every message a client receives, kept from the moment of the call. */
function inbox(client: MqttClient): Received[] {
  const got: Received[] = [];
  client.on('message', (topic, payload, packet) => got.push({ topic, payload, qos: packet.qos, retain: packet.retain }));
  return got;
}

/** The SUBACK code for one filter (mqtt.js rejects a refusal, with the SUBACK packet attached). */
async function granted(client: MqttClient, filter: string, qos: 0 | 1 | 2 = 0): Promise<number> {
  try {
    return (await client.subscribeAsync(filter, { qos }))[0]!.qos;
  } catch (error) {
    const packet = (error as { packet?: { granted?: number[] } }).packet;
    if (packet?.granted?.length === 1) return packet.granted[0]!;
    throw error;
  }
}

/** What mqtt.js says when the broker refuses the login: the CONNACK return code. */
async function refusal(connecting: Promise<unknown>): Promise<number | undefined> {
  const error = await connecting.then(
    () => {
      throw new Error('the broker let the client in');
    },
    (e: unknown) => e as { code?: number },
  );
  return error.code;
}

/** Logins and topic rules that every way of running the broker must enforce. */
export function authBehaviour(name: string, start: Start): void {
  describe(name, () => {
    const brokers: BrokerHandle[] = [];
    const clients = new Clients();
    let accounts: Account[] = [];

    beforeAll(async () => {
      const [alice, bob, admin, carol] = await Promise.all(['alice-pw', 'bob-pw', 'admin-pw', 'carol-pw'].map(hashPassword));
      accounts = [
        { username: 'alice', hash: alice!, admin: false },
        { username: 'bob', hash: bob!, admin: false },
        { username: 'admin', hash: admin!, admin: true },
        { username: 'carol', hash: carol!, admin: false },
      ];
    });

    afterEach(async () => {
      await clients.closeAll();
      await Promise.all(brokers.splice(0).map((b) => b.close()));
    });

    async function broker(auth: Partial<BrokerAuth> = {}): Promise<BrokerHandle> {
      const handle = await start({ port: 0, host: '127.0.0.1', trafficBatchMs: 10, auth: { required: true, accounts, ...auth } });
      brokers.push(handle);
      return handle;
    }
    const login = (b: BrokerHandle, user: string, extra: object = {}) =>
      clients.connect(b.url, user, { username: user, password: `${user}-pw`, ...extra });

    it('refuses a wrong password with CONNACK 4 and no login with CONNACK 5, and logs both', async () => {
      const b = await broker();
      const traffic = recordTraffic(b);
      expect(await refusal(clients.connect(b.url, 'wrong', { username: 'alice', password: 'nope' }))).toBe(4);
      expect(await refusal(clients.connect(b.url, 'stranger', { username: 'mallory', password: 'alice-pw' }))).toBe(4);
      expect(await refusal(clients.connect(b.url, 'anonymous'))).toBe(5);
      const bad = await traffic.find((e) => e.kind === 'auth-failure' && /alice/.test(e.detail ?? ''), 'a refused login for alice');
      expect(bad.detail).toBe('Login refused for user alice: Bad user name or password');
      const anonymous = await traffic.find((e) => e.kind === 'auth-failure' && /needs a user name/.test(e.detail ?? ''), 'a refused anonymous login');
      expect(anonymous.detail).toMatch(/^Login refused: Not authorized/);
    });

    it('lets alice publish and subscribe under /iot/user/alice/#', async () => {
      const b = await broker();
      const alice = await login(b, 'alice');
      expect(await granted(alice, '/iot/user/alice/#', 1)).toBe(1);
      const arrives = nextMessage(alice, '/iot/user/alice/lamp');
      await alice.publishAsync('/iot/user/alice/lamp', 'ON', { qos: 1 });
      expect((await arrives).payload.toString()).toBe('ON');
    });

    it("refuses alice's subscriptions to bob's space and to wildcards wider than hers with SUBACK 0x80", async () => {
      const b = await broker();
      const traffic = recordTraffic(b);
      const alice = await login(b, 'alice');
      for (const filter of ['/iot/user/bob/#', '/iot/user/+/#', '#', '/iot/user/#']) {
        expect(await granted(alice, filter), filter).toBe(128);
      }
      const denied = await traffic.find((e) => e.kind === 'denied' && e.topic === '/iot/user/bob/#', 'the refused subscription');
      expect(denied.detail).toBe('Subscription refused: default policy: users may only use /iot/user/alice/#');
      expect(denied.clientId).toBe(alice.options.clientId);
    });

    it("drops alice's publish to bob's topic, keeps her connected and names the rule", async () => {
      const b = await broker();
      const traffic = recordTraffic(b);
      const bob = await login(b, 'bob');
      await bob.subscribeAsync('/iot/user/bob/#', { qos: 1 });
      const bobGot = inbox(bob);
      const alice = await login(b, 'alice');
      await alice.publishAsync('/iot/user/bob/door', 'OPEN', { qos: 1, retain: true });
      const denied = await traffic.find((e) => e.kind === 'denied' && e.topic === '/iot/user/bob/door', 'the refused publish');
      expect(denied.detail).toBe('Publish refused: default policy: users may only use /iot/user/alice/#');
      expect(traffic.seen.some((e) => e.kind === 'publish' && e.topic === '/iot/user/bob/door')).toBe(false);

      // Bob's own message after it arrives, and alone: the refused one reached no one.
      const own = nextMessage(bob, '/iot/user/bob/marker');
      await bob.publishAsync('/iot/user/bob/marker', 'after', { qos: 1 });
      await own;
      expect(bobGot.map((m) => m.topic)).toEqual(['/iot/user/bob/marker']);
      // It was not kept as retained either: a later admin reading everything does not get it.
      const admin = await login(b, 'admin');
      const adminGot = inbox(admin);
      await admin.subscribeAsync('/iot/user/bob/#', { qos: 1 });
      const again = nextMessage(admin, '/iot/user/bob/marker2');
      await bob.publishAsync('/iot/user/bob/marker2', 'x', { qos: 1 });
      await again;
      expect(adminGot.map((m) => m.topic)).toEqual(['/iot/user/bob/marker2']);
      // Like mosquitto, the sender stays connected.
      expect(alice.connected).toBe(true);
      await alice.publishAsync('/iot/user/alice/ok', 'still here', { qos: 1 });
    });

    it('completes the QoS 0, 1 and 2 handshakes of a refused publish', async () => {
      const b = await broker();
      const traffic = recordTraffic(b);
      const alice = await login(b, 'alice');
      for (const qos of [0, 1, 2] as const) await alice.publishAsync(`/iot/user/bob/q${qos}`, 'x', { qos });
      await traffic.find((e) => e.kind === 'denied' && e.topic === '/iot/user/bob/q2', 'the refused QoS 2 publish');
      expect(traffic.seen.filter((e) => e.kind === 'denied').map((e) => e.topic)).toEqual(['/iot/user/bob/q0', '/iot/user/bob/q1', '/iot/user/bob/q2']);
      expect(alice.connected).toBe(true);
    });

    it('lets an admin read # and write anywhere', async () => {
      const b = await broker();
      const admin = await login(b, 'admin');
      expect(await granted(admin, '#', 1)).toBe(1);
      const alice = await login(b, 'alice');
      const fromAlice = nextMessage(admin, '/iot/user/alice/temp');
      await alice.publishAsync('/iot/user/alice/temp', '21.5', { qos: 1 });
      expect((await fromAlice).payload.toString()).toBe('21.5');
      await alice.subscribeAsync('/iot/user/alice/#', { qos: 1 });
      const toAlice = nextMessage(alice, '/iot/user/alice/command');
      await admin.publishAsync('/iot/user/alice/command', 'hello', { qos: 1 });
      const anywhere = nextMessage(admin, 'smart_home/user_data');
      await admin.publishAsync('smart_home/user_data', '{}', { qos: 1 });
      await toAlice;
      await anywhere;
    });

    it('applies an ACL file: %u and %c patterns, and each denial names its line', async () => {
      const acl = parseAcl(['# classroom', 'pattern readwrite /iot/user/%u/#', 'pattern read clients/%c/#', 'user carol', 'topic write reports/carol'].join('\n'));
      const b = await broker({ acl });
      const traffic = recordTraffic(b);
      const carol = await login(b, 'carol', { clientId: 'carol-laptop' });
      expect(await granted(carol, '/iot/user/carol/#')).toBe(0);
      expect(await granted(carol, 'clients/carol-laptop/#')).toBe(0);
      expect(await granted(carol, 'clients/other-laptop/#')).toBe(128);
      expect(await granted(carol, 'reports/carol')).toBe(128);
      const refused = await traffic.find((e) => e.kind === 'denied' && e.topic === 'reports/carol', 'refused subscription');
      expect(refused.detail).toBe('Subscription refused: acl: no line lets carol subscribe to reports/carol');

      const admin = await login(b, 'admin');
      await admin.subscribeAsync('reports/#', { qos: 1 });
      const report = nextMessage(admin, 'reports/carol');
      await carol.publishAsync('reports/carol', 'done', { qos: 1 });
      expect((await report).payload.toString()).toBe('done');
      await carol.publishAsync('clients/carol-laptop/x', 'read only', { qos: 1 });
      const readOnly = await traffic.find((e) => e.kind === 'denied' && e.topic === 'clients/carol-laptop/x', 'refused publish');
      expect(readOnly.detail).toBe('Publish refused: acl: no line lets carol publish to clients/carol-laptop/x');
    });

    it('holds back messages, retained ones too, on topics a deny line forbids inside a wider subscription', async () => {
      const acl = parseAcl(['user bob', 'topic read public/#', 'topic deny public/secret'].join('\n'));
      const b = await broker({ acl });
      const traffic = recordTraffic(b);
      const admin = await login(b, 'admin');
      await admin.publishAsync('public/secret', 'hidden', { qos: 1, retain: true });
      await admin.publishAsync('public/news', 'open', { qos: 1, retain: true });
      const bob = await login(b, 'bob');
      const bobGot = inbox(bob);
      const news = nextMessage(bob, 'public/news');
      expect(await granted(bob, 'public/#', 1)).toBe(1);
      await news;
      const held = await traffic.find((e) => e.kind === 'denied' && e.topic === 'public/secret', 'held-back retained message');
      expect(held.detail).toBe('Not delivered: acl line 3: topic deny public/secret');
      expect(held.clientId).toBe(bob.options.clientId);
      // A live one as well, then a marker on an allowed topic: only allowed topics arrive.
      await admin.publishAsync('public/secret', 'hidden again', { qos: 1 });
      const marker = nextMessage(bob, 'public/marker');
      await admin.publishAsync('public/marker', 'm', { qos: 1 });
      await marker;
      expect(bobGot.map((m) => m.topic)).toEqual(['public/news', 'public/marker']);
      // A subscription inside the denied topic alone is refused outright.
      expect(await granted(bob, 'public/secret')).toBe(128);
    });

    it('without required logins lets anonymous clients in under the ACL, but still checks given passwords', async () => {
      const acl = parseAcl('topic read public/#\n');
      const b = await broker({ required: false, acl });
      const anonymous = await clients.connect(b.url, 'anon');
      expect(await granted(anonymous, 'public/#')).toBe(0);
      expect(await granted(anonymous, 'private/#')).toBe(128);
      expect(await refusal(clients.connect(b.url, 'wrong', { username: 'alice', password: 'nope' }))).toBe(4);
    });
  });
}
