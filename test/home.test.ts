import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../src/sim/clock.js';
import { loadHomeDefaults } from '../src/sim/defaults.js';
import { HomeError } from '../src/sim/errors.js';
import { startHome, type Home } from '../src/sim/home.js';
import { memorySlices, type HomeSlices } from '../src/sim/slice-store.js';
import { HomeViewState } from '../src/sim/view-state.js';
import { controllerState, switchAction, switchMessage, temperatureMessage, thermostatState, topics } from '../src/wire/index.js';
import { startBareBroker, type BareBroker } from './fixtures/bare-broker.js';
import { waitForView, Watcher, type Seen } from './fixtures/watch.js';

const defaults = loadHomeDefaults();

let broker: BareBroker;
let clock: ManualClock;
let slices: HomeSlices;
let watcher: Watcher;
let view: HomeViewState;
const homes: Home[] = [];

async function start(): Promise<Home> {
  const home = await startHome({ url: broker.url, clock, random: seededRandom(7), slices, defaults });
  homes.push(home);
  return home;
}

beforeEach(async () => {
  broker = await startBareBroker();
  clock = new ManualClock();
  slices = memorySlices();
  watcher = await Watcher.connect(broker.url);
  view = new HomeViewState({ url: broker.url, clock, defaults });
  await view.start();
});

afterEach(async () => {
  for (const home of homes.splice(0)) await home.stop();
  await view.stop();
  await watcher.close();
  await broker.close();
});

const isState = (match: (state: { setpoint: number; forUser: string | null; queue: string[] }) => boolean) => (seen: Seen) => {
  if (seen.topic !== topics.thermostatState) return false;
  const parsed = thermostatState.parse(seen.text);
  return parsed.ok && match(parsed.value);
};

/** Waits for the thermostat to publish the given decision after `since`. */
async function stateAfter(since: number, setpoint: number, forUser: string | null, queue: string[]) {
  await watcher.waitFor(
    isState((s) => s.setpoint === setpoint && s.forUser === forUser && JSON.stringify(s.queue) === JSON.stringify(queue)),
    `setpoint ${setpoint} for ${forUser ?? 'nobody'} (queue ${queue.join(',')})`,
    since,
  );
}

describe('the thermostat story, driven by an outside client', () => {
  it('heats for the earliest person at home and follows their preference', async () => {
    await start();
    await stateAfter(0, 15, null, []);

    await watcher.publish(topics.userData, '{"app_info":"1","is_home":"0","temperature":"21.5","user_name":"alice"}');
    await watcher.publish(topics.userData, '{"app_info":"1","is_home":"0","temperature":"19","user_name":"bob"}');
    let mark = watcher.mark();
    await watcher.publish(topics.presenceData, '{"app_info":"0","is_home":"1","temperature":"21.5","user_name":"alice"}');
    await stateAfter(mark, 21.5, 'alice', ['alice']);

    mark = watcher.mark();
    await watcher.publish(topics.presenceData, '{"app_info":"0","is_home":"1","temperature":"19","user_name":"bob"}');
    await stateAfter(mark, 21.5, 'alice', ['alice', 'bob']);

    mark = watcher.mark();
    await watcher.publish(topics.userData, '{"app_info":"1","is_home":"1","temperature":"23","user_name":"alice"}');
    await stateAfter(mark, 23, 'alice', ['alice', 'bob']);

    mark = watcher.mark();
    await watcher.publish(topics.presenceData, '{"app_info":"0","is_home":"0","temperature":"23","user_name":"alice"}');
    await stateAfter(mark, 19, 'bob', ['bob']);

    mark = watcher.mark();
    await watcher.publish(topics.presenceData, '{"app_info":"0","is_home":"0","temperature":"19","user_name":"bob"}');
    await stateAfter(mark, 15, null, []);

    const shown = await waitForView(view, (v) => v.thermostat.setpoint === 15 && v.users.every((u) => !u.isHome), 'everyone away');
    expect(shown.users).toEqual([
      { name: 'alice', temperature: 23, isHome: false },
      { name: 'bob', temperature: 19, isHome: false },
    ]);
    expect(shown.thermostat).toMatchObject({ setpoint: 15, forUser: null, queue: [] });
    expect(shown.thermostat.history.length).toBeGreaterThan(3);
    expect(slices.thermostat.read()).toMatchObject({ queue: [], users: { alice: '23.0', bob: '19.0' } });
    expect(slices.doorLocker.read().users).toEqual({
      alice: { temperature: '23.0', isHome: false },
      bob: { temperature: '19.0', isHome: false },
    });
  });

  it('drops a deleted person from the queue at once', async () => {
    await start();
    await watcher.publish(topics.userData, '{"app_info":"1","is_home":"0","temperature":"21.5","user_name":"alice"}');
    await watcher.publish(topics.presenceData, '{"app_info":"0","is_home":"1","temperature":"21.5","user_name":"alice"}');
    await stateAfter(0, 21.5, 'alice', ['alice']);
    const mark = watcher.mark();
    await watcher.publish(topics.userData, '{"app_info":"-1","is_home":"1","temperature":"21.5","user_name":"alice"}');
    await stateAfter(mark, 15, null, []);
    await waitForView(view, (v) => v.users.length === 0, 'alice gone');
  });
});

