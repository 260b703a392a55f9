import { cleanup } from 'ink-testing-library';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startBroker, type BrokerHandle } from '../../src/broker/embedded.js';
import type { ConsoleSnapshot, ConsoleSource } from '../../src/ui/screens/console/console-client.js';
import { startConsoleScreen } from '../../src/ui/screens/console/index.js';
import { ConsoleScreen } from '../../src/ui/screens/console/Screen.js';
import type { RunningScreen } from '../../src/ui/screens.js';
import { Clients, nextMessage } from '../support/mqtt.js';
import { App } from '../../src/ui/App.js';
import { emptyHomeView, MemoryHomeSource } from '../fixtures/home-view.js';
import { ARROW_UP, ENTER, ESC, renderAt } from './render.js';
import { loadHomeDefaults } from '../../src/sim/defaults.js';

const refuse = () => Promise.reject(new Error('no home in this test'));

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

afterEach(() => cleanup());

test('snapshot: a console after a few commands and messages', async () => {
  const snapshot: ConsoleSnapshot = {
    clientId: 'sht-console-1a2b3c',
    url: 'mqtt://127.0.0.1:1883',
    status: 'connected',
    subscriptions: [{ topic: 'lab/#', qos: 0 }, { topic: 'device/+/info', qos: 1 }],
    lines: [
      { kind: 'done', at: T0, text: 'Connected to mqtt://127.0.0.1:1883 as sht-console-1a2b3c.' },
      { kind: 'typed', at: T0, text: 'SUBSCRIBE lab/#' },
      { kind: 'done', at: T0, text: 'Subscribed to lab/# (QoS 0).' },
      { kind: 'typed', at: T0, text: 'publish -q 1 lab/x 42' },
      { kind: 'done', at: T0, text: 'Published to lab/x (QoS 1).' },
      { kind: 'message', at: T0 + 1000, topic: 'lab/x', qos: 0, retain: false, preview: '42' },
      { kind: 'message', at: T0 + 2000, topic: 'device/device001/info', qos: 1, retain: true, preview: '{"device_id":"device001","producer":"ACME"}' },
      { kind: 'message', at: T0 + 3000, topic: 'lab/raw', qos: 0, retain: false, preview: 'bell\\x07 esc\\x1B[2J' },
      { kind: 'typed', at: T0, text: 'PUBLISH lab/y' },
      { kind: 'error', at: T0, text: 'PUBLISH needs a topic and a value: PUBLISH [-q 0|1|2] [-r] [-u name=value] <topic> <value...>' },
    ],
  };
  const source: ConsoleSource = { getSnapshot: () => snapshot, subscribe: () => () => {}, type: () => {} };
  const screen = await renderAt(<ConsoleScreen width={100} height={16} focused source={source} />, { columns: 100, rows: 20 });
  await screen.press(ENTER);
  await screen.type('SUB');
  expect(screen.frame()).toContain('[SUB▏');
  expect(screen.frame()).toMatchSnapshot();
});

