import fc from 'fast-check';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startBroker } from '../src/broker/embedded.js';
import { loadHomeDefaults } from '../src/sim/defaults.js';
import { startFleet, type Fleet } from '../src/sim/fleet.js';
import { DEVICES_PER_GATEWAY, fleetDeviceId, partRange, splitRange } from '../src/sim/fleet-plan.js';
import { fleetObjectConfig } from '../src/sim/home-assistant/discovery.js';
import { Clients } from './support/mqtt.js';
import { hasMosquitto, startMosquitto } from './support/mosquitto.js';

const defaults = loadHomeDefaults().smartObjects;

describe('the fleet plan', () => {
  it('gives the parts of a fleet disjoint ids that together are the whole fleet, gateways whole', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(1, DEVICES_PER_GATEWAY), (count, parts, unit) => {
        let next = 1;
        for (let index = 1; index <= parts; index++) {
          const range = partRange(count, { index, of: parts }, unit);
          if (range.last < range.first) continue;
          expect(range.first).toBe(next);
          if (unit > 1) expect((range.first - 1) % unit).toBe(0);
          next = range.last + 1;
        }
        expect(next).toBe(count + 1);
      }),
    );
  });

  it('splits a part over threads without gaps or overlaps', () => {
    expect(splitRange({ first: 10_001, last: 20_000 }, 3)).toEqual([
      { first: 10_001, last: 13_333 },
      { first: 13_334, last: 16_666 },
      { first: 16_667, last: 20_000 },
    ]);
    expect(splitRange({ first: 2001, last: 3500 }, 4, DEVICES_PER_GATEWAY)).toEqual([
      { first: 2001, last: 3000 },
      { first: 3001, last: 3500 },
    ]);
  });

  it('tells Home Assistant that an object behind a gateway is available only while its gateway is', () => {
    const config = fleetObjectConfig('fleet01001', '1.0.0', 'gateway002');
    for (const component of Object.values(config.cmps)) {
      const topics = (component.avty as { t: string }[]).map((a) => a.t);
      expect(topics).toEqual(expect.arrayContaining(['device/fleet01001/availability', 'gateway/gateway002/availability']));
      expect(component.avty_mode).toBe('all');
    }
  });
});

/** The last info and availability payload by topic and the telemetry count by device, as an outside client sees them. */
async function watch(client: MqttClient) {
  const retained = new Map<string, string>();
  const telemetry = new Map<string, number>();
  client.on('message', (topic, payload) => {
    const [, id, kind] = topic.split('/');
    if (kind === 'telemetry') telemetry.set(id!, (telemetry.get(id!) ?? 0) + 1);
    else retained.set(topic, payload.toString());
  });
  await client.subscribeAsync(['device/+/info', 'device/+/availability', 'device/+/telemetry/temperature', 'gateway/+/availability'], { qos: 1 });
  return { retained, telemetry };
}

describe('a fleet on a broker', () => {
  const clients = new Clients();
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await clients.closeAll();
  });

  it.skipIf(!hasMosquitto())('runs as two parts on mosquitto with disjoint ids, none missing', async () => {
    const mosquitto = await startMosquitto();
    cleanups.push(() => mosquitto.stop());
    const seen = await watch(await clients.connect(mosquitto.url, 'fleet-watch'));
    const count = 200;
    const parts: Fleet[] = [];
    for (const index of [1, 2]) {
      const part = await startFleet({ url: mosquitto.url, count, part: { index, of: 2 }, threads: 2, saved: {}, defaults, onSave: () => {} });
      cleanups.push(() => part.stop());
      parts.push(part);
    }
    expect(parts.map((part) => part.ids)).toEqual([
      { first: 1, last: 100 },
      { first: 101, last: 200 },
    ]);
    const all = Array.from({ length: count }, (_, i) => fleetDeviceId(i + 1));
    await expect.poll(() => all.filter((id) => !seen.telemetry.has(id)).length, { timeout: 30_000 }).toBe(0);
    expect(all.every((id) => seen.retained.get(`device/${id}/availability`) === 'online')).toBe(true);
    expect([...seen.telemetry.keys()].sort()).toEqual(all);
  }, 60_000);

  it('runs many objects behind a few gateway clients, each with its own topics and availability', async () => {
    const broker = await startBroker({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => broker.close());
    const watcher = await clients.connect(broker.url, 'gateway-watch');
    const seen = await watch(watcher);
    const count = DEVICES_PER_GATEWAY + 200;
    const fleet = await startFleet({ url: broker.url, count, via: 'gateway', threads: 1, saved: {}, defaults, onSave: () => {} });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await fleet.stop();
    });
    // Beside the watcher, two connections carry the whole fleet.
    expect(broker.stats().clients).toBe(3);
    const all = Array.from({ length: count }, (_, i) => fleetDeviceId(i + 1));
    await expect.poll(() => all.filter((id) => !seen.retained.has(`device/${id}/info`)).length, { timeout: 30_000 }).toBe(0);
    await expect.poll(() => all.filter((id) => !seen.telemetry.has(id)).length, { timeout: 30_000 }).toBe(0);
    expect(seen.retained.get('gateway/gateway001/availability')).toBe('online');
    expect(seen.retained.get('gateway/gateway002/availability')).toBe('online');
    expect(all.every((id) => seen.retained.get(`device/${id}/availability`) === 'online')).toBe(true);

    // An action reaches only its own device behind the shared client.
    const switched = new Set<string>();
    watcher.on('message', (topic, payload) => {
      if (topic.endsWith('/telemetry/switch') && payload.toString().includes('"OFF"')) switched.add(topic.split('/')[1]!);
    });
    await watcher.subscribeAsync('device/+/telemetry/switch');
    await watcher.publishAsync('device/fleet01150/action/switch', '{"action_type":"SWITCH","action_value":"OFF"}', { qos: 1 });
    await expect.poll(() => [...switched]).toEqual(['fleet01150']);

    await fleet.stop();
    stopped = true;
    await expect.poll(() => all.filter((id) => seen.retained.get(`device/${id}/availability`) !== 'offline').length).toBe(0);
    await expect.poll(() => seen.retained.get('gateway/gateway002/availability')).toBe('offline');
  }, 60_000);
});