describe('bad payloads', () => {
  it('change nothing and show up in the log with a reason', async () => {
    await start();
    await watcher.publish(topics.userData, '{"app_info":"1","is_home":"0","temperature":"21.5","user_name":"alice"}');
    await watcher.publish(topics.presenceData, '{"app_info":"0","is_home":"1","temperature":"21.5","user_name":"alice"}');
    await stateAfter(0, 21.5, 'alice', ['alice']);

    await watcher.publish(topics.userData, 'hello');
    await watcher.publish(topics.userData, '{"app_info":"1","is_home":"0","temperature":"warm","user_name":"eve"}');
    await watcher.publish(topics.presenceData, '{"app_info":"0","is_home":"0","temperature":"21.5","user_name":"al!ce"}');
    await watcher.publish(topics.presenceData, Buffer.from([0xff, 0xfe, 0x00]));
    await watcher.publish(topics.userData, Buffer.alloc(1024 * 1024, 0x7b));
    await watcher.publish(topics.thermostatState, '{"setpoint":"hot"}');
    // A good record after the bad ones: once it shows, the bad ones have been handled.
    await watcher.publish(topics.userData, '{"app_info":"1","is_home":"0","temperature":"18","user_name":"carol"}');

    const shown = await waitForView(view, (v) => v.users.some((u) => u.name === 'carol'), 'carol');
    expect(shown.users.map((u) => u.name)).toEqual(['alice', 'carol']);
    expect(shown.users[0]).toEqual({ name: 'alice', temperature: 21.5, isHome: true });
    expect(shown.thermostat).toMatchObject({ setpoint: 21.5, forUser: 'alice', queue: ['alice'] });
    const reasons = shown.log.filter((e) => e.kind === 'bad-payload').map((e) => [e.topic, e.detail]);
    expect(reasons).toEqual([
      [topics.userData, 'not JSON'],
      [topics.userData, 'temperature is not a number'],
      [topics.presenceData, 'user_name must be letters and digits'],
      [topics.presenceData, 'not valid UTF-8'],
      [topics.userData, 'payload larger than 64 KiB'],
      [topics.thermostatState, 'setpoint must be a number'],
    ]);
    // The door locker heard carol after the five bad records, and kept nobody new from them.
    await expect.poll(() => Object.keys(slices.doorLocker.read().users)).toContain('carol');
    expect(Object.keys(slices.doorLocker.read().users)).not.toContain('eve');
    expect(slices.doorLocker.read().users['alice']).toEqual({ temperature: '21.5', isHome: true });
    expect(slices.thermostat.read().queue).toEqual(['alice']);
  });
});

describe('values outside the home\'s ranges', () => {
  it('a preferred temperature of 1e300, 99, -273, NaN or Infinity is a bad payload and never reaches the thermostat or its slices', async () => {
    await start();
    const record = (appInfo: string, isHome: string, temperature: string) =>
      JSON.stringify({ app_info: appInfo, is_home: isHome, temperature, user_name: 'huge' });
    const outside = ['1e300', '99', '-273', 'NaN', 'Infinity'];
    for (const temperature of outside) {
      await watcher.publish(topics.userData, record('1', '0', temperature));
      await watcher.publish(topics.presenceData, record('0', '1', temperature));
    }
    // A spike the thermostat never made, sent by an outside client: the view's history keeps none of it.
    await watcher.publish(
      topics.thermostatState,
      JSON.stringify({ setpoint: 1e300, for_user: 'huge', queue: ['huge'], room_temperature: 1.1049610706077684e298, heating: true, timestamp: 1 }),
    );
    const since = watcher.mark();
    await watcher.publish(topics.userData, '{"app_info":"1","is_home":"0","temperature":"21.5","user_name":"alice"}');
    await watcher.publish(topics.presenceData, '{"app_info":"0","is_home":"1","temperature":"21.5","user_name":"alice"}');
    await stateAfter(since, 21.5, 'alice', ['alice']);

    const shown = await waitForView(view, (v) => v.thermostat.forUser === 'alice', 'alice in charge');
    expect(shown.users.map((u) => u.name)).toEqual(['alice']);
    expect(shown.thermostat.history.every((sample) => sample.room >= -50 && sample.room <= 100 && sample.setpoint <= 35)).toBe(true);
    const reasons = shown.log.filter((e) => e.kind === 'bad-payload').map((e) => e.detail);
    expect(reasons).toEqual([
      ...outside.flatMap((t) => Array(2).fill(t === 'NaN' || t === 'Infinity' ? 'temperature is not a number' : 'temperature must be from 5 to 35 °C')),
      'setpoint must be from 5 to 35 °C',
    ]);
    // The door locker heard alice after the ten bad records; neither its slice nor the thermostat's saw huge.
    await expect.poll(() => slices.doorLocker.read().users['alice']?.isHome).toBe(true);
    expect(slices.thermostat.read().users).toEqual({ alice: '21.5' });
    expect(Object.keys(slices.doorLocker.read().users)).toEqual(['alice']);
  });
});

