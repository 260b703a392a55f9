import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { TrafficEntry } from '../../src/wire/traffic.js';
import { bigDigits } from '../../src/ui/big-digits.js';
import { layoutFor, MIN_COLUMNS, MIN_ROWS } from '../../src/ui/layout.js';
import { kindColor, logLine } from '../../src/ui/panes/broker-log/log-line.js';
import { filterEntries, initialLogState, logReducer, visibleEntries } from '../../src/ui/panes/broker-log/log-state.js';
import {
  initialRegisterState,
  registerReducer,
  validateName,
  validateTemperature,
} from '../../src/ui/panes/register/register-state.js';
import { temperatureRuns, toggled } from '../../src/ui/panes/smart-object/smart-object-state.js';
import { moveSelection, selectionReducer } from '../../src/ui/list-selection.js';
import { consoleReducer, MAX_LINES, type ConsoleSnapshot } from '../../src/ui/screens/console/console-client.js';
import { printable } from '../../src/ui/printable.js';
import { sparkline } from '../../src/ui/sparkline.js';

function entries(count: number): TrafficEntry[] {
  return Array.from({ length: count }, (_, i) => ({ seq: i + 1, time: 0, kind: 'publish', clientId: `c${i % 3}`, topic: `t/${i}` }));
}

describe('printable', () => {
  test('control characters become visible escapes', () => {
    expect(printable('a\u001b[2Jb\n\u0007\u009b\u007f')).toBe('a\\x1B[2Jb\\n\\x07\\u009B\\x7F');
    // A right-to-left override from the wire would reverse the rest of the line on screen.
    expect(printable('name\u202eevil')).toBe('name\\u202Eevil');
  });

  test('nothing printable ever contains a control character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(/[\u0000-\u001f\u007f-\u009f]/.test(printable(text))).toBe(false);
      }),
    );
  });
});

describe('layout', () => {
  test('the frame is shorter than the terminal and each row of panes is as wide as it', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_COLUMNS, max: 300 }), fc.integer({ min: MIN_ROWS, max: 120 }), (columns, rows) => {
        const layout = layoutFor(columns, rows);
        const { panes } = layout;
        expect(layout.fits).toBe(true);
        // status bar, tab row, panes, two footer lines: one row less than the terminal.
        expect(2 + panes.register.height + panes.thermostat.height + panes.log.height + 2).toBe(rows - 1);
        expect(panes.register.width + panes.presence.width).toBe(columns);
        expect(panes.thermostat.width + panes['smart-object'].width).toBe(columns);
        expect(panes.log.height).toBeGreaterThanOrEqual(5);
      }),
    );
  });

  test('below the minimum it does not fit and says what is needed', () => {
    expect(layoutFor(MIN_COLUMNS - 1, 40).fits).toBe(false);
    expect(layoutFor(120, MIN_ROWS - 1).fits).toBe(false);
    expect(layoutFor(80, 24).fits).toBe(true);
    expect(layoutFor(10, 5).needed).toEqual({ columns: MIN_COLUMNS, rows: MIN_ROWS });
  });
});

