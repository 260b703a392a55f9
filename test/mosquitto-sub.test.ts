import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/sim/clock.js';
import { loadHomeDefaults } from '../src/sim/defaults.js';
import { startHome, type Home } from '../src/sim/home.js';
import { memorySlices } from '../src/sim/slice-store.js';
import { HomeViewState } from '../src/sim/view-state.js';
import { topics } from '../src/wire/index.js';
import { startBareBroker, type BareBroker } from './fixtures/bare-broker.js';
import { waitForView, Watcher } from './fixtures/watch.js';

const READY_TOPIC = 'test/ready';

let broker: BareBroker;
let home: Home;
let view: HomeViewState;
let outside: Watcher;
let sub: ChildProcess | undefined;
let lines: string[] = [];
const lineWaiters = new Set<() => void>();

function waitForLines(done: (all: string[]) => boolean, what: string, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done(lines)) return;
      clearTimeout(timer);
      lineWaiters.delete(check);
      resolve();
    };
    const timer = setTimeout(() => {
      lineWaiters.delete(check);
      reject(new Error(`timed out waiting for mosquitto_sub to print ${what}; it printed:\n${lines.join('\n')}`));
    }, timeoutMs);
    lineWaiters.add(check);
    check();
  });
}

beforeEach(async () => {
  broker = await startBareBroker();
  const defaults = loadHomeDefaults();
  const clock = new ManualClock();
  view = new HomeViewState({ url: broker.url, clock, defaults, monitorAll: true });
  await view.start();
  home = await startHome({ url: broker.url, clock, slices: memorySlices(), defaults });
  outside = await Watcher.connect(broker.url, []);
  lines = [];
});

afterEach(async () => {
  if (sub !== undefined && sub.exitCode === null) {
    const exited = new Promise((resolve) => sub!.once('exit', resolve));
    sub.kill('SIGTERM');
    await exited;
  }
  sub = undefined;
  await outside.close();
  await home.stop();
  await view.stop();
  await broker.close();
});

describe('mosquitto_sub on #', () => {
  it('sees every message the view sees', async () => {
    // A retained probe tells us when mosquitto_sub's subscription is in place.
    await outside.publish(READY_TOPIC, 'yes', { retain: true, qos: 1 });
    sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-v', '-t', '#'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    sub.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let partial = '';
    sub.stdout!.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const complete = text.split('\n');
      partial = complete.pop() ?? '';
      lines.push(...complete);
      for (const check of [...lineWaiters]) check();
    });
    const spawnFailed = new Promise<never>((_, reject) =>
      sub!.once('error', (error) => reject(new Error(`mosquitto_sub did not start (${error.message}); install Debian's mosquitto-clients.`))),
    );
    await Promise.race([waitForLines((all) => all.includes(`${READY_TOPIC} yes`), 'the ready probe'), spawnFailed]);
    const viewMark = view.getSnapshot().log.at(-1)?.seq ?? 0;

    await home.actions.register('alice', 21.5);
    await home.actions.register('bob', 19);
    await waitForView(view, (v) => v.users.length === 2, 'two users');
    await home.actions.toggle('alice');
    await home.actions.toggle('bob');
    await waitForView(view, (v) => v.thermostat.queue.length === 2, 'both home');
    await outside.publish(topics.userData, '{"app_info":"1","is_home":"1","temperature":"23","user_name":"alice"}');
    await waitForView(view, (v) => v.thermostat.setpoint === 23, 'setpoint 23');
    await home.actions.switchObject('device001', 'OFF');
    await waitForView(view, (v) => v.smartObjects[0]?.switch === 'OFF', 'object OFF');
    await home.actions.toggle('alice');
    await waitForView(view, (v) => v.thermostat.forUser === 'bob', 'bob in charge');

    const seenByView = view
      .getSnapshot()
      .log.filter((entry) => entry.kind === 'publish' && entry.seq > viewMark)
      // A long payload's preview is cut with an ellipsis; the printed line starts the same way.
      .map((entry) => `${entry.topic} ${entry.preview}`.replace(/…$/, ''));
    expect(seenByView.length).toBeGreaterThanOrEqual(12);
    await waitForLines(
      (all) => seenByView.every((start) => all.some((line) => line.startsWith(start))),
      `everything the view saw; missing:\n${seenByView.filter((start) => !lines.some((line) => line.startsWith(start))).join('\n')}\n`,
    );
    expect(stderr).toBe('');
  });
});