describe('actions through the apps own clients', () => {
  it('register, toggle, change and remove move the view', async () => {
    const home = await start();
    await home.actions.register('alice', 21.5);
    await waitForView(view, (v) => v.users.some((u) => u.name === 'alice'), 'alice registered');
    await home.actions.toggle('alice');
    let shown = await waitForView(view, (v) => v.thermostat.forUser === 'alice', 'alice in charge');
    expect(shown.users).toEqual([{ name: 'alice', temperature: 21.5, isHome: true }]);
    expect(shown.thermostat.setpoint).toBe(21.5);

    await home.actions.changeTemperature('alice', 24);
    shown = await waitForView(view, (v) => v.thermostat.setpoint === 24, 'setpoint 24');
    expect(shown.users).toEqual([{ name: 'alice', temperature: 24, isHome: true }]);

    const mark = watcher.mark();
    await home.actions.remove('alice');
    await waitForView(view, (v) => v.users.length === 0 && v.thermostat.forUser === null, 'alice removed');
    const second = await watcher.waitForNth((s) => s.text.includes('"app_info":"-1"'), 2, 'delete on both topics', mark);
    expect(JSON.parse(second.text)).toEqual({ app_info: '-1', is_home: '0', temperature: '24.0', user_name: 'alice' });
    expect(watcher.seen.slice(mark).filter((s) => s.text.includes('"-1"')).map((s) => s.topic).sort()).toEqual([
      topics.presenceData,
      topics.userData,
    ]);
  });

  it('refuses what a person got wrong with one sentence', async () => {
    const home = await start();
    await expect(home.actions.register('al ice', 20)).rejects.toThrow(new HomeError('"al ice" is not a valid name: use letters and digits only (at most 64).'));
    await expect(home.actions.register('alice', Number.NaN)).rejects.toBeInstanceOf(HomeError);
    await expect(home.actions.toggle('nobody')).rejects.toThrow('Nobody called nobody is registered.');
    await expect(home.actions.remove('nobody')).rejects.toThrow('Nobody called nobody is registered.');
    await expect(home.actions.switchObject('a/b', 'ON')).rejects.toBeInstanceOf(HomeError);
  });
});

