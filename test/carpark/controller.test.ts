import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startBroker, type BrokerHandle } from '../../src/broker/embedded.js';
import { startCarpark, type Carpark, type CarparkSlice } from '../../src/sim/carpark/index.js';
import { ManualClock, seededRandom } from '../../src/sim/clock.js';
import { loadHomeDefaults } from '../../src/sim/defaults.js';
import { memorySlice, type SliceStore } from '../../src/sim/slice-store.js';
import { carPassage, carparkDisplay, carparkRefusal, checkPayload, topics, type CarparkDisplay, type CarparkRefusal } from '../../src/wire/index.js';
import { Clients, waitFor } from '../support/mqtt.js';

// The sign's HH:MM is local time; the expected times below are UTC.
process.env.TZ = 'UTC';

const START = Date.UTC(2024, 0, 1, 12, 0, 30);

function defaultsWith(capacity: number) {
  const defaults = loadHomeDefaults();
  return { ...defaults, carPark: { lots: [{ id: 'main', capacity }] } };
}

/** Everything the sign and the refusals topic say, as an outside subscriber sees it. */
class SignWatcher {
  readonly displays: CarparkDisplay[] = [];
  readonly refusals: CarparkRefusal[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(client: MqttClient) {
    client.on('message', (topic, payload) => {
      if (topic === topics.carparkDisplay('main')) {
        const parsed = carparkDisplay.parse(payload);
        if (parsed.ok) this.displays.push(parsed.value);
      } else if (topic === topics.carparkRefused('main')) {
        const parsed = carparkRefusal.parse(payload);
        if (parsed.ok) this.refusals.push(parsed.value);
      }
      for (const wake of this.listeners) wake();
    });
  }

  until(check: () => boolean, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    return waitFor<void>(
      (cb) => {
        const wake = () => cb();
        this.listeners.add(wake);
        return () => this.listeners.delete(wake);
      },
      check,
      what,
    ).then(() => undefined);
  }

  sign(spaces: number): Promise<void> {
    return this.until(() => this.displays.at(-1)?.spaces === spaces, `the sign to show ${spaces}`);
  }
}

describe('car-park controller', () => {
  const clients = new Clients();
  let broker: BrokerHandle;
  let clock: ManualClock;
  let carpark: Carpark | undefined;
  let slice: SliceStore<CarparkSlice>;

  beforeEach(async () => {
    broker = await startBroker({ port: 0, host: '127.0.0.1' });
    clock = new ManualClock(START);
    slice = memorySlice<CarparkSlice>({});
  });

  afterEach(async () => {
    await carpark?.stop();
    carpark = undefined;
    await clients.closeAll();
    await broker.close();
  });

  async function start(capacity = 130) {
    carpark = await startCarpark({
      url: broker.url,
      clock,
      random: seededRandom(7),
      slice,
      defaults: defaultsWith(capacity),
      carsPerHour: 0,
    });
    const watcher = await clients.connect(broker.url, 'sign-watcher');
    const sign = new SignWatcher(watcher);
    await watcher.subscribeAsync([topics.carparkDisplay('main'), topics.carparkRefused('main')], { qos: 1 });
    const sensor = await clients.connect(broker.url, 'gate');
    const pass = (passage: 'entry' | 'exit', temperatureC = 11.5) =>
      sensor.publishAsync(
        passage === 'entry' ? topics.carparkEntry('main') : topics.carparkExit('main'),
        carPassage.encode({ timestamp: Math.floor(clock.now() / 1000), temperatureC }),
        { qos: 1 },
      );
    return { sign, pass, sensor };
  }

  test('a fresh lot shows its capacity, retained, with the time and no temperature yet', async () => {
    const { sign } = await start();
    await sign.sign(130);
    expect(sign.displays.at(-1)).toEqual({ time: '12:00', spaces: 130, full: false, temperatureC: null });
    expect(slice.read()).toEqual({ main: { free: 130 } });
  });

  test('entries count down and exits count up, carrying the sensor temperature, and the count is saved', async () => {
    const { sign, pass } = await start();
    await sign.sign(130);
    await pass('entry', 9.5);
    await sign.sign(129);
    await pass('entry', 9.75);
    await sign.sign(128);
    await pass('exit', 10.25);
    await sign.sign(129);
    expect(sign.displays.at(-1)).toEqual({ time: '12:00', spaces: 129, full: false, temperatureC: 10.3 });
    expect(slice.read()).toEqual({ main: { free: 129 } });
  });

  test('the last space taken shows FULL; a car at a FULL lot is refused and the sign stays FULL', async () => {
    const { sign, pass } = await start(2);
    await sign.sign(2);
    await pass('entry');
    await pass('entry');
    await sign.sign(0);
    expect(sign.displays.at(-1)?.full).toBe(true);
    const shown = sign.displays.length;
    await pass('entry');
    await sign.until(() => sign.refusals.length === 1, 'the refusal');
    expect(sign.refusals[0]).toMatchObject({ passage: 'entry', reason: 'full', spaces: 0 });
    expect(sign.displays.length).toBe(shown);
    expect(carpark!.spaces('main')).toBe(0);
    expect(slice.read()).toEqual({ main: { free: 0 } });
  });

  test('an exit from an empty lot is refused and never counts above the capacity', async () => {
    const { sign, pass } = await start(3);
    await sign.sign(3);
    await pass('exit');
    await sign.until(() => sign.refusals.length === 1, 'the refusal');
    expect(sign.refusals[0]).toMatchObject({ passage: 'exit', reason: 'empty', spaces: 3 });
    expect(carpark!.spaces('main')).toBe(3);
    expect(sign.displays.every((display) => display.spaces <= 3)).toBe(true);
  });

  test('the sign is published again at the start of every minute, for its clock', async () => {
    const { sign } = await start();
    await sign.sign(130);
    const before = sign.displays.length;
    clock.advance(29_000);
    expect(sign.displays.length).toBe(before);
    clock.advance(1_000);
    await sign.until(() => sign.displays.at(-1)?.time === '12:01', 'the sign at 12:01');
    clock.advance(60_000);
    await sign.until(() => sign.displays.at(-1)?.time === '12:02', 'the sign at 12:02');
    expect(sign.displays.at(-1)).toMatchObject({ spaces: 130, full: false });
  });

  test('a restart picks up the saved count, cut to the capacity if that shrank', async () => {
    slice = memorySlice<CarparkSlice>({ main: { free: 5 } });
    let { sign } = await start();
    await sign.sign(5);
    await carpark!.stop();
    await clients.closeAll();
    slice = memorySlice<CarparkSlice>({ main: { free: 500 } });
    ({ sign } = await start(130));
    await sign.sign(130);
    expect(slice.read()).toEqual({ main: { free: 130 } });
  });

  test('a bad passage changes nothing, and a retained one is not counted again', async () => {
    const { sign, sensor, pass } = await start();
    await sign.sign(130);
    await sensor.publishAsync(topics.carparkEntry('main'), 'a car!', { qos: 1 });
    await sensor.publishAsync(topics.carparkEntry('main'), carPassage.encode({ timestamp: 1, temperatureC: 3 }), { qos: 1, retain: true });
    await pass('entry');
    await sign.sign(129);
    expect(sign.displays.map((display) => display.spaces)).toEqual([130, 129]);
  });
});

describe('car-park sensors', () => {
  const clients = new Clients();
  test('simulated cars arrive at the entry and the sign counts them', async () => {
    const broker = await startBroker({ port: 0, host: '127.0.0.1' });
    const clock = new ManualClock(START);
    const carpark = await startCarpark({
      url: broker.url,
      clock,
      random: seededRandom(42),
      slice: memorySlice<CarparkSlice>({}),
      defaults: defaultsWith(130),
      carsPerHour: 60,
    });
    try {
      const watcher = await clients.connect(broker.url, 'sign-watcher');
      const sign = new SignWatcher(watcher);
      await watcher.subscribeAsync(topics.carparkDisplay('main'), { qos: 1 });
      await sign.sign(130);
      clock.advance(30 * 60_000);
      await sign.until(() => (sign.displays.at(-1)?.spaces ?? 130) < 130, 'a car to come in');
      expect(sign.displays.at(-1)?.temperatureC).toBeGreaterThan(5);
    } finally {
      await carpark.stop();
      await clients.closeAll();
      await broker.close();
    }
  });
});

describe('car-park refusals on the wire', () => {
  test('the broker-side check knows the refused topic and its shape', () => {
    expect(checkPayload('carpark/main/refused', '{"timestamp":1,"passage":"entry","reason":"full","spaces":0}')).toBeNull();
    expect(checkPayload('carpark/main/refused', '{"timestamp":1,"passage":"in","reason":"full","spaces":0}')).toBe('passage must be "entry" or "exit"');
  });
});
