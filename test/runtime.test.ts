import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { startRuntime, type Runtime } from '../src/runtime.js';
import { loadHomeDefaults } from '../src/sim/defaults.js';
import type { Config } from '../src/config.js';
import type { HomeView } from '../src/sim/view-types.js';
import { Clients } from './support/mqtt.js';
import { hasMosquitto, startMosquitto } from './support/mosquitto.js';
import { tempDir } from './fixtures/binary.js';
import { startBareBroker } from './fixtures/bare-broker.js';

const defaults = loadHomeDefaults();
const clients = new Clients();
const running: Runtime[] = [];
afterEach(async () => {
  await clients.closeAll();
  await Promise.all(running.splice(0).map((runtime) => runtime.stop()));
});

function config(dataFile: string, extra: Partial<Config> = {}): Config {
  return { port: 0, host: '127.0.0.1', dataFile, headless: true, json: false, resetData: false, logSize: 10_000, auth: false, student: false, ...extra } as Config;
}

async function start(dataFile: string, extra: Partial<Config> = {}): Promise<Runtime> {
  const runtime = (await startRuntime(config(dataFile, extra), { defaults })) as Runtime;
  running.push(runtime);
  return runtime;
}

function viewUntil(runtime: Runtime, check: (view: HomeView) => boolean, what: string): Promise<HomeView> {
  return new Promise((resolve, reject) => {
    const done = () => {
      const view = runtime.view.getSnapshot();
      if (!check(view)) return false;
      clearTimeout(timer);
      unsubscribe();
      resolve(view);
      return true;
    };
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`the view never showed ${what}`));
    }, 5_000);
    const unsubscribe = runtime.view.subscribe(() => void done());
    done();
  });
}