describe('restart', () => {
  it('comes back from the same slices with the same people, queue and switch', async () => {
    const first = await start();
    await first.actions.register('alice', 21.5);
    await first.actions.register('bob', 19);
    await waitForView(view, (v) => v.users.length === 2, 'two users');
    await first.actions.toggle('alice');
    await waitForView(view, (v) => v.thermostat.queue.length === 1, 'alice home');
    await first.actions.toggle('bob');
    await waitForView(view, (v) => v.thermostat.queue.length === 2, 'bob home');
    await first.actions.switchObject('device001', 'OFF');
    await waitForView(view, (v) => v.smartObjects[0]?.switch === 'OFF', 'object off');
    await first.stop();
    homes.splice(homes.indexOf(first), 1);

    let mark = watcher.mark();
    const second = await start();
    await stateAfter(mark, 21.5, 'alice', ['alice', 'bob']);
    await watcher.waitFor(
      (s) => s.topic === topics.switchTelemetry('device001') && switchMessage.parse(s.text).ok && s.text.includes('"OFF"'),
      'the object still OFF',
      mark,
    );

    // A view started now learns the people from the door locker's retained roster.
    const fresh = new HomeViewState({ url: broker.url, clock, defaults });
    await fresh.start();
    try {
      const shown = await waitForView(fresh, (v) => v.users.length === 2 && v.thermostat.updatedAt > 0, 'people after restart');
      expect(shown.users).toEqual([
        { name: 'alice', temperature: 21.5, isHome: true },
        { name: 'bob', temperature: 19, isHome: true },
      ]);
      expect(shown.thermostat).toMatchObject({ setpoint: 21.5, forUser: 'alice', queue: ['alice', 'bob'] });
    } finally {
      await fresh.stop();
    }

    // The door locker remembers alice is home, so passing the door now means leaving.
    mark = watcher.mark();
    await second.actions.toggle('alice');
    await stateAfter(mark, 19, 'bob', ['bob']);
    // The registration app knows bob from the roster although it never saw him register.
    mark = watcher.mark();
    await second.actions.remove('bob');
    await stateAfter(mark, 15, null, []);
  });

  it('a controller restarted while an object waits to come back ON still switches it ON', async () => {
    const first = await start();
    await watcher.publish(topics.temperatureTelemetry('device001'), temperatureMessage.encode({ timestamp: 1, valueType: 'TEMPERATURE_SENSOR', value: 38 }));
    await watcher.waitFor((s) => s.topic === topics.controller('device001') && s.text.includes('"ON"'), 'pending ON');
    await watcher.waitFor((s) => s.topic === topics.switchTelemetry('device001') && s.text.includes('"OFF"'), 'object OFF');
    await first.stop();
    homes.splice(homes.indexOf(first), 1);
    clock.advance(4000);

    const mark = watcher.mark();
    await start();
    // The object comes back OFF from its slice, and the controller has 6 s left to wait.
    await watcher.waitFor((s) => s.topic === topics.switchTelemetry('device001') && s.text.includes('"OFF"'), 'object still OFF', mark);
    // The resumed controller announces the same pending action once it has scheduled it.
    const resumed = await watcher.waitFor((s) => s.topic === topics.controller('device001') && s.text.includes('"ON"'), 'pending resumed', mark);
    expect(controllerState.parse(resumed.text)).toEqual({ ok: true, value: { pending: 'ON', due: clock.now() + 6000 } });
    clock.advance(6000);
    await watcher.waitFor((s) => s.topic === topics.switchAction('device001') && s.text.includes('"ON"'), 'ON after the restart', mark);
    await watcher.waitFor((s) => s.topic === topics.switchTelemetry('device001') && s.text.includes('"ON"'), 'object back ON', mark);
  });
});

