// Keys in the home's panes against the real home on a loopback broker: what the screen shows
// after a key is what the devices answered over MQTT, not what a test double decided.
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { startRuntime } from '../../src/runtime.js';
import { loadHomeDefaults } from '../../src/sim/defaults.js';
import type { Runtime } from '../../src/runtime.js';
import type { Config } from '../../src/config.js';
import { App } from '../../src/ui/App.js';
import { runUi } from '../../src/ui/index.js';
import { oneKeyAtATime } from '../../src/ui/one-key-at-a-time.js';
import { startingView } from '../../src/ui/starting-view.js';
import { tempDir } from '../fixtures/binary.js';
import { Clients, nextMessage } from '../support/mqtt.js';
import { waitForView } from '../fixtures/watch.js';
import { ARROW_DOWN, BACKSPACE, ENTER, renderAt } from './render.js';
import { Text } from 'ink';
import type { ScreenId } from '../../src/ui/keys/key-table.js';
import type { Screen as ExtraScreen } from '../../src/ui/screens.js';

const clients = new Clients();
const running: Runtime[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  cleanup();
  for (const undo of cleanups.splice(0)) undo();
  await clients.closeAll();
  for (const runtime of running.splice(0)) await runtime.stop();
});

async function home(): Promise<Runtime> {
  const config = {
    port: 0, host: '127.0.0.1', dataFile: join(tempDir(), 'home.json'), headless: false, json: false,
    resetData: false, logSize: 10_000, auth: false, student: false,
  } as Config;
  const runtime = (await startRuntime(config, { defaults: loadHomeDefaults() })) as Runtime;
  running.push(runtime);
  return runtime;
}

const SIZE = { columns: 100, rows: 32 };

describe('the home answers keys typed in its panes', () => {
  test('register two people, let one in, change her preference, delete the other', async () => {
    const runtime = await home();
    const screen = await renderAt(<App source={runtime.view} actions={runtime.actions} onQuit={() => {}} {...SIZE} />, SIZE);
    await screen.press('2');
    for (const [name, temperature] of [['alice', '21.5'], ['bob', '19']]) {
      await screen.press('n');
      await screen.type(name);
      await screen.press(ENTER);
      await screen.type(temperature);
      await screen.press(ENTER, (frame) => new RegExp(`${name}\\s+${temperature.replace('.', '\\.')}`).test(frame));
    }
    await screen.press('3');
    let frame = await screen.press(' ', (current) => current.includes('for alice'));
    expect(frame).toMatch(/alice\s+⌂ home {2}arrived 1st/);
    expect(frame).toContain('queue 1 alice');

    await screen.press('2');
    await screen.press('e');
    for (let i = 0; i < 4; i++) await screen.press(BACKSPACE);
    await screen.type('23');
    // The thermostat follows the preference of the person in charge.
    frame = await screen.press(ENTER, (current) => /alice\s+23\.0 °C/.test(current) && /23\.0[^\n]*°C/.test(current.split('4 Thermostat')[1] ?? ''));
    expect(frame).toContain('for alice');

    await screen.press(ARROW_DOWN);
    await screen.press('d');
    frame = await screen.press('y', (current) => !/bob\s+19\.0/.test(current));
    expect(frame).toContain('sent: delete bob');
  });

  test('o, f and Space switch the smart object, and the pane shows what it reports', async () => {
    const runtime = await home();
    const screen = await renderAt(<App source={runtime.view} actions={runtime.actions} onQuit={() => {}} {...SIZE} />, SIZE);
    await screen.waitFor((frame) => frame.includes('device001'), 'the smart object');
    await screen.press('5');
    await screen.press('f', (frame) => /switch OFF/.test(frame));
    await screen.press(' ', (frame) => /switch ON/.test(frame));
    await screen.press('f', (frame) => /switch OFF/.test(frame));
  });
});

describe('typing while the home starts', () => {
  test('a registration typed before the home is up waits and goes out once it is', async () => {
    const starting = startingView({ url: 'mqtt://127.0.0.1:0', dataFile: 'home.json', defaultSetpoint: 15 });
    const screen = await renderAt(<App source={starting.source} actions={starting.actions} onQuit={() => {}} {...SIZE} />, SIZE);
    await screen.press('2');
    await screen.press('n');
    await screen.type('alice');
    await screen.press(ENTER);
    await screen.type('21.5');
    let frame = await screen.press(ENTER, (current) => current.includes('register alice once the home is up'));
    expect(frame).not.toContain('could not');
    // The form is free for the next person meanwhile.
    expect(frame).toMatch(/Name \[\s+\]/);

    const runtime = await home();
    const outside = await clients.connect(runtime.brokerUrl, 'watch-start');
    await outside.subscribeAsync('smart_home/user_data');
    const message = nextMessage(outside, 'smart_home/user_data');
    starting.actions.handOver(runtime.actions);
    screen.rerender(<App source={runtime.view} actions={runtime.actions} onQuit={() => {}} {...SIZE} />);
    expect(JSON.parse((await message).payload.toString())).toMatchObject({ app_info: '1', temperature: '21.5', user_name: 'alice' });
    frame = await screen.waitFor((current) => /alice\s+21\.5 °C/.test(current), 'alice registered');
    expect(frame).toContain('sent: register alice');
  });
});

