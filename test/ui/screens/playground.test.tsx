import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { prepareBrokerAuth } from '../../../src/broker/auth-setup.js';
import { startBroker, type BrokerHandle } from '../../../src/broker/embedded.js';
import { ManualClock, seededRandom } from '../../../src/sim/clock.js';
import { deviceDescriptor, temperatureMessage, topics } from '../../../src/wire/index.js';
import { openStore, type HomeStore } from '../../../src/store/index.js';
import { startPlaygroundScreen } from '../../../src/ui/screens/playground/index.js';
import { PlaygroundScreen } from '../../../src/ui/screens/playground/PlaygroundScreen.js';
import { PlaygroundSession } from '../../../src/ui/screens/playground/playground-session.js';
import { stepRate } from '../../../src/ui/screens/playground/playground-state.js';
import type { RunningScreen } from '../../../src/ui/screens.js';
import { tempDir } from '../../fixtures/binary.js';
import { Clients, nextMessage, recordTraffic } from '../../support/mqtt.js';
import { ARROW_DOWN, renderAt } from '../render.js';
import { loadHomeDefaults } from '../../../src/sim/defaults.js';

const NOW = Date.UTC(2024, 0, 1, 9, 30, 0);

afterEach(() => cleanup());

describe('rates', () => {
  test('+ and - step through 0.2..20 Hz and stop at the ends', () => {
    expect(stepRate(1, 1)).toBe(2);
    expect(stepRate(1, -1)).toBe(0.5);
    expect(stepRate(20, 1)).toBe(20);
    expect(stepRate(0.2, -1)).toBe(0.2);
    expect(stepRate(3, 1)).toBe(5);
    expect(stepRate(3, -1)).toBe(2);
  });
});

describe('playground snapshots', () => {
  test('producers running, consumers with decoded lines and a decode error, bob refused', async () => {
    const session = new PlaygroundSession({ url: 'mqtt://127.0.0.1:1', login: { username: 'home-devices', password: 'x' } });
    const feed = session.feed;
    const at = (s: number) => NOW + s * 1000;
    feed.dispatch({ type: 'producer', kind: 'simple', change: { running: true } });
    feed.dispatch({ type: 'producer', kind: 'json', change: { running: true, rateHz: 5 } });
    feed.dispatch({ type: 'published', kind: 'simple', value: 27.31 });
    feed.dispatch({ type: 'published', kind: 'json', value: 31.07 });
    feed.dispatch({ type: 'heard', consumer: 'simple', time: at(1), text: '27.31 °C' });
    feed.dispatch({ type: 'heard', consumer: 'json', time: at(1), text: '31.07 °C TEMPERATURE_SENSOR t=1704101401' });
    feed.dispatch({ type: 'heard', consumer: 'device', time: at(2), text: 'info playground001 v1.0.0' });
    feed.dispatch({ type: 'heard', consumer: 'device', time: at(3), text: 'playground001: 24.80 °C' });
    feed.dispatch({
      type: 'decode-error',
      consumer: 'simple',
      error: { time: at(4), topic: 'sensor/temperature', preview: 'hello', reason: 'temperature is not a number' },
    });
    for (const step of [
      { id: 'logins', text: 'alice and bob logged in', tone: 'good' as const },
      { id: 'bob-sub-own', text: 'bob ⇠ /iot/user/bob/#: granted (QoS 0)', tone: 'good' as const },
      { id: 'bob-sub-other', text: 'bob ⇠ /iot/user/alice/#: refused by the broker (SUBACK 0x80)', tone: 'good' as const },
      { id: 'bob-read', text: "bob has read nothing of alice's", tone: 'good' as const },
      { id: 'alice-pub', text: 'alice ⇢ /iot/user/alice/temperature: 23.5 °C', tone: 'good' as const },
    ]) {
      feed.dispatch({ type: 'demo-step', step });
    }
    const screen = await renderAt(
      <PlaygroundScreen session={session} startOnFirstShow={false} width={120} height={19} focused />,
      { columns: 120, rows: 24 },
    );
    expect(screen.frame()).toMatchSnapshot();
    const narrow = await renderAt(
      <PlaygroundScreen session={session} startOnFirstShow={false} width={70} height={19} focused />,
      { columns: 70, rows: 24 },
    );
    // At 70 columns nothing's value is cut: the producers' last values and the consumers' readings show whole.
    const frame = narrow.frame();
    expect(frame).toMatch(/▸ simple ● on\s+27\.31/);
    expect(frame).toMatch(/json\s+● on\s+31\.07/);
    expect(frame.replace(/│\s*│/g, '').replace(/\s+/g, ' ')).toContain('playground001: 24.80 °C');
    expect(frame).toMatch(/▸ simple ● on\s+27\.31\s+1 Hz/);
    expect(frame).not.toMatch(/\d ?…/);
    const second = await screen.press(ARROW_DOWN);
    expect(second).toMatch(/▸ json/);
  });
});

