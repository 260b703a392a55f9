import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { HomeView } from '../../src/sim/view-types.js';
import { App } from '../../src/ui/App.js';
import { emptyHomeView, homeViewFixture, MemoryHomeSource, NOW, RecordingActions } from '../fixtures/home-view.js';
import {
  ARROW_DOWN,
  ARROW_UP,
  BACKSPACE,
  CTRL_C,
  END,
  ENTER,
  ESC,
  PAGE_UP,
  SHIFT_TAB,
  TAB,
  renderAt,
  type Screen,
} from './render.js';

afterEach(() => cleanup());

interface Home {
  screen: Screen;
  source: MemoryHomeSource;
  actions: RecordingActions;
  onQuit: ReturnType<typeof vi.fn>;
}

async function openHome(view: HomeView = homeViewFixture(), columns = 100, rows = 32, sizeFromProps = true): Promise<Home> {
  const source = new MemoryHomeSource(view);
  const actions = new RecordingActions();
  const onQuit = vi.fn();
  const size = sizeFromProps ? { columns, rows } : {};
  const screen = await renderAt(
    <App source={source} actions={actions} onQuit={onQuit} now={() => NOW} {...size} />,
    { columns, rows },
  );
  return { screen, source, actions, onQuit };
}

/** The frame must leave the last row free and never run past the right edge, or Ink flickers. */
function expectFits(frame: string, columns: number, rows: number): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThan(rows);
  for (const line of lines) expect([...line].length).toBeLessThanOrEqual(columns);
}

describe('layout', () => {
  test.each([
    [120, 40],
    [80, 24],
  ])('at %ix%i every pane, the status bar and the footer fit', async (columns, rows) => {
    const { screen } = await openHome(homeViewFixture(), columns, rows);
    const frame = screen.frame();
    expectFits(frame, columns, rows);
    for (const title of ['1 Broker log', '2 Register', '3 Presence', '4 Thermostat', '5 Smart object']) {
      expect(frame).toContain(title);
    }
    expect(frame).toContain('mqtt://127.0.0.1:1883');
    expect(frame).toContain('12 msg/s');
    expect(frame).toMatchSnapshot();
  });

  test('a terminal below the minimum gets one line saying the size it needs', async () => {
    const { screen } = await openHome(homeViewFixture(), 60, 20);
    expect(screen.frame()).toBe('Terminal too small (60x20): needs at least 70x24.');
    expect(screen.frame()).toMatchSnapshot();
  });

  test('the smallest supported terminal still fits', async () => {
    const { screen } = await openHome(homeViewFixture(), 70, 24);
    expectFits(screen.frame(), 70, 24);
    expect(screen.frame()).toContain('5 Smart object');
  });

  test('a resized terminal is laid out again, and a draft survives being too small', async () => {
    const { screen } = await openHome(homeViewFixture(), 100, 30, false);
    await screen.press('2');
    await screen.press('n');
    await screen.type('dan');
    Object.defineProperty(screen.stdout, 'columns', { value: 60, configurable: true });
    Object.defineProperty(screen.stdout, 'rows', { value: 20, configurable: true });
    screen.stdout.emit('resize');
    await screen.waitFor((frame) => frame.startsWith('Terminal too small (60x20)'));
    Object.defineProperty(screen.stdout, 'columns', { value: 90, configurable: true });
    Object.defineProperty(screen.stdout, 'rows', { value: 26, configurable: true });
    screen.stdout.emit('resize');
    const frame = await screen.waitFor((current) => current.includes('2 Register'));
    expectFits(frame, 90, 26);
    expect(frame).toContain('[dan▏');
  });

  test('a broker problem replaces "connected" in the status bar', async () => {
    const view = homeViewFixture();
    view.broker = { ...view.broker, connected: false, problem: 'Reconnecting to mqtt://127.0.0.1:1883 (connection refused).' };
    const { screen } = await openHome(view);
    expect(screen.frame().split('\n')[0]).toContain('○ Reconnecting to mqtt://127.0.0.1:1883 (connection refused).');
  });
});

describe('whole app', () => {
  test('at start', async () => {
    const { screen } = await openHome();
    expect(screen.frame()).toMatchSnapshot();
  });

  test('registering a user: name, temperature, Enter', async () => {
    const { screen, actions } = await openHome(emptyHomeView());
    await screen.press('2');
    await screen.press('n');
    await screen.type('alice');
    await screen.press(ENTER);
    await screen.type('21.5');
    const frame = await screen.press(ENTER, (current) => current.includes('sent: register alice'));
    expect(actions.calls).toEqual([['register', 'alice', 21.5]]);
    // The form is empty again for the next person (what the home answers: home-keys.test.tsx).
    expect(frame).toMatch(/Name \[\s+\]/);
  });

  test('a presence toggle asks the door to let the selected person through', async () => {
    const { screen, actions } = await openHome();
    await screen.press('3');
    await screen.press(ARROW_DOWN);
    await screen.press(' ', (current) => current.includes('sent: let bob in'));
    expect(actions.calls).toEqual([['toggle', 'bob']]);
  });

  test('the help overlay lists every key; Esc closes it and ? closes it too', async () => {
    const { screen, onQuit } = await openHome(homeViewFixture(), 100, 32);
    const help = await screen.press('?');
    for (const text of ['Everywhere', 'In a text field', '1 Broker log', '2 Register', '3 Presence', '5 Smart object', 'pause', 'delete']) {
      expect(help).toContain(text);
    }
    expect(help).not.toContain('4 Thermostat');
    expectFits(help, 100, 32);
    expect(help).toMatchSnapshot();
    // Keys belong to the overlay while it is open: 'q' closes it instead of quitting, '2' moves nothing.
    let frame = await screen.press(ESC, (current) => current.includes('4 Thermostat'));
    expect(frame).not.toContain('Everywhere');
    await screen.press('?');
    frame = await screen.press('q', (current) => current.includes('4 Thermostat'));
    expect(onQuit).not.toHaveBeenCalled();
    await screen.press('?');
    frame = await screen.press('?', (current) => current.includes('4 Thermostat'));
    expect(frame).not.toContain('In a text field');
  });
});

