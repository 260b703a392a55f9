import { afterEach, expect, test, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { ClockContext } from '../../src/ui/clock.js';
import type { PaneProps } from '../../src/ui/pane-props.js';
import { BrokerLogPane } from '../../src/ui/panes/broker-log/Pane.js';
import { PresencePane } from '../../src/ui/panes/presence/Pane.js';
import { RegisterPane } from '../../src/ui/panes/register/Pane.js';
import { SmartObjectPane } from '../../src/ui/panes/smart-object/Pane.js';
import { ThermostatPane } from '../../src/ui/panes/thermostat/Pane.js';
import type { HomeView } from '../../src/sim/view-types.js';
import { emptyHomeView, homeViewFixture, MemoryHomeSource, NOW } from '../fixtures/home-view.js';
import { StatusBar } from '../../src/ui/components/StatusBar.js';
import { renderAt } from './render.js';

afterEach(() => cleanup());

function props({ view = homeViewFixture(), ...overrides }: Partial<PaneProps> & { view?: HomeView } = {}): PaneProps {
  return {
    home: new MemoryHomeSource(view),
    width: 60,
    height: 9,
    focused: true,
    act: vi.fn(async () => true),
    ...overrides,
  };
}

async function show(element: ReactElement, width = 60): Promise<string> {
  const screen = await renderAt(<ClockContext.Provider value={() => NOW}>{element}</ClockContext.Provider>, {
    columns: width,
    rows: 30,
  });
  return screen.frame();
}

test('broker log pane', async () => {
  const frame = await show(<BrokerLogPane {...props({ width: 100, height: 10 })} />, 100);
  // Eight lines fit; the newest is at the bottom and the oldest ones are not rendered.
  expect(frame).toContain('connection reset by peer');
  expect(frame).not.toContain('smart_home/# q0');
  expect(frame).toMatchSnapshot();
});

test('register pane', async () => {
  expect(await show(<RegisterPane {...props()} />)).toMatchSnapshot();
});

test('register pane, nobody yet', async () => {
  const frame = await show(<RegisterPane {...props({ view: emptyHomeView() })} />);
  expect(frame).toContain('n: register the first person');
});

test('while the home\'s retained state has not arrived the panes say loading…, not that nobody is there', async () => {
  const view = { ...emptyHomeView(), loading: true };
  expect(await show(<PresencePane {...props({ view })} />)).toContain('loading…');
  expect(await show(<SmartObjectPane {...props({ view })} />)).toContain('loading…');
  const register = await show(<RegisterPane {...props({ view })} />);
  expect(register).toContain('loading…');
  expect(register).not.toContain('register the first person');
  const loaded = emptyHomeView();
  expect(await show(<PresencePane {...props({ view: loaded })} />)).toContain('nobody registered yet');
  expect(await show(<SmartObjectPane {...props({ view: loaded })} />)).toContain('no smart object seen yet');
});

test('status bar with an outside broker: the rate the home sees, and no made-up client count', async () => {
  const broker = { url: 'mqtt://broker.lan:1883', connected: true, clients: null, messagesPerSecond: 12, dataFile: '/tmp/home.json' };
  const frame = await show(<StatusBar home={new MemoryHomeSource({ ...homeViewFixture(), broker })} width={100} />, 100);
  expect(frame).toContain('clients: n/a with --broker');
  expect(frame).toContain('12 msg/s');
  expect(frame).not.toContain('0 clients');
});

test('presence pane', async () => {
  expect(await show(<PresencePane {...props()} />)).toMatchSnapshot();
});

test('thermostat pane with the setpoint in block digits', async () => {
  const frame = await show(<ThermostatPane {...props()} big />);
  expect(frame).toContain('█▄▄ ▄▄█ ▄ █▄█');
  expect(frame).toMatchSnapshot();
});

test('thermostat pane, plain setpoint when there is no room, and nobody home', async () => {
  const view = emptyHomeView();
  const frame = await show(<ThermostatPane {...props({ view, height: 7 })} big={false} />);
  expect(frame).toContain('setpoint 15.0 °C nobody home: default');
  expect(frame).toContain('waiting for state');
  expect(frame).toMatchSnapshot();
});

test('smart object pane with the controller timer', async () => {
  const view = homeViewFixture();
  view.smartObjects = [{ ...view.smartObjects[0]!, switch: 'OFF', controllerPending: { action: 'ON', dueAt: NOW + 7000 } }];
  const frame = await show(<SmartObjectPane {...props({ view, height: 7 })} />);
  expect(frame).toContain('controller: ON in 7 s');
  expect(frame).toContain('event OVER_HEATING 36.2 °C · 12 s ago');
  // Switched OFF after over-heating it cools: no frozen alert on its last reading.
  expect(frame).toContain('cooling ↓ from 36.2 °C, no readings while OFF');
  expect(frame).not.toContain('⚠');
  expect(frame).not.toContain('ALERT');
  expect(frame).toMatchSnapshot();
});

test('smart object pane over the line while ON', async () => {
  const frame = await show(<SmartObjectPane {...props({ height: 7 })} />);
  expect(frame).toContain('temperature 36.2 °C ⚠ over 35 °C');
  expect(frame).toContain('ALERT');
});