describe('playground against a real broker', () => {
  const clients = new Clients();
  let broker: BrokerHandle | undefined;
  let running: RunningScreen | undefined;
  let store: HomeStore | undefined;

  afterEach(async () => {
    await running?.stop();
    await clients.closeAll();
    await broker?.close();
    await store?.close();
    broker = running = store = undefined;
  });

  async function open(options: { clock?: ManualClock; columns?: number } = {}) {
    const columns = options.columns ?? 120;
    broker ??= await startBroker({ port: 0, host: '127.0.0.1' });
    const clock = options.clock ?? new ManualClock(NOW);
    running = await startPlaygroundScreen({ url: broker.url, defaults: loadHomeDefaults(), clock, random: seededRandom(3), startOnFirstShow: false });
    const { Component } = running.screen;
    const screen = await renderAt(<Component width={columns} height={19} focused />, { columns, rows: 24 });
    return { screen, clock };
  }

  test('nothing is published before the screen is first shown; leaving it pauses the producers and coming back resumes them', async () => {
    broker = await startBroker({ port: 0, host: '127.0.0.1' });
    const clock = new ManualClock(NOW);
    const outside = await clients.connect(broker.url, 'outside');
    const seen: string[] = [];
    outside.on('message', (topic) => seen.push(topic));
    await outside.subscribeAsync('#');
    running = await startPlaygroundScreen({ url: broker.url, defaults: loadHomeDefaults(), clock, random: seededRandom(3) });
    const { Component } = running.screen;
    const at = (focused: boolean) => <Component width={120} height={19} focused={focused} />;
    // An outside message sent after a step has reached everyone once it arrives: nothing else came before it.
    let barriers = 0;
    const barrier = async () => {
      const arrived = nextMessage(outside, `barrier/${++barriers}`);
      await outside.publishAsync(`barrier/${barriers}`, 'x', { qos: 1 });
      await arrived;
    };
    const screen = await renderAt(at(false), { columns: 120, rows: 24 });
    clock.advance(5000);
    await barrier();
    expect(seen.filter((topic) => !topic.startsWith('barrier/'))).toEqual([]);

    const alice = nextMessage(outside, topics.userTemperature('alice'));
    screen.rerender(at(true));
    await alice;
    await screen.waitFor((frame) => (frame.match(/● on/g) ?? []).length === 3, 'all producers on');
    const reading = nextMessage(outside, topics.sensorTemperature);
    clock.advance(1000);
    await reading;

    screen.rerender(at(false));
    await screen.waitFor((frame) => (frame.match(/○ off/g) ?? []).length === 3, 'all producers paused');
    await barrier();
    const mark = seen.length;
    clock.advance(5000);
    await barrier();
    const readings = [topics.sensorTemperature, topics.deviceTemperature, topics.deviceSensorTemperature('playground001')] as string[];
    expect(seen.slice(mark).filter((topic) => readings.includes(topic))).toEqual([]);

    screen.rerender(at(true));
    await screen.waitFor((frame) => (frame.match(/● on/g) ?? []).length === 3, 'all producers on again');
    const again = nextMessage(outside, topics.sensorTemperature);
    clock.advance(1000);
    await again;
  });

  test('Space starts the simple producer: its float reaches an outside subscriber and the consumer shows it', async () => {
    const { screen, clock } = await open();
    const outside = await clients.connect(broker!.url, 'outside');
    await outside.subscribeAsync(topics.sensorTemperature);
    await screen.press(' ', (frame) => frame.includes('● on'));
    const message = nextMessage(outside, topics.sensorTemperature);
    clock.advance(1000);
    const { payload, qos } = await message;
    const value = Number(payload.toString());
    expect(value).toBeGreaterThanOrEqual(20);
    expect(value).toBeLessThanOrEqual(40);
    expect(qos).toBe(0);
    await screen.waitFor((frame) => frame.includes(`${value.toFixed(2)} °C`), 'the consumer to show the reading');
  });

  test('the device producer announces itself retained and sends MessageDescriptors; + raises its rate', async () => {
    const { screen, clock } = await open();
    const outside = await clients.connect(broker!.url, 'outside');
    await outside.subscribeAsync(['device/+/info', 'device/+/sensor/#']);
    await screen.press(ARROW_DOWN);
    await screen.press(ARROW_DOWN);
    const info = nextMessage(outside, topics.deviceInfo('playground001'));
    await screen.press(' ', (frame) => /▸ device.*● on/.test(frame));
    const descriptor = deviceDescriptor.parse((await info).payload);
    expect(descriptor).toEqual({ ok: true, value: { deviceId: 'playground001', producer: 'playground', softwareVersion: '1.0.0' } });
    await screen.press('+', (frame) => /▸ device.*2 Hz/.test(frame));
    const reading = nextMessage(outside, topics.deviceSensorTemperature('playground001'));
    clock.advance(500);
    const parsed = temperatureMessage.parse((await reading).payload);
    expect(parsed.ok && parsed.value).toMatchObject({ valueType: 'TEMPERATURE_SENSOR', timestamp: Math.floor((NOW + 500) / 1000) });
    await screen.waitFor((frame) => frame.includes('info playground001 v1.0.0'), 'the device consumer');
  });

  test('a consumer shows a decode error for "hello" from an outside client, and keeps decoding after it', async () => {
    // Wide enough that the error line does not wrap.
    const { screen } = await open({ columns: 200 });
    const outside = await clients.connect(broker!.url, 'mosquitto-pub');
    await outside.publishAsync(topics.sensorTemperature, 'hello');
    await screen.waitFor((frame) => frame.includes('"hello": temperature is not a number'), 'the decode error');
    await outside.publishAsync(topics.deviceTemperature, '{"value_type":"TEMPERATURE_SENSOR","value":21}');
    await screen.waitFor((frame) => frame.includes('timestamp is missing'), 'a second decode error');
    await outside.publishAsync(topics.sensorTemperature, '22.5');
    const frame = await screen.waitFor((f) => f.includes('22.50 °C'), 'the good reading');
    expect(frame).toContain('"hello": temperature is not a number');
  });

  test('without logins checked the demo says so and shows bob reading alice', async () => {
    const { screen } = await open();
    await screen.press('a', (frame) => frame.includes("bob READ alice's"));
    expect(screen.frame()).toContain('logins NOT checked');
    expect(screen.frame()).toContain('start with --student');
  });

  test('with --student bob cannot read alice: the broker refuses his subscription with 0x80', async () => {
    store = await openStore({ file: join(tempDir(), 'home.json') });
    const prepared = await prepareBrokerAuth({ auth: false, student: true }, store);
    broker = await startBroker({ port: 0, host: '127.0.0.1', auth: prepared.auth });
    const traffic = recordTraffic(broker);
    running = await startPlaygroundScreen({ url: broker.url, defaults: loadHomeDefaults(), login: prepared.login, clock: new ManualClock(NOW), startOnFirstShow: false });
    const { Component } = running.screen;
    const screen = await renderAt(<Component width={120} height={19} focused />, { columns: 120, rows: 24 });
    await screen.waitFor((frame) => frame.includes('refused by the broker (SUBACK 0x80)') && frame.includes('alice ⇢'), 'the refusal');
    await traffic.find((e) => e.kind === 'denied' && e.topic === '/iot/user/alice/#', "the broker's denied entry");

    // alice's next reading reaches an admin watcher but never bob.
    const watcher = await clients.connect(broker.url, 'teacher', { ...prepared.login });
    await watcher.subscribeAsync('/iot/user/#');
    const seen = nextMessage(watcher, topics.userTemperature('alice'));
    await screen.press('a');
    await seen;
    const frame = screen.frame();
    expect(frame).toContain('logins checked');
    expect(frame).toContain("bob has read nothing of alice's");
    expect(frame).not.toContain('READ');
  });
});
