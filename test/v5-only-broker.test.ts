// The home on a broker that speaks only MQTT 5 (as with --broker): its clients ask for 3.1.1,
// are told the version is unacceptable, and connect again as MQTT 5.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { ManualClock } from '../src/sim/clock.js';
import { loadHomeDefaults } from '../src/sim/defaults.js';
import { startHome, type Home } from '../src/sim/home.js';
import { memorySlices } from '../src/sim/slice-store.js';
import { HomeViewState } from '../src/sim/view-state.js';
import { topics } from '../src/wire/index.js';
import { startV5OnlyBroker, type V5OnlyBroker } from './fixtures/v5-only-broker.js';
import { waitForView } from './fixtures/watch.js';

let broker: V5OnlyBroker;
let home: Home;
let view: HomeViewState;
beforeAll(async () => {
  broker = await startV5OnlyBroker();
  const defaults = loadHomeDefaults();
  const clock = new ManualClock();
  view = new HomeViewState({ url: broker.url, clock, defaults, monitorAll: true });
  await view.start();
  home = await startHome({ url: broker.url, clock, slices: memorySlices(), defaults });
});
afterAll(async () => {
  await home?.stop();
  await view?.stop();
  await broker?.close();
});

describe('a broker that speaks only MQTT 5', () => {
  it('runs the whole home: its clients fall back to MQTT 5 and a v5 client outside sees their messages', async () => {
    expect(broker.levels).toContain(4);
    expect(broker.levels).toContain(5);
    const outside = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    await outside.subscribeAsync(topics.userData);
    const seen = new Promise<string>((resolve) => outside.once('message', (_t, payload) => resolve(payload.toString())));
    await home.actions.register('alice', 21.5);
    await waitForView(view, (v) => v.users.length === 1, 'alice registered');
    expect(await seen).toMatch(/alice/);
    await outside.endAsync();
  });
});