describe('the whole home on the embedded broker', () => {
  it('hands out its view connected to the broker before the devices start, so a screen shows the broker at once', async () => {
    const seen: Array<{ connected: boolean; users: number; thermostat: boolean }> = [];
    const runtime = (await startRuntime(config(join(tempDir(), 'home.json')), {
      defaults,
      onView: (view) => {
        const now = view.getSnapshot();
        // No device has spoken yet: the thermostat's retained state comes once it runs.
        seen.push({ connected: now.broker.connected, users: now.users.length, thermostat: now.thermostat.updatedAt > 0 });
      },
    })) as Runtime;
    running.push(runtime);
    expect(seen).toEqual([{ connected: true, users: 0, thermostat: false }]);
  });

  it('carries QoS 0, 1 and 2 between outside clients', async () => {
    const runtime = await start(join(tempDir(), 'home.json'));
    const subscriber = await clients.connect(runtime.brokerUrl, 'sub');
    await subscriber.subscribeAsync('lab/#', { qos: 2 });
    const got = new Map<string, number>();
    const all = new Promise<void>((resolve) =>
      subscriber.on('message', (topic, _payload, packet) => {
        got.set(topic, packet.qos);
        if (got.size === 3) resolve();
      }),
    );
    const publisher = await clients.connect(runtime.brokerUrl, 'pub');
    for (const qos of [0, 1, 2] as const) await publisher.publishAsync(`lab/q${qos}`, `qos ${qos}`, { qos });
    await all;
    expect(Object.fromEntries(got)).toEqual({ 'lab/q0': 0, 'lab/q1': 1, 'lab/q2': 2 });
  });

  it('keeps retained messages and the home through a restart from the data file', async () => {
    const dataFile = join(tempDir(), 'home.json');
    const first = await start(dataFile);
    const outside = await clients.connect(first.brokerUrl, 'outside');
    await outside.publishAsync('lab/kept', 'remember me', { qos: 1, retain: true });
    // The door locker says whom it knows on its retained roster; toggle once it knows alice.
    const roster = await clients.connect(first.brokerUrl, 'roster');
    const known = new Promise<void>((resolve) =>
      roster.on('message', (_topic, payload) => payload.toString().includes('"alice"') && resolve()),
    );
    await roster.subscribeAsync('smart_home/door_locker/users');
    await first.actions.register('alice', 21.5);
    await known;
    await first.actions.toggle('alice');
    await viewUntil(first, (view) => view.thermostat.forUser === 'alice', 'the setpoint for alice');
    await clients.closeAll();
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const second = await start(dataFile);
    const view = await viewUntil(second, (current) => current.thermostat.forUser === 'alice', 'alice still in charge');
    expect(view.thermostat.setpoint).toBe(21.5);
    expect(view.users).toContainEqual(expect.objectContaining({ name: 'alice', isHome: true }));
    const late = await clients.connect(second.brokerUrl, 'late');
    const kept = new Promise<string>((resolve) => late.on('message', (topic, payload) => topic === 'lab/kept' && resolve(payload.toString())));
    await late.subscribeAsync('lab/kept');
    expect(await kept).toBe('remember me');
  });

  it('keeps the Topics screen\'s index across a broker restart: retained topics come back, new ones are seen', async () => {
    const runtime = await start(join(tempDir(), 'home.json'));
    const publisher = await clients.connect(runtime.brokerUrl, 'lamp');
    await publisher.publishAsync('lab/lamp', 'on', { qos: 1, retain: true });
    await expect.poll(() => runtime.topics.lookup('lab/lamp'), { timeout: 5_000 }).toMatchObject({ retained: true });
    await runtime.store.flush();
    await runtime.restartBroker!();
    // The retained message came back from the store into the new broker's index.
    await expect.poll(() => runtime.topics.lookup('lab/lamp'), { timeout: 5_000 }).toMatchObject({ retained: true });
    const again = await clients.connect(runtime.brokerUrl, 'thermometer');
    await again.publishAsync('lab/temp', '21.5', { qos: 1 });
    await expect.poll(() => runtime.topics.lookup('lab/temp'), { timeout: 5_000 }).toMatchObject({ count: 1 });
  });

  it('serves MQTT over WebSocket to the same home', async () => {
    const runtime = await start(join(tempDir(), 'home.json'), { wsPort: 0 });
    expect(runtime.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+/);
    const browser = await mqtt.connectAsync(runtime.wsUrl!, { clientId: `ws-${process.pid}`, reconnectPeriod: 0 });
    try {
      await browser.publishAsync('smart_home/user_data', JSON.stringify({ app_info: '1', is_home: '0', temperature: '19', user_name: 'bob' }));
      const view = await viewUntil(runtime, (current) => current.users.some((user) => user.name === 'bob'), 'bob from the browser');
      expect(view.users.find((user) => user.name === 'bob')?.temperature).toBe(19);
    } finally {
      await browser.endAsync();
    }
  });

  it('logs a bad payload from an outside client with its client id, and the home does not change', async () => {
    const runtime = await start(join(tempDir(), 'home.json'));
    const sloppy = await clients.connect(runtime.brokerUrl, 'sloppy');
    await sloppy.publishAsync('smart_home/user_data', '{"user_name":"eve!","temperature":"warm"}');
    const view = await viewUntil(
      runtime,
      (current) => current.log.some((entry) => entry.kind === 'bad-payload' && entry.clientId === sloppy.options.clientId),
      'the bad payload in the log',
    );
    const entry = view.log.find((current) => current.kind === 'bad-payload')!;
    expect(entry.topic).toBe('smart_home/user_data');
    expect(entry.detail).toBeTruthy();
    expect(view.log.filter((current) => current.kind === 'bad-payload')).toHaveLength(1);
    expect(view.users).toEqual([]);
  });

  it('runs a fleet of smart objects, each its own client, whose telemetry outside clients see', async () => {
    const runtime = await start(join(tempDir(), 'home.json'), { fleet: 3 });
    const watcher = await clients.connect(runtime.brokerUrl, 'fleet-watch');
    const seen = new Set<string>();
    const all = new Promise<void>((resolve) =>
      watcher.on('message', (topic) => {
        const id = topic.split('/')[1]!;
        if (id.startsWith('fleet')) seen.add(id);
        if (seen.size === 3) resolve();
      }),
    );
    await watcher.subscribeAsync('device/+/info');
    await all;
    expect([...seen].sort()).toEqual(['fleet00001', 'fleet00002', 'fleet00003']);
  });

  it('says in the log when the data file cannot be written, and keeps running', async () => {
    const dir = tempDir();
    const file = join(dir, 'home.json');
    const runtime = await start(file);
    await runtime.store.flush();
    // A directory where the file was: the next save cannot replace it.
    rmSync(file);
    mkdirSync(join(file, 'blocked'), { recursive: true });
    await runtime.actions.register('dora', 20);
    const view = await viewUntil(
      runtime,
      (current) => current.log.some((entry) => entry.clientId === '(store)' && entry.kind === 'client-error'),
      'the failed save in the log',
    );
    expect(view.log.find((entry) => entry.clientId === '(store)')!.detail).toContain(file);
    await viewUntil(runtime, (current) => current.users.some((user) => user.name === 'dora'), 'dora registered all the same');
    rmSync(file, { recursive: true });
  });
});

