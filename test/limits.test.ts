import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { startBroker, type BrokerHandle } from '../src/broker/embedded.js';
import type { BrokerLimits } from '../src/broker/limits.js';
import type { TrafficEntry } from '../src/wire/traffic.js';
// What a person sees: the broker names a limit by key, the program's log adds the flag.
import { withLimitFlag } from '../src/log-sink.js';
import { RawClient, connackBytes as connack, connect, subscribe, uniqueClientId } from './fixtures/raw-mqtt.js';

const opened: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

/** An embedded broker on a free loopback port, with its traffic log recorded. */
async function brokerWith(limits: Partial<BrokerLimits>, wsPort?: number) {
  const broker = await startBroker({ port: 0, host: '127.0.0.1', wsPort, limits, trafficBatchMs: 10 });
  opened.push(broker);
  const log: TrafficEntry[] = [];
  const waiters = new Set<() => void>();
  broker.onTraffic((entries) => {
    log.push(...entries.map(withLimitFlag));
    for (const waiter of [...waiters]) waiter();
  });
  const logged = (match: (entry: TrafficEntry) => boolean, what: string, timeoutMs = 10_000) =>
    new Promise<TrafficEntry>((resolve, reject) => {
      const check = () => {
        const found = log.find(match);
        if (!found) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`the broker log never showed ${what}; it has:\n${log.map((e) => JSON.stringify(e)).join('\n')}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { broker, log, logged };
}

async function client(url: string, role: string): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { clientId: uniqueClientId(role), reconnectPeriod: 0 });
  opened.push({ close: () => c.endAsync(true) });
  return c;
}

function closedWithoutAnswer(port: number): Promise<{ bytes: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let bytes = 0;
    socket.on('data', (chunk) => (bytes += chunk.length));
    socket.on('error', () => {});
    socket.on('close', () => resolve({ bytes }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the connection over the limit was not closed'));
    }, 5000).unref();
  });
}

describe('a subscriber that stops reading', () => {
  it('does not hold up a well-behaved subscriber past --drain-timeout, and its disconnect is logged', async () => {
    const { broker, log, logged } = await brokerWith({ drainTimeoutMs: 300 });

    // The frozen one: subscribes over raw TCP, then never reads again.
    const frozenId = uniqueClientId('frozen');
    const frozen = await RawClient.open(broker.port);
    opened.push({ close: () => frozen.destroy() });
    frozen.send(connect({ clientId: frozenId }));
    await frozen.whenReceived(connack(0));
    frozen.send(subscribe(1, [['flood/#', 0]]));
    await frozen.whenReceived(Buffer.from([0x90, 0x03, 0x00, 0x01, 0x00]));
    (frozen as unknown as { socket: net.Socket }).socket.pause();

    const good = await client(broker.url, 'good');
    await good.subscribeAsync('flood/#', { qos: 0 });
    const total = 4000;
    let received = 0;
    const allArrived = new Promise<void>((resolve) =>
      good.on('message', () => {
        if (++received === total) resolve();
      }),
    );

    // 4000 x 8 KiB = 32 MiB: far more than the frozen socket's buffers and the kernel's hold.
    const publisher = await client(broker.url, 'flooder');
    const payload = Buffer.alloc(8 * 1024, 0x61);
    for (let i = 0; i < total; i++) publisher.publish(`flood/${i % 10}`, payload, { qos: 0 });

    await allArrived;
    expect(received).toBe(total);
    const line = await logged((e) => e.kind === 'client-error' && e.clientId === frozenId, 'the frozen client being disconnected');
    expect(line.detail).toBe('Disconnected: it read nothing for 300 ms while messages waited for it (--drain-timeout).');
    expect(line.limit).toBe('drainTimeoutMs');
    await logged((e) => e.kind === 'disconnect' && e.clientId === frozenId, 'the frozen client gone');
    // Thousands of messages were waiting for it; the log says each thing that went wrong once.
    const frozenLines = log.filter((e) => e.kind === 'client-error' && e.clientId === frozenId).map((e) => e.detail);
    expect(frozenLines.length).toBe(new Set(frozenLines).size);
  }, 30_000);
});

describe('--max-connections', () => {
  it('closes the connection over the limit at once, logs one line, and takes new ones once there is room', async () => {
    const { broker, log, logged } = await brokerWith({ maxConnections: 3 }, 0);
    const first = await client(broker.url, 'one');
    await client(broker.url, 'two');
    // WebSocket connections count with TCP ones.
    await client(broker.wsUrl!, 'three-ws');

    expect(await closedWithoutAnswer(broker.port)).toEqual({ bytes: 0 });
    const refused = await logged((e) => /Refused a connection/.test(e.detail ?? ''), 'the refusal');
    expect(refused.detail).toBe('Refused a connection from 127.0.0.1: the broker already has 3 connections (--max-connections).');
    // A WebSocket connection over the limit is refused the same way; a storm of refusals is one line.
    expect(await closedWithoutAnswer(broker.wsPort!)).toEqual({ bytes: 0 });
    expect(await closedWithoutAnswer(broker.port)).toEqual({ bytes: 0 });

    await first.endAsync();
    const again = await logged((e) => /Accepting connections again/.test(e.detail ?? ''), 'room again');
    expect(again.detail).toBe('Accepting connections again; 3 were refused (--max-connections).');
    expect(log.filter((e) => /Refused a connection/.test(e.detail ?? ''))).toHaveLength(1);

    const fourth = await client(broker.url, 'four');
    await fourth.subscribeAsync('room/again');
    await fourth.publishAsync('room/again', 'yes');
    // two, three-ws and four: the one that left is no longer counted, the one let in after it is.
    await expect.poll(() => broker.stats().clients, { timeout: 5_000 }).toBe(3);
  });
});

describe('--max-client-id and --max-topic-depth reach the gate', () => {
  it('refuses a client id over the configured length with CONNACK 0x02', async () => {
    const { broker, logged } = await brokerWith({ maxClientIdLength: 23 });
    const raw = await RawClient.open(broker.port);
    opened.push({ close: () => raw.destroy() });
    raw.send(connect({ clientId: 'x'.repeat(24) }));
    await raw.whenReceived(connack(2));
    await raw.whenClosed();
    await logged((e) => e.kind === 'client-error' && /client id is longer/.test(e.detail ?? ''), 'the refused client id');
    // 23 bytes are fine.
    const ok = await RawClient.open(broker.port);
    opened.push({ close: () => ok.destroy() });
    ok.send(connect({ clientId: 'x'.repeat(23) }));
    await ok.whenReceived(connack(0));
  });

  it('closes a client that subscribes deeper than the configured depth', async () => {
    const { broker, logged } = await brokerWith({ maxTopicDepth: 3 });
    const id = uniqueClientId('deep');
    const raw = await RawClient.open(broker.port);
    opened.push({ close: () => raw.destroy() });
    raw.send(connect({ clientId: id }));
    await raw.whenReceived(connack(0));
    raw.send(subscribe(1, [['a/b/c/d', 0]]));
    await raw.whenClosed();
    await logged((e) => e.kind === 'client-error' && e.clientId === id && /more levels/.test(e.detail ?? ''), 'the deep filter');
  });
});

describe('--max-queued', () => {
  it('closes a client that floods packets before its login is accepted, naming the flag', async () => {
    const broker: BrokerHandle = await startBroker({ port: 0, host: '127.0.0.1', trafficBatchMs: 10, limits: { maxQueued: 5 } });
    opened.push(broker);
    const log: TrafficEntry[] = [];
    broker.onTraffic((entries) => log.push(...entries.map(withLimitFlag)));
    const raw = await RawClient.open(broker.port);
    opened.push({ close: () => raw.destroy() });
    const id = uniqueClientId('queue');
    // Packets in the same read as CONNECT wait in aedes' queue until the login is accepted.
    const pings = Array.from({ length: 20 }, () => Buffer.from([0xc0, 0x00]));
    raw.send(connect({ clientId: id }), ...pings);
    await raw.whenClosed(5000);
    await expect
      .poll(() => log.find((e) => e.kind === 'client-error' && /--max-queued/.test(e.detail ?? ''))?.detail, { timeout: 5000 })
      .toBe('Disconnected: it sent more than 5 packets before its login was accepted (--max-queued).');
  });
});
