// The runtime starts the broker in a worker thread, which runs compiled JavaScript (`pretest` builds it).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRuntime } from '../src/runtime.js';
import { loadHomeDefaults } from '../src/sim/defaults.js';
import type { Runtime } from '../src/runtime.js';
import type { Config } from '../src/config.js';
import { tempDir } from './fixtures/binary.js';
import { MiniHomeAssistant } from './fixtures/mini-ha.js';

const running: Runtime[] = [];
const has: MiniHomeAssistant[] = [];
afterEach(async () => {
  for (const ha of has.splice(0)) await ha.close();
  await Promise.all(running.splice(0).map((runtime) => runtime.stop()));
});

async function start(extra: Partial<Config>, dataFile = join(tempDir(), 'home.json')): Promise<Runtime> {
  const config = { port: 0, host: '127.0.0.1', dataFile, headless: true, json: false, resetData: false, logSize: 1000, auth: false, student: false, ...extra } as Config;
  const runtime = (await startRuntime(config, { defaults: loadHomeDefaults() })) as Runtime;
  running.push(runtime);
  return runtime;
}

describe('Home Assistant and the whole program', () => {
  it('finds the home on the embedded broker with logins on, through an admin account of its own', async () => {
    const dataFile = join(tempDir(), 'home.json');
    execFileSync(process.execPath, ['bin/smart-home-tui.js', 'users', 'add', 'homeassistant', '--admin', '--data', dataFile], {
      env: { ...process.env, SMART_HOME_TUI_PASSWORD: 'hass-secret' },
    });
    const runtime = await start({ auth: true, homeAssistant: { prefix: 'homeassistant' } }, dataFile);
    const ha = await MiniHomeAssistant.connect(runtime.brokerUrl, 'homeassistant', { username: 'homeassistant', password: 'hass-secret' });
    has.push(ha);
    const config = await ha.until(() => ha.configs.get('smart_home_tui'), 'the home’s config');
    expect(config.problems).toEqual([]);
    const climate = await ha.until(() => {
      const shown = ha.shown('smart_home_tui_thermostat');
      return shown?.available && shown['temperature'] !== undefined && shown;
    }, 'the thermostat, available, with a target');
    expect(climate).toMatchObject({ state: 'heat', temperature: 15 });
  });
});