describe('console against a real broker', () => {
  let broker: BrokerHandle;
  let running: RunningScreen;
  let outside: MqttClient;
  const clients = new Clients();

  beforeEach(async () => {
    broker = await startBroker({ port: 0, host: '127.0.0.1' });
    running = await startConsoleScreen({ url: broker.url, now: () => T0, defaults: loadHomeDefaults() });
    outside = await clients.connect(broker.url, 'outside');
  });

  afterEach(async () => {
    await clients.closeAll();
    await running.stop();
    await broker.close();
  });

  /** The console shown, its command line entered with Enter. */
  async function show() {
    const { Component } = running.screen;
    const screen = await renderAt(<Component width={100} height={16} focused />, { columns: 100, rows: 20 });
    await screen.press(ENTER, (f) => f.includes('[▏'));
    return screen;
  }

  test('typing PUBLISH lab/x 42 and Enter publishes it to the broker', async () => {
    await outside.subscribeAsync('lab/#', { qos: 1 });
    const screen = await show();
    const arrived = nextMessage(outside, 'lab/x');
    await screen.type('PUBLISH lab/x 42');
    await screen.press(ENTER, (f) => f.includes('Published to lab/x (QoS 0).'));
    const message = await arrived;
    expect(message.payload.toString()).toBe('42');
    expect(message.retain).toBe(false);

    const retained = nextMessage(outside, 'lab/kept');
    await screen.type('publish -q 1 -r lab/kept on');
    await screen.press(ENTER, (f) => f.includes('Published to lab/kept (QoS 1, retained).'));
    expect((await retained).payload.toString()).toBe('on');
  });

  test('SUBSCRIBE, then an outside publish shows on screen with its QoS, retain flag and escaped payload', async () => {
    const screen = await show();
    await screen.type('subscribe lab/# 1');
    await screen.press(ENTER, (f) => f.includes('Subscribed to lab/# (QoS 1).'));
    await outside.publishAsync('lab/raw', Buffer.from('bell\u0007 esc\u001b[2J'), { qos: 1 });
    const frame = await screen.waitFor((f) => f.includes('lab/raw'), 'the message');
    expect(frame).toContain('12:00:00 ← lab/raw q1 bell\\x07 esc\\x1B[2J');
    expect(frame).toContain('subscribed: lab/# (q1)');

    await screen.type('UNSUBSCRIBE nothing/here');
    await screen.press(ENTER, (f) => f.includes('✗ Not subscribed to nothing/here, so nothing was unsubscribed; the subscriptions are lab/#.'));
    expect(screen.frame()).not.toContain('Unsubscribed from nothing/here');
    expect(screen.frame()).toContain('subscribed: lab/# (q1)');

    await screen.type('UNSUBSCRIBE lab/#');
    await screen.press(ENTER, (f) => f.includes('Unsubscribed from lab/#.'));
    expect(screen.frame()).toContain('no subscriptions');
    await screen.type('unsubscribe lab/#');
    await screen.press(ENTER, (f) => f.includes('✗ Not subscribed to lab/#, so nothing was unsubscribed; there are no subscriptions.'));
  });

  test('a wrong command gets one line saying what is expected; ↑ brings it back', async () => {
    const screen = await show();
    await screen.type('PUBLISH lab/x');
    const frame = await screen.press(ENTER, (f) => f.includes('✗ PUBLISH needs a topic and a value'));
    expect(frame).toContain('PUBLISH needs a topic and a value: PUBLISH [-q 0|1|2] [-r] [-u name=value] <topic> <value...>');
    expect(await screen.press(ARROW_UP)).toContain('[PUBLISH lab/x▏');
  });

  test('PUBLISH while disconnected says so; CONNECT subscribes again', async () => {
    const screen = await show();
    await screen.type('SUBSCRIBE lab/#');
    await screen.press(ENTER, (f) => f.includes('Subscribed to lab/#'));
    await screen.type('disconnect');
    await screen.press(ENTER, (f) => f.includes('Disconnected; CONNECT connects again.'));
    await screen.type('PUBLISH lab/x 1');
    await screen.press(ENTER, (f) => f.includes('✗ Not connected: type CONNECT first, then PUBLISH again.'));
    await screen.type('CONNECT');
    await screen.press(ENTER, (f) => f.includes('subscribed again to lab/#'));
    await outside.publishAsync('lab/back', 'again', { qos: 1 });
    await screen.waitFor((f) => f.includes('lab/back q0 again'), 'the message after CONNECT');
  });

  test('CONNECT -V 5 connects with MQTT 5: user properties go out with PUBLISH -u and arrive shown with the message', async () => {
    const screen = await show();
    await screen.type('PUBLISH -u room=hall lab/x on');
    await screen.press(ENTER, (f) => f.includes('✗ User properties need MQTT 5: DISCONNECT, then CONNECT -V 5.'));
    await screen.type('DISCONNECT');
    await screen.press(ENTER, (f) => f.includes('Disconnected; CONNECT connects again.'));
    await screen.type('CONNECT -V 5');
    await screen.press(ENTER, (f) => f.includes('with MQTT 5.') && f.includes('(MQTT 5)'));
    await screen.type('SUBSCRIBE lab/#');
    await screen.press(ENTER, (f) => f.includes('Subscribed to lab/#'));
    const arrived = nextMessage(outside, 'lab/v5');
    await outside.subscribeAsync('lab/v5');
    await screen.type('PUBLISH -u room=hall lab/v5 on');
    await screen.press(ENTER, (f) => f.includes('Published to lab/v5'));
    await arrived;
    await screen.waitFor((f) => f.includes('lab/v5 q0 on [room=hall]'), 'the message with its user property');
  });

  test('the line is entered on purpose: `]` into the screen and `]` again move on, typing nothing', async () => {
    const actions = { register: refuse, changeTemperature: refuse, remove: refuse, toggle: refuse, switchObject: refuse };
    const app = await renderAt(
      <App source={new MemoryHomeSource(emptyHomeView())} actions={actions} onQuit={() => {}} screens={[running.screen]} columns={100} rows={30} />,
      { columns: 100, rows: 30 },
    );
    let frame = await app.press(']', (f) => f.includes('1 Console'));
    expect(frame).toContain('Enter or i: type a command');
    expect(frame).toContain('Enter / i type a command');
    // The second `]` is the App's: back to the home, and the console's line stays empty.
    frame = await app.press(']', (f) => f.includes('2 Register'));
    frame = await app.press('[', (f) => f.includes('1 Console'));
    expect(frame).toContain('> [ ');
    // Entered, the line takes q and [; after Esc they are the App's again.
    await app.press('i', (f) => f.includes('[▏'));
    frame = await app.type('q[');
    expect(frame).toContain('[q[▏');
    expect(frame).toContain('Enter run · ↑↓ history');
    await app.press(ESC, (f) => f.includes('Enter or i: type a command'));
    frame = await app.press('[', (f) => f.includes('2 Register'));
  });
});
