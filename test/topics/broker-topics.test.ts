import { afterEach, describe, expect, it } from 'vitest';
import { startBroker, type BrokerHandle } from '../../src/broker/embedded.js';
import { startBrokerThread } from '../../src/broker/thread.js';
import type { TopicView } from '../../src/wire/index.js';
import { detailParts } from '../../src/ui/screens/topics/topic-lines.js';
import { Clients, waitFor } from '../support/mqtt.js';
import { query } from './query.js';

describe.each([
  ['in this thread', startBroker],
  ['in its own thread', startBrokerThread],
])('the broker topic index %s', (_name, start) => {
  let broker: BrokerHandle | undefined;
  const clients = new Clients();
  afterEach(async () => {
    await clients.closeAll();
    await broker?.close();
    broker = undefined;
  });

  const viewWhere = (b: BrokerHandle, check: (view: TopicView) => boolean, what: string) =>
    waitFor<TopicView>((cb) => b.topics.onView(cb), check, what);

  it('names who published what, and keeps retained messages restored at start', async () => {
    broker = await start({
      port: 0,
      host: '127.0.0.1',
      retained: [{ topic: 'saved/sign', payload: Buffer.from('kept').toString('base64'), qos: 1 }],
    });
    const b = broker;
    const outside = await clients.connect(b.url, 'outside');
    b.topics.watch(query({ selected: 'lab/temp', expanded: ['lab', 'saved'] }));
    await outside.publishAsync('lab/temp', '{"value":21.5}', { qos: 1 });
    const view = await viewWhere(b, (v) => v.selected?.last !== undefined, 'the published message');
    expect(view.selected?.last?.clientId).toBe(outside.options.clientId);
    expect(Buffer.from(view.selected!.last!.payload).toString()).toBe('{"value":21.5}');
    expect(view.rows.find((row) => row.path === 'saved/sign')?.retained).toBe(true);
  });

  it('keeps the MQTT 5 properties a message came with, for the message view, and none for 3.1.1', async () => {
    broker = await start({ port: 0, host: '127.0.0.1' });
    const b = broker;
    const v5 = await clients.connect(b.url, 'v5', { protocolVersion: 5 });
    const old = await clients.connect(b.url, 'v311', { protocolVersion: 4 });
    await v5.publishAsync('lab/lamp', 'on', {
      qos: 1,
      properties: { contentType: 'text/plain', responseTopic: 'lab/lamp/reply', correlationData: Buffer.from([0xca, 0xfe]), userProperties: { room: 'hall' } },
    });
    await old.publishAsync('lab/old', 'on', { qos: 1 });
    const lamp = await b.topics.lookup('lab/lamp');
    expect(lamp?.last?.properties).toMatchObject({ contentType: 'text/plain', responseTopic: 'lab/lamp/reply', userProperties: { room: 'hall' } });
    const lines = detailParts(lamp!, 60, Date.now(), 0, true).head;
    expect(lines).toEqual(expect.arrayContaining(['content type text/plain', 'response topic lab/lamp/reply', 'correlation data cafe', 'user room = hall']));
    expect((await b.topics.lookup('lab/old'))?.last?.properties).toBeUndefined();
  });

  it('shows connected clients with their subscriptions and disconnects one when asked', async () => {
    broker = await start({ port: 0, host: '127.0.0.1' });
    const b = broker;
    const watcher = await clients.connect(b.url, 'watcher', { protocolVersion: 4, keepalive: 30 });
    await watcher.subscribeAsync('lab/#');
    const id = watcher.options.clientId!;
    b.topics.watch(query({ clients: true }));
    const view = await viewWhere(b, (v) => v.clients?.some((c) => c.id === id && c.subscriptions.length > 0) ?? false, 'the client');
    const seen = view.clients!.find((c) => c.id === id)!;
    expect(seen).toMatchObject({ protocol: 4, keepaliveS: 30, subscriptions: ['lab/#'] });
    expect(seen.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const closed = new Promise<void>((resolve) => watcher.once('close', () => resolve()));
    expect(await b.topics.disconnect(id)).toBe(true);
    await closed;
    expect(await b.topics.disconnect('nobody-here')).toBe(false);
  });
});
