import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/sim/clock.js';
import { loadHomeDefaults } from '../src/sim/defaults.js';
import { startHome, type Home } from '../src/sim/home.js';
import { memorySlices } from '../src/sim/slice-store.js';
import { HomeViewState } from '../src/sim/view-state.js';
import { startBareBroker, type BareBroker } from './fixtures/bare-broker.js';
import { waitForView } from './fixtures/watch.js';

const PYTHON = '/usr/bin/python3';
const STORY = fileURLToPath(new URL('./fixtures/thermostat_story.py', import.meta.url));

function run(file: string, args: string[], timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

let broker: BareBroker;
let home: Home;
let view: HomeViewState;

beforeEach(async () => {
  broker = await startBareBroker();
  const defaults = loadHomeDefaults();
  const clock = new ManualClock();
  view = new HomeViewState({ url: broker.url, clock, defaults });
  await view.start();
  home = await startHome({ url: broker.url, clock, slices: memorySlices(), defaults });
});

afterEach(async () => {
  await home.stop();
  await view.stop();
  await broker.close();
});

describe('an original Python paho-mqtt client', () => {
  it('drives the thermostat through the whole story', async () => {
    const probe = await run(PYTHON, ['-c', 'import paho.mqtt.client'], 10_000);
    if (probe.code !== 0) {
      throw new Error(`${PYTHON} cannot import paho-mqtt; install Debian's python3-paho-mqtt (apt-get install -y python3-paho-mqtt).`);
    }
    const story = await run(PYTHON, [STORY, '127.0.0.1', String(broker.port)], 15_000);
    expect(story.stderr.split('\n').filter((line) => line.trim() !== '' && !line.includes('DeprecationWarning'))).toEqual([]);
    expect(story.stdout.trim().split('\n')).toEqual([
      'ok nobody home',
      'ok alice arrives',
      'ok bob arrives',
      'ok alice wants 22.5',
      'ok alice leaves',
      'ok bob leaves',
    ]);
    expect(story.code).toBe(0);
    const shown = await waitForView(view, (v) => v.users.length === 2 && v.users.every((u) => !u.isHome), 'both away');
    expect(shown.users).toEqual([
      { name: 'alice', temperature: 22.5, isHome: false },
      { name: 'bob', temperature: 19, isHome: false },
    ]);
    expect(shown.thermostat).toMatchObject({ setpoint: 15, forUser: null, queue: [] });
  });
});