describe('broker log state', () => {
  test('scrolling anchors on an entry, so new traffic does not move the view', () => {
    const shown = entries(50);
    const state = logReducer(initialLogState, { type: 'scroll', by: -5, shown, page: 10 });
    expect(state.anchorSeq).toBe(45);
    const more = entries(60);
    expect(visibleEntries(state, more, more, 10).lines.at(-1)!.seq).toBe(45);
  });

  test('scrolling to the bottom follows again; scrolling never goes above the first page', () => {
    const shown = entries(50);
    let state = logReducer(initialLogState, { type: 'scroll', by: -1000, shown, page: 10 });
    expect(visibleEntries(state, shown, shown, 10).lines[0]!.seq).toBe(1);
    state = logReducer(state, { type: 'scroll', by: 1000, shown, page: 10 });
    expect(state.anchorSeq).toBeNull();
  });

  test('a pause freezes what is shown and counts what arrived since', () => {
    const paused = logReducer(initialLogState, { type: 'pause', log: entries(20) });
    const live = entries(27);
    const { lines, newSincePause } = visibleEntries(paused, paused.frozen!, live, 5);
    expect(lines.at(-1)!.seq).toBe(20);
    expect(newSincePause).toBe(7);
  });

  test('the filter matches topic or client, any case', () => {
    const list = entries(9);
    expect(filterEntries(list, 'C1').map((entry) => entry.seq)).toEqual([2, 5, 8]);
    expect(filterEntries(list, 't/4').map((entry) => entry.seq)).toEqual([5]);
  });

  test('a typed filter applies on Enter only, and Esc keeps the old one', () => {
    let state = logReducer(initialLogState, { type: 'start-filter' });
    state = logReducer(state, { type: 'type', text: 'abc' });
    expect(state.filter).toBe('');
    state = logReducer(state, { type: 'apply-filter' });
    expect(state.filter).toBe('abc');
    state = logReducer(logReducer(state, { type: 'start-filter' }), { type: 'erase' });
    state = logReducer(state, { type: 'cancel-filter' });
    expect(state).toMatchObject({ filter: 'abc', draft: null });
  });

  test('errors stand out: red for broken input, yellow for refusals', () => {
    expect(kindColor('bad-payload')).toBe('red');
    expect(kindColor('client-error')).toBe('red');
    expect(kindColor('auth-failure')).toBe('red');
    expect(kindColor('denied')).toBe('yellow');
    expect(kindColor('publish')).toBeUndefined();
  });

  test('a line has time, kind, client, topic, QoS, retain flag and payload', () => {
    const line = logLine({ seq: 1, time: Date.UTC(2025, 0, 1, 9, 5, 7), kind: 'publish', clientId: 'x', topic: 'a/b', qos: 1, retain: true, preview: '42' });
    expect(line.kind.trim()).toBe('publish');
    expect(line.client.trim()).toBe('x');
    expect(line.rest).toBe('a/b q1 R 42');
    expect(line.time).toMatch(/^\d\d:05:07$/);
  });
});

describe('register state', () => {
  test('names are letters and digits; temperatures are numbers from 5 to 35', () => {
    expect(validateName('alice2', [])).toBeNull();
    expect(validateName('al ice', [])).toMatch(/letters and digits/);
    expect(validateName('', [])).toMatch(/Type a name/);
    expect(validateName('bob', [{ name: 'bob', temperature: 20, isHome: false }])).toMatch(/already registered/);
    expect(validateTemperature('21.5')).toBeNull();
    expect(validateTemperature('21,5')).toBeNull();
    expect(validateTemperature('4.9')).toMatch(/between 5 and 35/);
    expect(validateTemperature('warm')).toMatch(/number/);
  });

  test('the form takes the names the wire takes, up to 64 characters', () => {
    expect(validateName('a'.repeat(40), [])).toBeNull();
    expect(validateName('a'.repeat(64), [])).toBeNull();
    expect(validateName('a'.repeat(65), [])).toBe('A name has at most 64 characters.');
  });

  test('Esc leaves the form empty, so the next n starts afresh', () => {
    let state = registerReducer(initialRegisterState, { type: 'start-new' });
    state = registerReducer(state, { type: 'type', text: 'dan' });
    state = registerReducer(state, { type: 'cancel' });
    expect(state).toMatchObject({ mode: 'browse', name: '', temperature: '' });
    state = registerReducer(state, { type: 'start-new' });
    expect(state).toMatchObject({ mode: 'name', name: '' });
  });

  test('a sent form is empty at once; a refusal puts it back where Enter sends it again', () => {
    let state = registerReducer(initialRegisterState, { type: 'start-new' });
    state = registerReducer(state, { type: 'type', text: 'dan' });
    state = registerReducer(state, { type: 'to-temperature' });
    state = registerReducer(state, { type: 'type', text: '20' });
    state = registerReducer(state, { type: 'sent' });
    expect(state).toMatchObject({ mode: 'browse', name: '', temperature: '' });
    const refused = registerReducer(state, { type: 'refused', form: 'register' });
    expect(refused).toMatchObject({ mode: 'temperature', name: 'dan', temperature: '20', sending: null });
    // Answered: nothing comes back.
    const registered = registerReducer(state, { type: 'registered', name: 'dan' });
    expect(registerReducer(registered, { type: 'refused', form: 'register' })).toMatchObject({ mode: 'browse', name: '' });
  });

  test('a refused change of preference goes back to the edit with the value typed', () => {
    let state = registerReducer(initialRegisterState, { type: 'start-edit', user: { name: 'bob', temperature: 19, isHome: false } });
    state = registerReducer(registerReducer(state, { type: 'type', text: '.5' }), { type: 'sent' });
    expect(state.mode).toBe('browse');
    expect(registerReducer(state, { type: 'refused', form: 'edit', name: 'bob', value: '19.5' })).toMatchObject({ mode: 'edit', target: 'bob', edit: '19.5' });
  });

  test('selection stays within the list', () => {
    let state = registerReducer(initialRegisterState, { type: 'select', by: 5, count: 3 });
    expect(state.selected).toBe(2);
    state = registerReducer(state, { type: 'select', by: -9, count: 3 });
    expect(state.selected).toBe(0);
  });
});

