import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { startBroker, type BrokerHandle } from '../../../src/broker/embedded.js';
import { startCarpark, type Carpark, type CarparkSlice } from '../../../src/sim/carpark/index.js';
import { ManualClock } from '../../../src/sim/clock.js';
import { loadHomeDefaults } from '../../../src/sim/defaults.js';
import { memorySlice } from '../../../src/sim/slice-store.js';
import { carPassage, carparkDisplay, topics } from '../../../src/wire/index.js';
import { CarparkLink } from '../../../src/ui/screens/carpark/carpark-link.js';
import { CarparkScreen } from '../../../src/ui/screens/carpark/CarparkScreen.js';
import { startCarparkScreen } from '../../../src/ui/screens/carpark/index.js';
import type { RunningScreen } from '../../../src/ui/screens.js';
import { Clients, nextMessage } from '../../support/mqtt.js';
import { ARROW_DOWN, renderAt } from '../render.js';

const NOW = Date.UTC(2024, 0, 1, 17, 45, 12);

function defaults(lots = [{ id: 'main', capacity: 130 }]) {
  return { ...loadHomeDefaults(), carPark: { lots } };
}

afterEach(() => cleanup());

describe('car-park screen snapshots', () => {
  test('a lot with spaces, another FULL, and the gates log with a refusal', async () => {
    const link = new CarparkLink({ url: 'mqtt://127.0.0.1:1', lots: defaults([{ id: 'main', capacity: 130 }, { id: 'east', capacity: 40 }]).carPark.lots });
    const at = (s: number) => NOW - 60_000 + s * 1000;
    link.feed.dispatch({ type: 'display', lot: 'main', display: { time: '17:45', spaces: 87, full: false, temperatureC: 11.4 } });
    link.feed.dispatch({ type: 'display', lot: 'east', display: { time: '17:45', spaces: 0, full: true, temperatureC: 10.9 } });
    link.feed.dispatch({ type: 'passage', lot: 'main', passage: 'entry', temperatureC: 11.4, time: at(1) });
    link.feed.dispatch({ type: 'passage', lot: 'east', passage: 'entry', temperatureC: 10.9, time: at(7) });
    link.feed.dispatch({ type: 'refused', lot: 'east', refusal: { timestamp: 1, passage: 'entry', reason: 'full', spaces: 0 }, time: at(9) });
    link.feed.dispatch({ type: 'bad-payload', topic: 'carpark/main/exit', reason: 'not JSON', time: at(20) });
    const screen = await renderAt(<CarparkScreen link={link} width={100} height={16} focused />, { columns: 100, rows: 20 });
    expect(screen.frame()).toMatchSnapshot();
    const full = await screen.press(ARROW_DOWN);
    expect(full).toContain('FULL');
    expect(full).toMatchSnapshot();
  });

  test('before the controller has spoken', async () => {
    const link = new CarparkLink({ url: 'mqtt://127.0.0.1:1', lots: defaults().carPark.lots });
    const screen = await renderAt(<CarparkScreen link={link} width={80} height={14} focused />, { columns: 80, rows: 18 });
    // No made-up count: the sign waits and the lot says its capacity with an unknown count.
    expect(screen.frame()).toContain("waiting for the controller's");
    expect(screen.frame()).toContain('?/130');
    expect(screen.frame()).toMatchSnapshot();
  });
});

