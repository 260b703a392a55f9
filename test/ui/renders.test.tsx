// A log burst re-renders the log pane and nothing else: each pane reads only its slice of the view.
import { afterEach, expect, test, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { Profiler, memo, type ComponentType } from 'react';
import { App } from '../../src/ui/App.js';
import { homeViewFixture, MemoryHomeSource, NOW, RecordingActions } from '../fixtures/home-view.js';
import { renderAt } from './render.js';

const renders: Record<string, number> = {};

/** The real pane inside a Profiler that counts every commit of it, whoever caused it. */
function counted<P extends object>(id: string, Pane: ComponentType<P>): ComponentType<P> {
  return memo((props: P) => (
    <Profiler id={id} onRender={() => (renders[id] = (renders[id] ?? 0) + 1)}>
      <Pane {...props} />
    </Profiler>
  ));
}

vi.mock('../../src/ui/panes/register/Pane.js', async (real) => ({ RegisterPane: counted('register', (await real<typeof import('../../src/ui/panes/register/Pane.js')>()).RegisterPane) }));
vi.mock('../../src/ui/panes/presence/Pane.js', async (real) => ({ PresencePane: counted('presence', (await real<typeof import('../../src/ui/panes/presence/Pane.js')>()).PresencePane) }));
vi.mock('../../src/ui/panes/thermostat/Pane.js', async (real) => ({ ThermostatPane: counted('thermostat', (await real<typeof import('../../src/ui/panes/thermostat/Pane.js')>()).ThermostatPane) }));
vi.mock('../../src/ui/panes/smart-object/Pane.js', async (real) => ({ SmartObjectPane: counted('smart-object', (await real<typeof import('../../src/ui/panes/smart-object/Pane.js')>()).SmartObjectPane) }));
vi.mock('../../src/ui/panes/broker-log/Pane.js', async (real) => ({ BrokerLogPane: counted('log', (await real<typeof import('../../src/ui/panes/broker-log/Pane.js')>()).BrokerLogPane) }));

afterEach(() => cleanup());

test('new traffic renders the log pane again, and no other pane', async () => {
  const source = new MemoryHomeSource(homeViewFixture());
  const screen = await renderAt(<App source={source} actions={new RecordingActions()} onQuit={() => {}} now={() => NOW} columns={100} rows={32} />, {
    columns: 100,
    rows: 32,
  });
  const before = { ...renders };
  for (let i = 1; i <= 20; i++) {
    source.update((view) => ({ ...view, log: [...view.log, { ...view.log.at(-1)!, seq: 100 + i, preview: `burst-${i}` }] }));
  }
  await screen.waitFor((frame) => frame.includes('burst-20'), 'the burst in the log');
  expect(renders.log).toBeGreaterThan(before.log ?? 0);
  for (const pane of ['register', 'presence', 'thermostat', 'smart-object']) expect(renders[pane], pane).toBe(before[pane]);

  // A person arriving renders the panes that show people, and not the log.
  const log = renders.log;
  source.update((view) => ({ ...view, users: [...view.users, { name: 'dan', temperature: 20, isHome: false }] }));
  await screen.waitFor((frame) => frame.includes('dan'), 'dan');
  expect(renders.register).toBeGreaterThan(before.register!);
  expect(renders.log).toBe(log);
});