describe('keys', () => {
  test("'1' typed in the name field stays in the field", async () => {
    const { screen } = await openHome();
    await screen.press('2');
    await screen.press('n');
    const frame = await screen.type('al1');
    expect(frame).toContain('[al1▏');
    expect(frame).toContain('Enter apply · Esc leave the field');
    // Still on Register after leaving the field.
    const after = await screen.press(ESC);
    expect(after).toContain('n new · ↑↓ select · e edit °C · d delete');
  });

  test('q, ? and Tab inside a field are text, not commands', async () => {
    const { screen, onQuit } = await openHome();
    await screen.press('2');
    await screen.press('n');
    const frame = await screen.type('q?');
    expect(onQuit).not.toHaveBeenCalled();
    expect(frame).toContain('letters and digits only');
    await screen.press(BACKSPACE);
    const withTab = await screen.press(TAB);
    expect(withTab).toContain('[q ');
    expect(withTab).toMatch(/°C \[▏\s*\]/);
  });

  test('a refused name or temperature stays in the form with the reason, and nothing is sent', async () => {
    const { screen, actions } = await openHome(emptyHomeView());
    await screen.press('2');
    await screen.press('n');
    await screen.type('al ice');
    let frame = await screen.press(ENTER, (current) => current.includes('A name has letters and digits only.'));
    expect(frame).toContain('[al ice▏');
    for (let i = 0; i < 4; i++) await screen.press(BACKSPACE);
    await screen.type('ice');
    await screen.press(ENTER);
    frame = await screen.type('50');
    expect(frame).toContain('The temperature is between 5 and 35 °C.');
    frame = await screen.press(ENTER, (current) => current.includes('between 5 and 35'));
    expect(actions.calls).toEqual([]);
    expect(frame).toContain('[alice');
  });

  test('e changes the selected person\'s preference', async () => {
    const { screen, actions } = await openHome();
    await screen.press('2');
    await screen.press(ARROW_DOWN);
    let frame = await screen.press('e');
    expect(frame).toMatch(/bob\s+°C \[19▏/);
    await screen.press(BACKSPACE);
    await screen.press(BACKSPACE);
    await screen.type('20');
    frame = await screen.press(ENTER, (current) => current.includes('sent: change bob to 20 °C'));
    expect(actions.calls).toEqual([['changeTemperature', 'bob', 20]]);
    expect(frame).not.toMatch(/bob\s+°C \[/);
  });

  test('d then y deletes the selected person; d then another key does not', async () => {
    const { screen, actions } = await openHome();
    await screen.press('2');
    await screen.press(ARROW_DOWN);
    let frame = await screen.press('d');
    expect(frame).toContain('Delete bob? y/n');
    frame = await screen.press('n', (current) => !current.includes('Delete bob?'));
    expect(actions.calls).toEqual([]);
    await screen.press('d');
    await screen.press('y', (current) => current.includes('sent: delete bob'));
    expect(actions.calls).toEqual([['remove', 'bob']]);
  });

  test('Space in presence toggles the selected person', async () => {
    const { screen, actions } = await openHome();
    await screen.press('3');
    await screen.press(' ', (current) => current.includes('sent: let alice out'));
    expect(actions.calls).toEqual([['toggle', 'alice']]);
  });

  test("o, f and Space in the smart object switch it; ←→ choose the object", async () => {
    const { screen, actions } = await openHome();
    await screen.press('5');
    await screen.press('o', (current) => current.includes('sent: switch device001 ON'));
    expect(actions.calls).toEqual([['switchObject', 'device001', 'ON']]);
    await screen.press('f', (current) => current.includes('sent: switch device001 OFF'));
    await screen.press('\u001B[C', (current) => current.includes('device002 ◀ 2/2 ▶ switch OFF'));
    const frame = await screen.press(' ', (current) => current.includes('sent: switch device002 ON'));
    expect(frame).toContain('controller: ON in 7 s');
    expect(actions.calls.at(-1)).toEqual(['switchObject', 'device002', 'ON']);
  });

  test('Tab, Shift-Tab and 1-5 move the focus', async () => {
    const { screen } = await openHome();
    expect(screen.frame()).toContain('/ filter');
    let frame = await screen.press(TAB);
    expect(frame).toContain('n new');
    frame = await screen.press(SHIFT_TAB);
    expect(frame).toContain('/ filter');
    frame = await screen.press(SHIFT_TAB);
    expect(frame).toContain('o/f ON/OFF');
    frame = await screen.press('3');
    expect(frame).toContain('Space/Enter home ↔ away');
  });

  test('q and Ctrl-C call onQuit', async () => {
    const { screen, onQuit } = await openHome();
    screen.rawFrame();
    await screen.press('q', () => onQuit.mock.calls.length === 1);
    await screen.press(CTRL_C, () => onQuit.mock.calls.length === 2);
  });

  test('Ctrl-C quits even from inside a field', async () => {
    const { screen, onQuit } = await openHome();
    await screen.press('2');
    await screen.press('n');
    await screen.press(CTRL_C, () => onQuit.mock.calls.length === 1);
  });

  test('a failed action is one line in the footer and the typed values are kept', async () => {
    const { screen, actions } = await openHome(emptyHomeView());
    actions.failWith = 'Not connected to the broker.';
    await screen.press('2');
    await screen.press('n');
    await screen.type('dan');
    await screen.press(TAB);
    await screen.type('20');
    const frame = await screen.press(ENTER, (current) => current.includes('✗ could not register dan: Not connected to the broker.'));
    expect(frame).toContain('[dan');
    expect(frame).toContain('[20');
  });
});

describe('broker log', () => {
  function withEntries(count: number): HomeView {
    const view = homeViewFixture();
    view.log = Array.from({ length: count }, (_, i) => ({
      seq: i + 1,
      time: NOW - (count - i) * 100,
      kind: 'publish' as const,
      clientId: i % 2 ? 'sensor-a' : 'sensor-b',
      topic: `sensor/${i % 2 ? 'a' : 'b'}/temperature`,
      qos: 0 as const,
      preview: `msg-${i + 1}`,
    }));
    return view;
  }

  test('control characters from the wire are shown escaped, never sent to the terminal', async () => {
    const view = homeViewFixture();
    view.log = [
      {
        seq: 1,
        time: NOW,
        kind: 'publish',
        clientId: 'evil\u001b[2Jclient',
        topic: 'a/\u001b]0;pwned\u0007',
        qos: 0,
        preview: 'clear\u001b[2J\u009bme',
      },
    ];
    const { screen } = await openHome(view);
    expect(screen.rawFrame()).not.toContain('\u001b[2J');
    expect(screen.rawFrame()).not.toContain('\u009b');
    expect(screen.frame()).toContain('clear\\x1B[2J\\u009Bme');
    expect(screen.frame()).toContain('a/\\x1B]0;pwned\\x07');
  });

  test('only the visible slice is rendered, newest at the bottom', async () => {
    const { screen } = await openHome(withEntries(10_000));
    const frame = screen.frame();
    expect(frame).toContain('msg-10000');
    expect(frame).not.toContain('msg-9000 ');
    expect(frame).toContain('10000 entries');
  });

  test('arrows and PgUp scroll back, End follows the newest again', async () => {
    const { screen, source } = await openHome(withEntries(100));
    let frame = await screen.press(ARROW_UP);
    expect(frame).not.toContain('msg-100\n');
    expect(frame).toContain('msg-99 ');
    expect(frame).toContain('100 entries · scrolled, End follows');
    frame = await screen.press(PAGE_UP);
    expect(frame).not.toContain('msg-99 ');
    // New traffic does not move a scrolled view.
    source.update((view) => ({ ...view, log: [...view.log, { ...view.log.at(-1)!, seq: 101, preview: 'msg-101' }] }));
    frame = await screen.waitFor((current) => current.includes('101 entries · scrolled'));
    expect(frame).not.toContain('msg-101');
    frame = await screen.press(END);
    expect(frame).toContain('msg-101');
  });

  test('p pauses the view while entries keep arriving, and says how many are new', async () => {
    const { screen, source } = await openHome(withEntries(20));
    await screen.press('p');
    source.update((view) => ({
      ...view,
      log: [...view.log, { ...view.log.at(-1)!, seq: 21, preview: 'msg-21' }, { ...view.log.at(-1)!, seq: 22, preview: 'msg-22' }],
    }));
    let frame = await screen.waitFor((current) => current.includes('paused, 2 new'));
    expect(frame).not.toContain('msg-21');
    frame = await screen.press('p');
    expect(frame).toContain('msg-22');
  });

  test('/ filters by topic or client: Enter applies, Esc cancels', async () => {
    const { screen } = await openHome(withEntries(40));
    await screen.press('/');
    let frame = await screen.type('sensor-a');
    expect(frame).toContain('filter [sensor-a▏');
    frame = await screen.press(ENTER);
    expect(frame).toContain('(20 match)');
    expect(frame).not.toContain('sensor-b');
    await screen.press('/');
    await screen.type('xyz');
    frame = await screen.press(ESC, (current) => current.includes('(20 match)'));
    expect(frame).not.toContain('xyz');
  });

});