describe('the home on an outside broker (--broker)', () => {
  const brokers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of brokers.splice(0)) await close();
  });

  it('shows the message rate the home sees, and says the client count is unknown when the broker does not give one', async () => {
    const outside = await startBareBroker();
    brokers.push(() => outside.close());
    const runtime = await start(join(tempDir(), 'home.json'), { brokerUrl: outside.url });
    expect(runtime.view.getSnapshot().broker.clients).toBeNull();
    const publisher = await clients.connect(outside.url, 'busy');
    // The rate is over the last second: while messages flow it shows them.
    await expect
      .poll(async () => {
        for (let i = 0; i < 5; i++) await publisher.publishAsync('lab/flow', String(i));
        return runtime.view.getSnapshot().broker.messagesPerSecond;
      }, { timeout: 5_000 })
      .toBeGreaterThanOrEqual(5);
    expect(runtime.view.getSnapshot().broker.clients).toBeNull();
  });

  it('knows the outside broker\'s topics and retained messages from a # subscription, and says it cannot name publishers', async () => {
    const outside = await startBareBroker();
    brokers.push(() => outside.close());
    const publisher = await clients.connect(outside.url, 'lamp');
    await publisher.publishAsync('lab/lamp', '{"on":true}', { qos: 1, retain: true });
    const runtime = await start(join(tempDir(), 'home.json'), { brokerUrl: outside.url });
    expect(runtime.topics.embedded).toBe(false);
    expect(runtime.topics.disconnect).toBeUndefined();
    await publisher.publishAsync('lab/temp', '21.5', { qos: 1 });
    await expect.poll(() => runtime.topics.lookup('lab/temp'), { timeout: 5_000 }).toMatchObject({ count: 1 });
    const lamp = await runtime.topics.lookup('lab/lamp');
    expect(lamp?.retained).toBe(true);
    expect(lamp?.last?.clientId).toBe('');
  });

  it.skipIf(!hasMosquitto())('takes the client count from $SYS when the broker publishes it (mosquitto)', async () => {
    const mosquitto = await startMosquitto('sys_interval 1\n');
    brokers.push(() => mosquitto.stop());
    const url = mosquitto.url;
    const runtime = await start(join(tempDir(), 'home.json'), { brokerUrl: url });
    // The home's own devices, the view and the probe are all clients of mosquitto.
    const view = await viewUntil(runtime, (current) => (current.broker.clients ?? 0) >= 5, 'a client count from $SYS');
    expect(Number.isInteger(view.broker.clients)).toBe(true);
  });
});