describe('screens while the home starts', () => {
  const titled = (id: ScreenId, title: string): ExtraScreen => ({ id, title, Component: () => <Text>the {title} screen itself</Text> });

  test('] and [ pressed before the screens are there are taken when they come, and the footer says they wait', async () => {
    const starting = startingView({ url: 'mqtt://127.0.0.1:0', dataFile: 'home.json', defaultSetpoint: 15 });
    const app = (screens: ExtraScreen[]) => <App source={starting.source} actions={starting.actions} onQuit={() => {}} screens={screens} {...SIZE} />;
    const screen = await renderAt(app([]), SIZE);
    await screen.press(']', (frame) => frame.includes('screens open once the home is up'));
    // The footer already says so: these change nothing on screen until the screens come.
    for (const key of [']', ']', '[']) await screen.press(key, () => true);
    // Three forward and one back: the second of three screens.
    screen.rerender(app([titled('playground', 'Playground'), titled('challenge', 'Challenge'), titled('console', 'Console')]));
    const frame = await screen.waitFor((current) => current.includes('the Challenge screen itself'), 'the second screen');
    expect(frame).not.toContain('screens open once the home is up');
    // From there the keys go round as always.
    expect(await screen.press(']', (current) => current.includes('the Console screen itself'))).not.toContain('Challenge screen itself');
  });
});

describe('the UI the program runs', () => {
  test('hands what waited during start-up to the started home, in order', async () => {
    const starting = startingView({ url: 'mqtt://127.0.0.1:0', dataFile: 'home.json', defaultSetpoint: 15 });
    const terminal = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => terminal, ref: () => terminal, unref: () => terminal });
    const stdout = Object.assign(new EventEmitter(), { columns: SIZE.columns, rows: SIZE.rows, isTTY: true, write: () => true });
    const ui = runUi({ ...starting, onQuit: () => {}, stdin: terminal as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream });
    cleanups.push(() => ui.unmount());
    const done = [starting.actions.register('alice', 21.5), starting.actions.register('bob', 19)];
    const runtime = await home();
    const outside = await clients.connect(runtime.brokerUrl, 'watch-update');
    await outside.subscribeAsync('smart_home/user_data');
    const names: string[] = [];
    outside.on('message', (_topic, payload) => names.push(JSON.parse(payload.toString()).user_name));
    ui.update({ source: runtime.view, actions: runtime.actions, screens: [] });
    await Promise.all(done);
    await waitForView(runtime.view, (view) => view.users.length === 2, 'both registered');
    // The view and this client hear the same records, in no fixed order between the two clients.
    await expect.poll(() => names).toEqual(['alice', 'bob']);
  });
});

/** The App in Ink reading a terminal through the key stream the program uses. */
function inTerminal(runtime: Runtime) {
  const terminal = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => terminal, ref: () => terminal, unref: () => terminal }) as unknown as NodeJS.ReadStream & PassThrough;
  const keys = oneKeyAtATime(terminal);
  const stdout = Object.assign(new EventEmitter(), {
    columns: SIZE.columns,
    rows: SIZE.rows,
    isTTY: true,
    last: '',
    write(text: string) {
      // Ink also writes cursor controls alone; a frame is a write with text in it.
      if (stripVTControlCharacters(text).trim() !== '') stdout.last = text;
      return true;
    },
  });
  const instance = render(<App source={runtime.view} actions={runtime.actions} onQuit={() => {}} {...SIZE} />, {
    stdin: keys,
    stdout: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  cleanups.push(() => {
    instance.unmount();
    keys.close();
  });
  const frame = () => stripVTControlCharacters(stdout.last);
  const waitFor = async (check: (frame: string) => boolean, what: string) => {
    const deadline = Date.now() + 5000;
    while (!check(frame())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${frame()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return frame();
  };
  return { send: (text: string) => terminal.write(text), frame, waitFor };
}

describe('a burst from the terminal', () => {
  test('a fast typist\'s whole registration in one read, Backspaces and the last Enter included, reaches the broker', async () => {
    const runtime = await home();
    const outside = await clients.connect(runtime.brokerUrl, 'watch-burst');
    await outside.subscribeAsync('smart_home/user_data');
    const message = nextMessage(outside, 'smart_home/user_data');
    const terminal = inTerminal(runtime);
    await terminal.waitFor((frame) => frame.includes('2 Register'), 'the home');
    terminal.send(`2ndanielxxxxxxxxxxxx${BACKSPACE.repeat(12)}${ENTER}21.5${ENTER}`);
    expect(JSON.parse((await message).payload.toString())).toMatchObject({ temperature: '21.5', user_name: 'daniel' });
    await terminal.waitFor((frame) => /daniel\s+21\.5 °C/.test(frame), 'daniel registered');
  });
});
