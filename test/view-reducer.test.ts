// The home view's reducer as a plain function: facts heard over MQTT in, the view out.
import { describe, expect, test } from 'vitest';
import type { TrafficEntry } from '../src/wire/traffic.js';
import { Feed } from '../src/sim/feed.js';
import { homeViewReducer, homeViewReducerMany, initialHomeViewModel, type HomeViewAction, type HomeViewModel } from '../src/sim/view-reducer.js';

const limits = { logSize: 5, historyMs: 60_000, sparklineLength: 3, overHeatingAbove: 35, roster: [] };
const start = () => initialHomeViewModel(limits, { url: 'mqtt://127.0.0.1:1883', connected: true, clients: 0, messagesPerSecond: 0, dataFile: 'home.json' }, 15);
const run = (actions: HomeViewAction[], model: HomeViewModel = start()) => actions.reduce(homeViewReducer, model);
const entry = (seq: number): TrafficEntry => ({ seq, time: seq, kind: 'publish', clientId: 'c', topic: 't' });
const record = (userName: string, temperature: number, isHome = false, appInfo: '1' | '0' = '1') => ({ appInfo, userName, temperature, isHome });

describe('the home view reducer', () => {
  test('registration says who exists; only presence says who is in; a delete removes them', () => {
    const view = run([
      { type: 'user-record', record: record('alice', 21.5, true), presence: false },
      { type: 'user-record', record: record('bob', 19), presence: false },
      { type: 'user-record', record: record('alice', 21.5, true, '0'), presence: true },
      { type: 'user-record', record: { appInfo: '-1', userName: 'bob' }, presence: false },
    ]).view;
    expect(view.users).toEqual([{ name: 'alice', temperature: 21.5, isHome: true }]);
  });

  test('the thermostat keeps its history within the window', () => {
    const state = { setpoint: 21, forUser: 'alice', queue: ['alice'], roomTemperature: 18, heating: true, timestamp: 0 };
    const view = run([
      { type: 'thermostat', state, at: 0 },
      { type: 'thermostat', state: { ...state, roomTemperature: 19 }, at: 40_000 },
      { type: 'thermostat', state: { ...state, roomTemperature: 20 }, at: 90_000 },
    ]).view;
    expect(view.thermostat).toMatchObject({ setpoint: 21, forUser: 'alice', roomTemperature: 20, updatedAt: 90_000 });
    expect(view.thermostat.history.map((sample) => sample.room)).toEqual([19, 20]);
  });

  test('lists devices that speak like a smart object, sorted, with a short sparkline and the alert line', () => {
    const view = run([
      { type: 'device-info', deviceId: 'playground001', producer: 'course', softwareVersion: '1' },
      { type: 'device-info', deviceId: 'device002', producer: 'acme', softwareVersion: '2' },
      { type: 'temperature', deviceId: 'device002', value: 30 },
      { type: 'switch', deviceId: 'device001', value: 'ON' },
      { type: 'temperature', deviceId: 'device002', value: 34 },
      { type: 'temperature', deviceId: 'device002', value: 36 },
      { type: 'temperature', deviceId: 'device002', value: 37 },
    ]).view;
    expect(view.smartObjects.map((object) => object.id)).toEqual(['device001', 'device002']);
    expect(view.smartObjects[1]).toMatchObject({ producer: 'acme', history: [34, 36, 37], alert: true, temperature: 37 });
  });

  test('keeps the list sorted in batches: new devices find their place, readings change entries in place', () => {
    const first = homeViewReducerMany(start(), [
      { type: 'switch', deviceId: 'fleet00003', value: 'ON' },
      { type: 'switch', deviceId: 'fleet00001', value: 'ON' },
    ]);
    const readings = homeViewReducerMany(first, [
      { type: 'temperature', deviceId: 'fleet00003', value: 25 },
      { type: 'device-info', deviceId: 'fleet00002', producer: 'course', softwareVersion: '1' },
    ]);
    expect(readings.view.smartObjects.map((object) => object.id)).toEqual(['fleet00001', 'fleet00003']);
    expect(readings.view.smartObjects[0]).toBe(first.view.smartObjects[0]);
    expect(readings.view.smartObjects[1]).toMatchObject({ id: 'fleet00003', temperature: 25 });
    const grown = homeViewReducerMany(readings, [
      { type: 'switch', deviceId: 'fleet00002', value: 'OFF' },
      { type: 'switch', deviceId: 'device001', value: 'ON' },
    ]);
    expect(grown.view.smartObjects.map((object) => object.id)).toEqual(['device001', 'fleet00001', 'fleet00002', 'fleet00003']);
    expect(grown.view.smartObjects[2]).toMatchObject({ producer: 'course', switch: 'OFF' });
  });

  test('keeps the newest log entries only', () => {
    const view = run([{ type: 'traffic', entries: [1, 2, 3].map(entry) }, { type: 'traffic', entries: [4, 5, 6, 7].map(entry) }]).view;
    expect(view.log.map((each) => each.seq)).toEqual([3, 4, 5, 6, 7]);
  });

  test('a log burst changes the log and nothing else, so only the log pane renders again', () => {
    const before = run([{ type: 'user-record', record: record('alice', 21.5), presence: false }]);
    const after = homeViewReducer(before, { type: 'traffic', entries: [entry(1)] });
    expect(after.view.log).not.toBe(before.view.log);
    expect(after.view.users).toBe(before.view.users);
    expect(after.view.thermostat).toBe(before.view.thermostat);
    expect(after.view.smartObjects).toBe(before.view.smartObjects);
    expect(after.view.broker).toBe(before.view.broker);
  });

  test('a batch gives the same view as its actions one by one, and leaves the old state intact', () => {
    const actions: HomeViewAction[] = [
      { type: 'user-record', record: record('alice', 21.5), presence: false },
      { type: 'temperature', deviceId: 'device001', value: 30 },
      { type: 'traffic', entries: [entry(1)] },
      { type: 'broker', change: { clients: 4 } },
      { type: 'temperature', deviceId: 'device001', value: 31 },
    ];
    const initial = start();
    expect(homeViewReducerMany(initial, actions).view).toEqual(run(actions).view);
    expect(initial.view.users).toEqual([]);
    expect(initial.devices.size).toBe(0);
  });
});

describe('a feed that folds many actions at once', () => {
  test('applies what came when the state is read, with one call of the reducer', () => {
    let calls = 0;
    const feed = new Feed<number[], number>([], (state, n) => [...state, n], {
      reduceMany: (state, ns) => {
        calls += 1;
        return [...state, ...ns];
      },
    });
    for (let n = 1; n <= 5; n++) feed.dispatch(n);
    expect(feed.getSnapshot()).toEqual([1, 2, 3, 4, 5]);
    expect(calls).toBe(1);
    expect(feed.getSnapshot()).toBe(feed.getSnapshot());
  });
});
