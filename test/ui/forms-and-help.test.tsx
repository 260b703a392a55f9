// Issue-level key behaviour of the App: Esc and refusals in the Register form, the help's columns.
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { HomeView } from '../../src/sim/view-types.js';
import { App } from '../../src/ui/App.js';
import { KEY_TABLE } from '../../src/ui/keys/key-table.js';
import { emptyHomeView, homeViewFixture, MemoryHomeSource, NOW, RecordingActions } from '../fixtures/home-view.js';
import { ARROW_DOWN, BACKSPACE, ENTER, ESC, TAB, renderAt } from './render.js';

afterEach(() => cleanup());

async function openHome(view: HomeView = homeViewFixture(), columns = 100, rows = 32) {
  const actions = new RecordingActions();
  const screen = await renderAt(
    <App source={new MemoryHomeSource(view)} actions={actions} onQuit={() => {}} now={() => NOW} columns={columns} rows={rows} />,
    { columns, rows },
  );
  return { screen, actions };
}

describe('forms after Esc and after a refusal', () => {
  test('Esc in the Register form clears it: the next n starts from empty fields', async () => {
    const { screen } = await openHome(emptyHomeView());
    await screen.press('2');
    await screen.press('n');
    await screen.type('dan');
    await screen.press(TAB);
    await screen.type('20');
    await screen.press(ESC, (frame) => frame.includes('n: register the first person'));
    const frame = await screen.press('n');
    expect(frame).toMatch(/Name \[▏\s*\]/);
    expect(frame).not.toContain('dan');
    expect(await screen.type('eve')).toContain('[eve▏');
  });

  test('after a refused registration Enter sends it again, not a new form', async () => {
    const { screen, actions } = await openHome(emptyHomeView());
    actions.failWith = 'Not connected to the broker.';
    await screen.press('2');
    await screen.press('n');
    await screen.type('dan');
    await screen.press(ENTER);
    await screen.type('20');
    await screen.press(ENTER, (frame) => frame.includes('✗ could not register dan'));
    actions.failWith = null;
    await screen.press(ENTER, (frame) => frame.includes('sent: register dan'));
    expect(actions.calls).toEqual([
      ['register', 'dan', 20],
      ['register', 'dan', 20],
    ]);
  });

  test('after a refused change of preference Enter sends it again', async () => {
    const { screen, actions } = await openHome();
    actions.failWith = 'Not connected to the broker.';
    await screen.press('2');
    await screen.press(ARROW_DOWN);
    await screen.press('e');
    await screen.press(BACKSPACE);
    await screen.press(BACKSPACE);
    await screen.type('20');
    let frame = await screen.press(ENTER, (current) => current.includes('✗ could not change bob'));
    expect(frame).toMatch(/bob\s+°C \[20▏/);
    actions.failWith = null;
    frame = await screen.press(ENTER, (current) => current.includes('sent: change bob to 20 °C'));
    expect(actions.calls).toEqual([
      ['changeTemperature', 'bob', 20],
      ['changeTemperature', 'bob', 20],
    ]);
  });
});

describe('the help overlay', () => {
  test.each([
    [100, 32],
    [80, 24],
  ])('at %ix%i every key is written whole and every description in a column starts at the same place', async (columns, rows) => {
    const { screen } = await openHome(homeViewFixture(), columns, rows);
    const help = await screen.press('?');
    expect(help).toContain('  Tab / Shift-Tab ');
    // Where each key line's key and description start, by the column the key is in.
    const starts = new Map<number, Set<number>>();
    for (const line of help.split('\n')) {
      for (const binding of KEY_TABLE) {
        const at = line.indexOf(`  ${binding.keys} `);
        if (at === -1) continue;
        const description = line.indexOf(binding.does.slice(0, 6), at + 2 + binding.keys.length);
        if (description === -1) continue;
        if (!starts.has(at)) starts.set(at, new Set());
        starts.get(at)!.add(description - at);
      }
    }
    expect(starts.size).toBeGreaterThan(1);
    // One distance from key to description in the whole overlay.
    expect(new Set([...starts.values()].flatMap((set) => [...set])).size).toBe(1);
  });
});