describe('the smart object and its controller', () => {
  const temperatureOf = (s: Seen) => {
    const parsed = temperatureMessage.parse(s.text);
    return parsed.ok ? parsed.value.value : Number.NaN;
  };
  const isTelemetry = (id: string) => (s: Seen) => s.topic === topics.temperatureTelemetry(id);
  const isAction = (id: string, value: 'ON' | 'OFF') => (s: Seen) => {
    if (s.topic !== topics.switchAction(id)) return false;
    const parsed = switchAction.parse(s.text);
    return parsed.ok && parsed.value.value === value;
  };

  it('switches an over-heated object OFF, and ON again 10 s later, with one timer per object', async () => {
    await start();
    await watcher.waitFor((s) => s.topic === topics.deviceInfo('device001'), 'device info');

    // Run the object second by second until it passes 37 °C.
    let hottest = 0;
    for (let second = 1; second <= 120 && hottest <= 37; second += 1) {
      clock.advance(1000);
      hottest = temperatureOf(await watcher.waitForNth(isTelemetry('device001'), second, `telemetry ${second}`));
    }
    expect(hottest).toBeGreaterThan(37);
    const off = await watcher.waitFor(isAction('device001', 'OFF'), 'OFF from the controller');
    expect(off.qos).toBe(1);
    await watcher.waitFor((s) => s.topic === topics.switchTelemetry('device001') && s.text.includes('"OFF"'), 'object reports OFF');
    const pending = await watcher.waitFor((s) => s.topic === topics.controller('device001') && s.text.includes('"ON"'), 'pending ON');
    expect(controllerState.parse(pending.text)).toEqual({ ok: true, value: { pending: 'ON', due: clock.now() + 10_000 } });
    await watcher.waitFor((s) => s.topic === topics.event('device001') && s.text.includes('OVER_HEATING'), 'over-heating event');

    let shown = await waitForView(view, (v) => v.smartObjects[0]?.controllerPending !== undefined && v.smartObjects[0].switch === 'OFF', 'pending in view');
    expect(shown.smartObjects[0]).toMatchObject({
      id: 'device001',
      producer: 'smart-home-tui',
      alert: true,
      lastEvent: { type: 'OVER_HEATING' },
      controllerPending: { action: 'ON', dueAt: clock.now() + 10_000 },
    });
    expect(shown.smartObjects[0]!.history.length).toBeGreaterThan(10);

    // More heat reports while the timer is pending must not start a second one. A report for
    // another object, sent after, proves the controller has handled the first.
    await watcher.publish(topics.temperatureTelemetry('device001'), temperatureMessage.encode({ timestamp: 1, valueType: 'TEMPERATURE_SENSOR', value: 40 }));
    await watcher.publish(topics.temperatureTelemetry('probe9'), temperatureMessage.encode({ timestamp: 1, valueType: 'TEMPERATURE_SENSOR', value: 40 }));
    await watcher.waitFor(isAction('probe9', 'OFF'), 'OFF for probe9');
    expect(watcher.count(isAction('device001', 'OFF'))).toBe(1);

    clock.advance(10_000);
    const on = await watcher.waitFor(isAction('device001', 'ON'), 'ON after 10 s');
    expect(on.qos).toBe(1);
    await watcher.waitFor(isAction('probe9', 'ON'), 'ON for probe9');
    await watcher.waitFor((s) => s.topic === topics.controller('device001') && s.text === '{"pending":null}', 'nothing pending');
    expect(watcher.count(isAction('device001', 'ON'))).toBe(1);
    shown = await waitForView(view, (v) => v.smartObjects.find((o) => o.id === 'device001')?.switch === 'ON', 'object back ON');
    expect(shown.smartObjects.find((o) => o.id === 'device001')!.controllerPending).toBeUndefined();
  });

  it('the pane switch turns the object OFF and telemetry stops while OFF', async () => {
    const home = await start();
    clock.advance(20_000);
    await watcher.waitForNth(isTelemetry('device001'), 20, 'twenty seconds of telemetry');
    await home.actions.switchObject('device001', 'OFF');
    await watcher.waitFor((s) => s.topic === topics.switchTelemetry('device001') && s.text.includes('"OFF"'), 'object reports OFF');
    const before = watcher.count(isTelemetry('device001'));
    clock.advance(10_000);
    const mark = watcher.mark();
    await home.actions.switchObject('device001', 'ON');
    await watcher.waitFor((s) => s.topic === topics.switchTelemetry('device001') && s.text.includes('"ON"'), 'object reports ON', mark);
    clock.advance(1000);
    const next = await watcher.waitForNth(isTelemetry('device001'), before + 1, 'telemetry again');
    // Ten seconds OFF: it cooled below where it was.
    expect(temperatureOf(next)).toBeLessThan(temperatureOf(watcher.seen.filter(isTelemetry('device001'))[before - 1]!));
    expect(slices.smartObjects.read()['device001']?.switch).toBe('ON');
  });
});

describe('a lost broker', () => {
  it('the home and its view reconnect and keep working when the broker comes back', async () => {
    const home = await start();
    await home.actions.register('alice', 21.5);
    await waitForView(view, (v) => v.users.length === 1, 'alice');
    const port = broker.port;
    await watcher.close();
    await broker.close();
    const lost = await waitForView(view, (v) => !v.broker.connected, 'the lost broker');
    expect(lost.broker.problem).toBe(`Lost the broker at ${broker.url}; reconnecting…`);
    // Every client is refused at least once while the broker is away, and none of them crashes.
    await waitForView(
      view,
      (v) => /^Cannot reach the broker at \S+ \(ECONNREFUSED\); trying again within \d+ s…$/.test(v.broker.problem ?? ''),
      'a refused retry',
    );

    broker = await startBareBroker(port);
    // QoS 0 messages are not kept for a client that is still reconnecting, so wait until every
    // device that listens has subscribed again.
    const listening = home.clientIds.filter((id) => !id.includes('switch'));
    const subscribed = new Set<string>();
    const allBack = new Promise<void>((resolve) =>
      broker.broker.on('subscribe', (_subscriptions, client) => {
        subscribed.add(client.id);
        if (listening.every((id) => subscribed.has(id))) resolve();
      }),
    );
    watcher = await Watcher.connect(broker.url);
    await waitForView(view, (v) => v.broker.connected && v.broker.problem === undefined, 'connected again', 10_000);
    await allBack;
    // The new broker knows nobody yet; registering again proves every client is back.
    await home.actions.register('zoe', 20);
    await waitForView(view, (v) => v.users.some((u) => u.name === 'zoe'), 'zoe', 10_000);
    await home.actions.toggle('zoe');
    await watcher.waitFor(isState((s) => s.forUser === 'zoe'), 'the thermostat heating for zoe');
  });
});
