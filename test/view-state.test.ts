import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrafficEntry } from '../src/wire/traffic.js';
import { ManualClock } from '../src/sim/clock.js';
import { loadHomeDefaults } from '../src/sim/defaults.js';
import { HomeViewState, type ViewStateOptions } from '../src/sim/view-state.js';
import { switchMessage, temperatureMessage, topics, userRoster } from '../src/wire/index.js';
import { startBareBroker, type BareBroker } from './fixtures/bare-broker.js';
import { waitForView, Watcher } from './fixtures/watch.js';

const defaults = loadHomeDefaults();
let broker: BareBroker;
let outside: Watcher;
const views: HomeViewState[] = [];

async function startView(extra: Partial<ViewStateOptions> = {}): Promise<HomeViewState> {
  const view = new HomeViewState({ url: broker.url, clock: new ManualClock(), defaults, ...extra });
  views.push(view);
  await view.start();
  return view;
}

beforeEach(async () => {
  broker = await startBareBroker();
  outside = await Watcher.connect(broker.url, []);
});

afterEach(async () => {
  for (const view of views.splice(0)) await view.stop();
  await outside.close();
  await broker.close();
});

const reading = (value: number) => temperatureMessage.encode({ timestamp: 1, valueType: 'TEMPERATURE_SENSOR', value });

describe('the view state', () => {
  it('is loading until the door locker\'s roster and each of the home\'s smart objects have arrived', async () => {
    const view = await startView();
    expect(view.getSnapshot()).toMatchObject({ loading: true, users: [] });
    await outside.publish(topics.userRoster, userRoster.encode([{ userName: 'ann', temperature: 21, isHome: true }]));
    const roster = await waitForView(view, (v) => v.users.length === 1, 'the roster');
    // device001 (the home's roster in data/home.json) has not spoken yet.
    expect(roster.loading).toBe(true);
    await outside.publish(topics.switchTelemetry('device001'), switchMessage.encode({ timestamp: 1, value: 'ON' }));
    const loaded = await waitForView(view, (v) => !v.loading, 'loaded');
    expect(loaded.smartObjects.map((o) => o.id)).toEqual(['device001']);
  });

  it('tells subscribers a few times, not once per message, during a flood', async () => {
    const view = await startView();
    let notifications = 0;
    const unsubscribe = view.subscribe(() => (notifications += 1));
    const topic = topics.temperatureTelemetry('device001');
    for (let i = 0; i < 2000; i += 1) outside.client.publish(topic, reading(20 + (i % 100) / 10));
    await outside.publish(topic, reading(33.3));
    const shown = await waitForView(view, (v) => v.smartObjects[0]?.temperature === 33.3, 'the last reading', 10_000);
    unsubscribe();
    expect(shown.smartObjects[0]!.history).toHaveLength(60);
    expect(shown.smartObjects[0]!.history.at(-1)).toBe(33.3);
    expect(notifications).toBeGreaterThan(0);
    expect(notifications).toBeLessThan(200);
  });

  it('with an outside broker, logs what it sees with every terminal control escaped, C1 ones included', async () => {
    const view = await startView({ monitorAll: true });
    // U+009B is CSI on terminals that take 8-bit controls: as harmful as ESC [.
    await outside.publish('lab/evil', Buffer.from('a\u009b2Jb\u001b]0;t\u0007', 'utf8'));
    const shown = await waitForView(view, (v) => v.log.some((entry) => entry.topic === 'lab/evil'), 'the message in the log');
    const preview = shown.log.find((entry) => entry.topic === 'lab/evil')!.preview!;
    expect(preview).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(preview).toContain('\\u009B');
    // The topic too: the headless log prints these lines as they are.
    await outside.publish('lab/\u001b[2J\u202e', 'x');
    const again = await waitForView(view, (v) => v.log.some((entry) => entry.topic?.startsWith('lab/\\x1B')), 'the escaped topic');
    expect(again.log.map((entry) => entry.topic ?? '').join('')).not.toMatch(/[\u001b\u202e]/);
  });

  it('lists smart objects, not every device that announces itself', async () => {
    const view = await startView();
    await outside.publish(topics.deviceInfo('playground001'), '{"device_id":"playground001","producer":"course","software_version":"1.0"}');
    await outside.publish(topics.deviceInfo('device007'), '{"device_id":"device007","producer":"acme","software_version":"2.1"}');
    await outside.publish(topics.temperatureTelemetry('device007'), reading(30));
    const shown = await waitForView(view, (v) => v.smartObjects.length > 0, 'device007');
    expect(shown.smartObjects.map((object) => object.id)).toEqual(['device007']);
    expect(shown.smartObjects[0]).toMatchObject({ producer: 'acme', temperature: 30 });
  });

  it('gives the same snapshot until something changes, then a new one, leaving the old intact', async () => {
    const view = await startView();
    const before = view.getSnapshot();
    expect(view.getSnapshot()).toBe(before);
    await outside.publish(topics.userData, '{"app_info":"1","is_home":"0","temperature":"20","user_name":"dora"}');
    const after = await waitForView(view, (v) => v.users.length === 1, 'dora');
    expect(after).not.toBe(before);
    expect(before.users).toEqual([]);
    expect(after.thermostat).toBe(before.thermostat);
    expect(view.getSnapshot()).toBe(after);
  });

  it('keeps a bounded log of the broker traffic and merges broker facts', async () => {
    const view = await startView({ logSize: 100 });
    const entries: TrafficEntry[] = Array.from({ length: 450 }, (_, i) => ({ seq: i + 1, time: i, kind: 'publish', clientId: 'c', topic: 't' }));
    for (let i = 0; i < entries.length; i += 50) view.pushTraffic(entries.slice(i, i + 50));
    view.setBroker({ clients: 3, dataFile: 'home.json' });
    const shown = view.getSnapshot();
    expect(shown.log).toHaveLength(100);
    expect(shown.log[0]!.seq).toBe(351);
    expect(shown.log.at(-1)!.seq).toBe(450);
    expect(shown.broker).toMatchObject({ url: broker.url, connected: true, clients: 3, dataFile: 'home.json' });
  });

  it('against an outside broker, logs every message it sees and each bad payload once', async () => {
    const view = await startView({ monitorAll: true });
    await outside.publish('somebody/else', 'hi\nthere');
    await outside.publish(topics.switchAction('device001'), '{"action_type":"SWITCH","action_value":"MAYBE"}');
    const shown = await waitForView(view, (v) => v.log.some((e) => e.kind === 'bad-payload'), 'a bad payload');
    const lines = shown.log.map((e) => [e.kind, e.topic, e.preview ?? '', e.detail ?? '']);
    expect(lines).toEqual([
      ['publish', 'somebody/else', 'hi\\nthere', ''],
      ['publish', topics.switchAction('device001'), '{"action_type":"SWITCH","action_value":"MAYBE"}', ''],
      ['bad-payload', topics.switchAction('device001'), '{"action_type":"SWITCH","action_value":"MAYBE"}', 'action_value must be "ON" or "OFF"'],
    ]);
  });

  it('leaves bad-payload entries to the broker when the broker checks payloads', async () => {
    const view = await startView({ brokerChecksPayloads: true });
    await outside.publish(topics.userData, 'nonsense');
    await outside.publish(topics.userData, '{"app_info":"1","is_home":"0","temperature":"20","user_name":"dora"}');
    const shown = await waitForView(view, (v) => v.users.length === 1, 'dora');
    expect(shown.log).toEqual([]);
  });
});