describe('car-park screen keys reach the broker', () => {
  const clients = new Clients();
  let broker: BrokerHandle | undefined;
  let carpark: Carpark | undefined;
  let running: RunningScreen | undefined;

  afterEach(async () => {
    await running?.stop();
    await carpark?.stop();
    await clients.closeAll();
    await broker?.close();
    broker = carpark = running = undefined;
  });

  test('i sends an entry, the controller counts it and the sign shows it; o sends an exit', async () => {
    broker = await startBroker({ port: 0, host: '127.0.0.1' });
    const clock = new ManualClock(NOW);
    carpark = await startCarpark({ url: broker.url, clock, slice: memorySlice<CarparkSlice>({}), defaults: defaults(), carsPerHour: 0 });
    running = await startCarparkScreen({ url: broker.url, clock, defaults: defaults() });
    const outside = await clients.connect(broker.url, 'outside');
    await outside.subscribeAsync('carpark/#', { qos: 1 });

    const { Component } = running.screen;
    const screen = await renderAt(<Component width={100} height={16} focused />, { columns: 100, rows: 20 });
    await screen.waitFor((frame) => frame.includes("spaces free"), 'the sign');

    const entry = nextMessage(outside, topics.carparkEntry('main'));
    await screen.press('i', (frame) => frame.includes('a car came in'));
    const sent = carPassage.parse((await entry).payload);
    expect(sent.ok && sent.value.timestamp).toBe(Math.floor(NOW / 1000));
    await screen.waitFor((frame) => frame.includes('129/130'), 'the sign at 129');

    const exit = nextMessage(outside, topics.carparkExit('main'));
    await screen.press('o', (frame) => frame.includes('a car went out'));
    expect((await exit).topic).toBe('carpark/main/exit');
    await screen.waitFor((frame) => frame.includes('130/130'), 'the sign back at 130');
    expect(running.screen.title).toBe('Car park');
  });

  test('a retained entry left on the broker is no car: not counted at a restart, not shown in the gates log', async () => {
    broker = await startBroker({ port: 0, host: '127.0.0.1' });
    const clock = new ManualClock(NOW);
    const slice = memorySlice<CarparkSlice>({});
    carpark = await startCarpark({ url: broker.url, clock, slice, defaults: defaults(), carsPerHour: 0 });
    const outside = await clients.connect(broker.url, 'outside');
    // mosquitto_pub -r: a live passage (counted once), kept by the broker as retained.
    const sign = nextMessage(outside, topics.carparkDisplay('main'));
    await outside.subscribeAsync(topics.carparkDisplay('main'), { qos: 1 });
    await sign;
    const counted = nextMessage(outside, topics.carparkDisplay('main'));
    await outside.publishAsync(topics.carparkEntry('main'), carPassage.encode({ timestamp: 1, temperatureC: 11 }), { qos: 1, retain: true });
    expect(carparkDisplay.parse((await counted).payload)).toMatchObject({ ok: true, value: { spaces: 129 } });
    await carpark.stop();

    // The home starts again: controller and screen both receive the retained entry.
    carpark = await startCarpark({ url: broker.url, clock, slice, defaults: defaults(), carsPerHour: 0 });
    running = await startCarparkScreen({ url: broker.url, clock, defaults: defaults() });
    const { Component } = running.screen;
    const screen = await renderAt(<Component width={100} height={16} focused />, { columns: 100, rows: 20 });
    await screen.waitFor((frame) => frame.includes('129/130'), 'the sign at 129');
    // One live car after them: once it shows, everything before it has been handled.
    await screen.press('i', (frame) => frame.includes('128/130'));
    expect(carpark.spaces('main')).toBe(128);
    expect(screen.frame().match(/a car came in/g)).toHaveLength(1);
  });

  test('an entry at a FULL lot shows the controller refusing it', async () => {
    broker = await startBroker({ port: 0, host: '127.0.0.1' });
    const clock = new ManualClock(NOW);
    const small = defaults([{ id: 'main', capacity: 1 }]);
    carpark = await startCarpark({ url: broker.url, clock, slice: memorySlice<CarparkSlice>({ main: { free: 0 } }), defaults: small, carsPerHour: 0 });
    running = await startCarparkScreen({ url: broker.url, clock, defaults: small });
    const { Component } = running.screen;
    const screen = await renderAt(<Component width={100} height={16} focused />, { columns: 100, rows: 20 });
    await screen.waitFor((frame) => frame.includes('FULL'), 'the FULL sign');
    const frame = await screen.press('i', (f) => f.includes('entry refused, the lot is FULL'));
    expect(carpark.spaces('main')).toBe(0);
    expect(frame).toContain('FULL');
  });
});