describe('list selection, one rule for every list', () => {
  test('stops at the ends, or wraps; a shrunk list keeps the selection inside it', () => {
    expect(moveSelection(0, -1, 3)).toBe(0);
    expect(moveSelection(2, 1, 3)).toBe(2);
    expect(moveSelection(2, 1, 3, true)).toBe(0);
    expect(moveSelection(0, -1, 3, true)).toBe(2);
    expect(moveSelection(7, -1, 3)).toBe(1);
    expect(moveSelection(4, 1, 0)).toBe(0);
  });

  test('a move that changes nothing keeps the same state, so nothing renders', () => {
    const state = { selected: 0 };
    expect(selectionReducer(state, { type: 'select', by: -1, count: 3 })).toBe(state);
  });
});

describe('smart object and drawings', () => {
  test('Space turns anything but ON on; ←→ wrap around the objects', () => {
    expect(toggled('ON')).toBe('OFF');
    expect(toggled('unknown')).toBe('ON');
    expect(selectionReducer({ selected: 1 }, { type: 'select', by: 1, count: 2, wrap: true }).selected).toBe(0);
  });

  test('temperatures above the alert line are their own runs', () => {
    const { runs } = temperatureRuns([30, 34, 36, 37, 33], 10, 35);
    expect(runs.map((run) => [run.text.length, run.over])).toEqual([
      [2, false],
      [2, true],
      [1, false],
    ]);
  });

  test('sparklines keep the newest values; block digits are three rows', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 4)).toBe('▅▆▇█');
    expect(sparkline([0, 7], 2, { min: 0, max: 7 })).toBe('▁█');
    expect(bigDigits('21.5')).toEqual(['▀▀█ ▀█    █▀▀', '█▀▀  █    ▀▀█', '█▄▄ ▄█▄ ▄ ▄▄█']);
  });
});

describe('console state', () => {
  test('keeps the newest lines only, and status changes leave the lines alone', () => {
    let state: ConsoleSnapshot = { clientId: 'c', url: 'mqtt://x', status: 'connecting', subscriptions: [], lines: [] };
    for (let i = 0; i < MAX_LINES + 3; i++) state = consoleReducer(state, { type: 'line', line: { kind: 'done', at: i, text: `${i}` } });
    expect(state.lines).toHaveLength(MAX_LINES);
    expect(state.lines[0]!.at).toBe(3);
    const lines = state.lines;
    state = consoleReducer(state, { type: 'change', change: { status: 'connected', subscriptions: [{ topic: 'lab/#', qos: 0 }] } });
    expect(state).toMatchObject({ status: 'connected', subscriptions: [{ topic: 'lab/#', qos: 0 }] });
    expect(state.lines).toBe(lines);
  });
});
