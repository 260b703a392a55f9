import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startBroker, type BrokerHandle } from '../../../src/broker/embedded.js';
import { embeddedTopics } from '../../../src/topic-sources.js';
import { loadHomeDefaults } from '../../../src/sim/defaults.js';
import { startTopicsScreen } from '../../../src/ui/screens/topics/index.js';
import type { RunningScreen } from '../../../src/ui/screens.js';
import { Clients, waitFor } from '../../support/mqtt.js';
import { BACKSPACE, ENTER, renderAt, TAB } from '../render.js';

const SIZE = { columns: 120, rows: 40 };

/** The tree's row of a topic: the left pane's part of its line. */
const treeRow = (frame: string, topic: string) => frame.split('\n').find((line) => line.includes(`│   ${topic} `))?.split('││')[0] ?? '';

describe('the Topics screen on the embedded broker', () => {
  const clients = new Clients();
  let broker: BrokerHandle;
  let running: RunningScreen;
  let dir: string;

  beforeEach(async () => {
    broker = await startBroker({ port: 0, host: '127.0.0.1' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'topics-screen-'));
    running = await startTopicsScreen({ url: broker.url, defaults: loadHomeDefaults(), topics: embeddedTopics(broker), saveDir: dir, clientId: 'topics-screen-test' });
  });

  afterEach(async () => {
    cleanup();
    await running.stop();
    await clients.closeAll();
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  });

  const show = () => {
    const Component = running.screen.Component;
    return renderAt(<Component width={SIZE.columns} height={SIZE.rows - 6} focused />, SIZE);
  };

  async function filterTo(screen: Awaited<ReturnType<typeof show>>, filter: string, until: string) {
    await screen.press('/', (f) => f.includes('filter (+ #):'));
    await screen.type(filter);
    return screen.press(ENTER, (f) => f.includes(until));
  }

  test('names the publisher, publishes from the prefilled form, and deletes a retained message after asking', async () => {
    const outside = await clients.connect(broker.url, 'lamp');
    await outside.publishAsync('lab/lamp', '{"on":true,"watts":7}', { qos: 1, retain: true });
    const screen = await show();
    let frame = await filterTo(screen, 'lab/+', '"watts": 7');
    expect(frame).toContain(`from ${outside.options.clientId}`);
    expect(treeRow(frame, 'lab/lamp')).toMatch(/ 1 .*R/);

    const watcher = await clients.connect(broker.url, 'watcher');
    await watcher.subscribeAsync('lab/lamp');
    const heard = waitFor<string>((cb) => {
      const onMessage = (_t: string, payload: Buffer, packet: { retain: boolean }) => {
        if (!packet.retain) cb(payload.toString());
      };
      watcher.on('message', onMessage);
      return () => watcher.off('message', onMessage);
    }, (payload) => payload === '{"on":true,"watts":8}', 'the published payload');
    await screen.press('p', (f) => f.includes('Publish to lab/lamp'));
    frame = screen.frame();
    expect(frame).toContain('[{"on":true,"watts":7}');
    expect(frame).toContain('QoS 1 (Tab) · retained (Ctrl-R)');
    await screen.press(BACKSPACE);
    await screen.press(BACKSPACE);
    await screen.type('8}');
    await screen.press(TAB, (f) => f.includes('QoS 2 (Tab)'));
    await screen.press(ENTER, (f) => f.includes('published 21 B to lab/lamp (QoS 2, retained)'));
    await heard;
    await screen.waitFor((f) => f.includes('from topics-screen-test') && f.includes('~ watts: 7 → 8'), 'the new message');

    await screen.press('d', (f) => f.includes('Delete the retained message on lab/lamp? y/n'));
    // Anything but y is a no.
    await screen.press('n', (f) => !f.includes('y/n'));
    await screen.press('d', (f) => f.includes('y/n'));
    await screen.press('y', (f) => f.includes('deleted the retained message on lab/lamp'));
    const late = await clients.connect(broker.url, 'late');
    const retained: string[] = [];
    late.on('message', (topic) => retained.push(topic));
    await late.subscribeAsync('lab/#');
    // A marker published after the subscription: anything retained would have arrived before it.
    await late.publishAsync('lab/marker', 'x');
    await expect.poll(() => retained).toContain('lab/marker');
    expect(retained).not.toContain('lab/lamp');
    await screen.waitFor((f) => / 3 /.test(treeRow(f, 'lab/lamp')) && !/R/.test(treeRow(f, 'lab/lamp').replace('lab/lamp', '')), 'the retained mark gone');
  });

  test('writes the payload and the history as NDJSON and says where', async () => {
    const outside = await clients.connect(broker.url, 'sensor');
    for (const value of ['20.5', '21', '21.5']) await outside.publishAsync('lab/temp', value, { qos: 1 });
    const screen = await show();
    await filterTo(screen, 'lab/temp', 'min 20.5 max 21.5');
    await screen.press('W', (f) => f.includes('wrote 3 messages to'));
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^lab_temp-history-.*\.ndjson$/);
    const written = await readFile(path.join(dir, files[0]!), 'utf8');
    const lines = written.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.payload)).toEqual(['20.5', '21', '21.5']);
    expect(lines[0]).toMatchObject({ topic: 'lab/temp', qos: 1, retain: false, clientId: outside.options.clientId, size: 4 });
  });

  test('the Clients view shows who is connected and disconnects a client after asking', async () => {
    const outside = await clients.connect(broker.url, 'chatty', { keepalive: 42 });
    await outside.subscribeAsync('lab/#');
    await outside.publishAsync('lab/a', '1');
    const id = outside.options.clientId!;
    const screen = await show();
    await screen.press('c', (f) => f.includes('1 Clients'));
    await screen.waitFor((f) => f.includes(id.slice(0, 12)), 'the outside client');
    // Select it: it is listed after the screen's own client or before it.
    while (!screen.frame().includes(`keepalive 42 s`)) await screen.press('\u001B[B');
    const frame = screen.frame();
    expect(frame).toContain('subscriptions (1):');
    expect(frame).toContain('lab/#');
    expect(frame).toMatch(/127\.0\.0\.1:\d+/);
    const closed = new Promise<void>((resolve) => outside.once('close', () => resolve()));
    await screen.press('x', (f) => f.includes(`Disconnect client ${id}? y/n`));
    await screen.press('y', (f) => f.includes(`disconnected ${id}`));
    await closed;
  });
});
