import { connect as connectRaw, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerHandle, BrokerOptions } from '../../src/broker/embedded.js';
import { brokerErrorSentence, type BrokerError as ListenerError } from '../../src/broker/listeners.js';
import { flagOfBrokerSetting } from '../../src/options.js';

/** The sentence the program prints for a listener that could not start: the broker's error with the flag named. */
const describeStartError = (failure: unknown) => {
  const { code, port, host, listener } = failure as ListenerError;
  return brokerErrorSentence(code, port, host, listener, (key) => flagOfBrokerSetting(key) ?? key);
};
import { Clients, nextMessage, recordRetained, recordTraffic } from './mqtt.js';
import { connackBytes, connect as connectPacket, publish as publishPacket, RawClient, uniqueClientId } from '../fixtures/raw-mqtt.js';

type Start = (opts: BrokerOptions) => Promise<BrokerHandle>;
type BrokerErrorClass = new (...args: never[]) => Error;

/** Listens on a free loopback port so a broker cannot have it. */
function occupyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => resolve(server));
  });
}
const portOf = (server: Server) => (server.address() as { port: number }).port;
const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** The behaviour every way of running the broker must show. */
export function brokerBehaviour(name: string, start: Start, BrokerError: BrokerErrorClass): void {
  describe(name, () => {
    const brokers: BrokerHandle[] = [];
    const servers: Server[] = [];
    const clients = new Clients();

    async function broker(opts: Partial<BrokerOptions> = {}): Promise<BrokerHandle> {
      const handle = await start({ port: 0, host: '127.0.0.1', ...opts });
      brokers.push(handle);
      return handle;
    }

    afterEach(async () => {
      await clients.closeAll();
      await Promise.all(brokers.splice(0).map((b) => b.close()));
      await Promise.all(servers.splice(0).map(closeServer));
    });

    it('reports the address it actually listens on', async () => {
      const b = await broker();
      expect(b.port).toBeGreaterThan(0);
      expect(b.url).toBe(`mqtt://127.0.0.1:${b.port}`);
      expect(b.wsUrl).toBeUndefined();
    });

    it('delivers QoS 0, 1 and 2 messages to a subscriber', async () => {
      const b = await broker();
      const sub = await clients.connect(b.url, 'qos-sub');
      const pub = await clients.connect(b.url, 'qos-pub');
      await sub.subscribeAsync('home/qos/#', { qos: 2 });
      for (const qos of [0, 1, 2] as const) {
        const arrives = nextMessage(sub, `home/qos/${qos}`);
        await pub.publishAsync(`home/qos/${qos}`, `level ${qos}`, { qos });
        const m = await arrives;
        expect(m.payload.toString()).toBe(`level ${qos}`);
        expect(m.qos).toBe(qos);
      }
    });

    it('gives a retained message to a subscriber that comes later', async () => {
      const b = await broker();
      const pub = await clients.connect(b.url, 'retain-pub');
      await pub.publishAsync('device/device001/info', '{"device_id":"device001"}', { qos: 1, retain: true });
      const late = await clients.connect(b.url, 'retain-late');
      const arrives = nextMessage(late, 'device/device001/info');
      await late.subscribeAsync('device/+/info');
      const m = await arrives;
      expect(m.retain).toBe(true);
      expect(m.payload.toString()).toBe('{"device_id":"device001"}');
    });

    it('restores retained messages it reported, after a restart', async () => {
      const first = await broker();
      const store = recordRetained(first);
      const reported = store.change('carpark/north/display');
      const pub = await clients.connect(first.url, 'restart-pub');
      await pub.publishAsync('carpark/north/display', '{"spaces":3}', { qos: 1, retain: true });
      expect(await reported).toEqual([
        { topic: 'carpark/north/display', payload: Buffer.from('{"spaces":3}').toString('base64'), qos: 1 },
      ]);
      await clients.closeAll();
      await first.close();

      const second = await broker({ retained: [...store.kept.values()] });
      const sub = await clients.connect(second.url, 'restart-sub');
      const arrives = nextMessage(sub, 'carpark/north/display');
      await sub.subscribeAsync('carpark/#');
      const m = await arrives;
      expect(m.retain).toBe(true);
      expect(m.qos).toBe(1);
      expect(m.payload.toString()).toBe('{"spaces":3}');
    });

    it('reports a cleared retained message with an empty payload', async () => {
      const b = await broker();
      const store = recordRetained(b);
      const pub = await clients.connect(b.url, 'clear-pub');
      const set = store.change('device/device001/event');
      await pub.publishAsync('device/device001/event', 'OVER_HEATING', { qos: 1, retain: true });
      await set;
      expect(store.kept.has('device/device001/event')).toBe(true);
      const cleared = store.change('device/device001/event');
      await pub.publishAsync('device/device001/event', '', { qos: 1, retain: true });
      expect(await cleared).toEqual([{ topic: 'device/device001/event', payload: '', qos: 1 }]);
      expect(store.kept.has('device/device001/event')).toBe(false);
    });

    it('lets a WebSocket client publish to a TCP subscriber', async () => {
      const b = await broker({ wsPort: 0 });
      expect(b.wsPort).toBeGreaterThan(0);
      expect(b.wsUrl).toBe(`ws://127.0.0.1:${b.wsPort}`);
      const sub = await clients.connect(b.url, 'tcp-sub');
      await sub.subscribeAsync('sensor/temperature');
      const web = await clients.connect(b.wsUrl!, 'ws-pub');
      const arrives = nextMessage(sub, 'sensor/temperature');
      await web.publishAsync('sensor/temperature', '23.5');
      expect((await arrives).payload.toString()).toBe('23.5');
    });

    it('says in one sentence that the port is taken', async () => {
      const taken = await occupyPort();
      servers.push(taken);
      const port = portOf(taken);
      const failure = await start({ port, host: '127.0.0.1' }).then(
        (b) => {
          brokers.push(b);
          throw new Error('the broker started on a taken port');
        },
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(BrokerError);
      // The broker knows the listener by key; the program's sentence names the flag.
      expect(failure).toMatchObject({ code: 'port-in-use', port, listener: 'port', message: `Port ${port} on 127.0.0.1 is already in use.` });
      expect(describeStartError(failure)).toBe(
        `Port ${port} on 127.0.0.1 is already in use. Start on another port with --port N, or join the broker that is there with --broker mqtt://localhost:${port}.`,
      );
    });

    it('says which flag to change when the WebSocket port is taken, and leaves the MQTT port free', async () => {
      const taken = await occupyPort();
      servers.push(taken);
      const wsPort = portOf(taken);
      // A port that was free a moment ago, so it can be checked again after the failure.
      const probe = await occupyPort();
      const port = portOf(probe);
      await closeServer(probe);

      const failure = await start({ port, host: '127.0.0.1', wsPort }).then(
        (b) => {
          brokers.push(b);
          throw new Error('the broker started on a taken port');
        },
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ code: 'port-in-use', port: wsPort, listener: 'wsPort' });
      expect(describeStartError(failure)).toBe(`WebSocket port ${wsPort} on 127.0.0.1 is already in use. Start on another port with --ws-port N.`);
      // Nothing half-started: the MQTT port is free again.
      const again = createServer();
      await new Promise<void>((resolve, reject) => {
        again.once('error', reject);
        again.listen({ port, host: '127.0.0.1' }, resolve);
      });
      servers.push(again);
    });

    it('logs connect, subscribe, publish and disconnect with who, what and how', async () => {
      const b = await broker();
      const traffic = recordTraffic(b);
      const client = await clients.connect(b.url, 'logged');
      const id = client.options.clientId!;
      await client.subscribeAsync('lab/presence', { qos: 1 });
      await client.publishAsync('lab/notes', '{"user_name":"bob"}', { qos: 1, retain: true });
      await client.endAsync();

      const connect = await traffic.find((e) => e.kind === 'connect' && e.clientId === id, 'connect');
      const subscribe = await traffic.find((e) => e.kind === 'subscribe' && e.clientId === id, 'subscribe');
      const publish = await traffic.find((e) => e.kind === 'publish' && e.clientId === id, 'publish');
      const disconnect = await traffic.find((e) => e.kind === 'disconnect' && e.clientId === id, 'disconnect');

      expect(subscribe).toMatchObject({ topic: 'lab/presence', qos: 1 });
      expect(publish).toMatchObject({
        topic: 'lab/notes',
        qos: 1,
        retain: true,
        size: Buffer.byteLength('{"user_name":"bob"}'),
        preview: '{"user_name":"bob"}',
      });
      expect(connect.seq).toBeLessThan(subscribe.seq);
      expect(subscribe.seq).toBeLessThan(publish.seq);
      expect(publish.seq).toBeLessThan(disconnect.seq);
      // Dropping subscriptions on the way out is part of the disconnect, not an unsubscribe.
      expect(traffic.seen.some((e) => e.kind === 'unsubscribe' && e.clientId === id)).toBe(false);
      expect(traffic.seen.some((e) => e.topic?.startsWith('$SYS'))).toBe(false);
    });

    it('names the client that published a bad payload on a home topic, and still delivers it', async () => {
      const b = await broker();
      const traffic = recordTraffic(b);
      const listener = await clients.connect(b.url, 'listener');
      await listener.subscribeAsync('smart_home/user_data', { qos: 1 });
      const delivered = new Promise<string>((resolve) => listener.once('message', (_topic, payload) => resolve(payload.toString())));
      const sender = await clients.connect(b.url, 'sloppy');
      await sender.publishAsync('smart_home/user_data', '{"user_name":"bob"}', { qos: 1 });
      const bad = await traffic.find((e) => e.kind === 'bad-payload' && e.clientId === sender.options.clientId, 'bad-payload');
      expect(bad).toMatchObject({ topic: 'smart_home/user_data', preview: '{"user_name":"bob"}' });
      expect(bad.detail).toBeTruthy();
      expect(await delivered).toBe('{"user_name":"bob"}');
    });

    it('closes a client that breaks MQTT 3.1.1 and logs the rule, while others carry on', async () => {
      const b = await broker();
      const traffic = recordTraffic(b);
      const raw = await RawClient.open(b.port);
      const clientId = uniqueClientId('wildcard');
      raw.send(connectPacket({ clientId }));
      await raw.whenReceived(connackBytes(0));
      raw.send(publishPacket({ topic: 'home/+/light', payload: 'on' }));
      await raw.whenClosed();
      const entry = await traffic.find((e) => e.kind === 'client-error' && (e.detail ?? '').includes('MQTT-3.3.2-2'), 'the violation');
      expect(entry.clientId).toBe(clientId);
      const good = await clients.connect(b.url, 'after-violation');
      await good.subscribeAsync('home/+/light');
      const message = nextMessage(good, 'home/1/light');
      await good.publishAsync('home/1/light', 'on');
      expect((await message).payload.toString()).toBe('on');
    });

    it('logs an unsubscribe the client asked for', async () => {
      const b = await broker();
      const traffic = recordTraffic(b);
      const client = await clients.connect(b.url, 'unsub');
      await client.subscribeAsync('carpark/+/display');
      await client.unsubscribeAsync('carpark/+/display');
      const entry = await traffic.find((e) => e.kind === 'unsubscribe', 'unsubscribe');
      expect(entry).toMatchObject({ clientId: client.options.clientId, topic: 'carpark/+/display' });
    });

    it('shows terminal escape sequences in a payload as text', async () => {
      const b = await broker();
      const traffic = recordTraffic(b);
      const client = await clients.connect(b.url, 'esc');
      const payload = '\x1b[2J\x1b]0;pwned\x07done';
      await client.publishAsync('console/out', payload);
      const entry = await traffic.find((e) => e.kind === 'publish' && e.topic === 'console/out', 'publish');
      expect(entry.preview).toBe('\\x1B[2J\\x1B]0;pwned\\x07done');
      expect(entry.size).toBe(Buffer.byteLength(payload));
    });

    it('counts clients and messages', async () => {
      const b = await broker();
      const traffic = recordTraffic(b);
      const client = await clients.connect(b.url, 'counted');
      for (let i = 0; i < 3; i++) await client.publishAsync('sensor/temperature', String(20 + i), { qos: 1 });
      await traffic.find((e) => e.kind === 'publish' && e.preview === '22', 'third publish');
      // The thread variant refreshes its counters a few times a second: wait for them, do not sleep.
      await expect.poll(() => b.stats(), { timeout: 5_000 }).toMatchObject({ clients: 1, messagesTotal: 3 });
      // The rate counts the last second: while messages keep coming it shows them, never more than were sent.
      let sent = 3;
      await expect
        .poll(async () => {
          await client.publishAsync('sensor/temperature', '25', { qos: 1 });
          sent++;
          return b.stats().messagesPerSecond;
        }, { timeout: 5_000 })
        .toBeGreaterThan(0);
      expect(b.stats().messagesPerSecond).toBeLessThanOrEqual(sent);
    });

    it('sums up publishes above the display cap in one line', async () => {
      const b = await broker({ maxTrafficPerSecond: 3, trafficBatchMs: 1_000 });
      const traffic = recordTraffic(b);
      const client = await clients.connect(b.url, 'flood');
      for (let i = 0; i < 10; i++) client.publish('flood/topic', `m${i}`);
      await client.publishAsync('flood/done', 'last', { qos: 1 });
      const shownOrSkipped = () => {
        const shown = traffic.seen.filter((e) => e.kind === 'publish').length;
        const skipped = traffic.seen
          .filter((e) => e.kind === 'info')
          .reduce((n, e) => n + Number(/^(\d+) messages not shown \(\d+\/s\)$/.exec(e.detail ?? '')?.[1] ?? 0), 0);
        return shown + skipped;
      };
      await expect.poll(shownOrSkipped, { timeout: 5_000 }).toBe(11);
      expect(traffic.seen.filter((e) => e.kind === 'publish').length).toBeLessThan(11);
      expect(traffic.seen.some((e) => e.kind === 'info')).toBe(true);
    });

    it('closes at once even with a connection that never sent CONNECT', async () => {
      const b = await broker();
      const silent = connectRaw(b.port);
      await new Promise<void>((resolve) => silent.once('connect', () => resolve()));
      const ended = new Promise<void>((resolve) => silent.once('close', () => resolve()));
      silent.on('error', () => {});
      // aedes alone would wait for its 30 s connect timeout here.
      await b.close();
      await ended;
    }, 10_000);

    it('closes twice without complaint', async () => {
      const b = await broker();
      await clients.connect(b.url, 'closing');
      await b.close();
      await b.close();
    });
  });
}
