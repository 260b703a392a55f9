// The home's panes against the real home: keys typed in a pane become MQTT messages that an
// outside client receives from the embedded broker.
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { loadHomeDefaults } from '../../src/sim/defaults.js';
import type { Config } from '../../src/config.js';
import { App } from '../../src/ui/App.js';
import { tempDir } from '../fixtures/binary.js';
import { Clients, nextMessage } from '../support/mqtt.js';
import { ENTER, renderAt } from './render.js';

const clients = new Clients();
let runtime: Runtime | undefined;
afterEach(async () => {
  cleanup();
  await clients.closeAll();
  await runtime?.stop();
  runtime = undefined;
});

async function home(): Promise<Runtime> {
  const config = {
    port: 0, host: '127.0.0.1', dataFile: join(tempDir(), 'home.json'), headless: false, json: false,
    resetData: false, logSize: 10_000, auth: false, student: false,
  } as Config;
  runtime = (await startRuntime(config, { defaults: loadHomeDefaults() })) as Runtime;
  return runtime;
}

describe('keys in the home panes reach the broker as the original apps\' messages', () => {
  test('registering in pane 2 publishes the string-valued user record', async () => {
    const running = await home();
    const outside = await clients.connect(running.brokerUrl, 'watch-register');
    await outside.subscribeAsync('smart_home/user_data');
    const screen = await renderAt(<App source={running.view} actions={running.actions} onQuit={() => {}} columns={100} rows={32} />, {
      columns: 100,
      rows: 32,
    });
    const message = nextMessage(outside, 'smart_home/user_data');
    await screen.press('2');
    await screen.press('n');
    await screen.type('alice');
    await screen.press(ENTER);
    await screen.type('21.5');
    await screen.press(ENTER, (frame) => frame.includes('sent: register alice'));
    expect(JSON.parse((await message).payload.toString())).toEqual({
      app_info: '1',
      is_home: '0',
      temperature: '21.5',
      user_name: 'alice',
    });
  });

  test('f in pane 5 publishes the ActionDescriptor that switches device001 off', async () => {
    const running = await home();
    const outside = await clients.connect(running.brokerUrl, 'watch-switch');
    await outside.subscribeAsync('device/device001/action/switch');
    const screen = await renderAt(<App source={running.view} actions={running.actions} onQuit={() => {}} columns={100} rows={32} />, {
      columns: 100,
      rows: 32,
    });
    await screen.waitFor((frame) => frame.includes('device001'), 'the smart object');
    const message = nextMessage(outside, 'device/device001/action/switch');
    await screen.press('5');
    await screen.press('f', (frame) => frame.includes('sent:'));
    expect(JSON.parse((await message).payload.toString())).toMatchObject({ action_type: 'SWITCH', action_value: 'OFF' });
  });
});
