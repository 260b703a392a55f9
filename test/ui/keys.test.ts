// The key table, the router and the App's own state, as plain functions.
import { describe, expect, test } from 'vitest';
import { appReducer, initialAppState } from '../../src/ui/app-state.js';
import { footerKeys } from '../../src/ui/components/Footer.js';
import { helpLines } from '../../src/ui/components/HelpOverlay.js';
import { matches, type KeyPress } from '../../src/ui/keys/key-press.js';
import { commandOf, KEY_TABLE } from '../../src/ui/keys/key-table.js';
import { KeyRouter, type KeyTarget } from '../../src/ui/keys/router.js';

const key = (name: string, more: Partial<KeyPress> = {}): KeyPress => ({ name, text: name.length === 1 ? name : '', ctrl: false, shift: false, ...more });

describe('the key table', () => {
  test('names keys as the terminal sends them: letters as typed, Tab apart from Shift-Tab, Ctrl apart', () => {
    expect(matches('n', key('n'))).toBe(true);
    expect(matches('y', key('Y', { shift: true }))).toBe(false);
    expect(matches('tab', key('tab', { shift: true }))).toBe(false);
    expect(matches('shift+tab', key('tab', { shift: true }))).toBe(true);
    expect(matches('ctrl+c', key('c', { ctrl: true }))).toBe(true);
    expect(matches('c', key('c', { ctrl: true }))).toBe(false);
    expect(matches('+', key('+'))).toBe(true);
  });

  test('each key means one command in a scope, the same one the help shows', () => {
    expect(commandOf('register', key('n'))).toBe('new-user');
    expect(commandOf('register', key('return'))).toBe('new-user');
    expect(commandOf('screens', key(']'))).toBe('next-screen');
    expect(commandOf('console', key('i'))).toBe('to-line');
    expect(commandOf('playground', key('='))).toBe('faster');
    for (const scope of new Set(KEY_TABLE.map((binding) => binding.scope))) {
      const specs = KEY_TABLE.filter((binding) => binding.scope === scope).flatMap((binding) => Object.values(binding.run).flat());
      expect(new Set(specs).size, `a key bound twice in ${scope}`).toBe(specs.length);
    }
  });

  test('the footer and the help are made from the table', () => {
    expect(footerKeys('register', false, true)).toBe('n new · ↑↓ select · e edit °C · d delete · ? help · q quit · Tab/1-5 pane · [ ] screen');
    expect(footerKeys('register', true, true)).toBe('Enter apply · Esc leave the field · Backspace erase · Tab name ↔ °C (register form)');
    expect(footerKeys('console', true, false)).toBe('Enter run · ↑↓ history · PgUp PgDn scroll · Esc leave the line');
    expect(footerKeys('console', false, false)).toBe('Enter / i type a command · PgUp PgDn scroll · ? help · q quit · [ ] screen');
    const help = helpLines([]).flatMap((line) => (line.key ? [`${line.key.keys} ${line.key.does}`] : []));
    for (const binding of KEY_TABLE.filter((each) => ['global', 'screens', 'home', 'field', 'register', 'log'].includes(each.scope))) {
      expect(help).toContain(`${binding.keys} ${binding.does}`);
    }
  });
});

describe('the router', () => {
  function setup(editing: boolean) {
    const heard: string[] = [];
    const target = (id: string, uses: string[], isEditing = false): KeyTarget => ({
      editing: () => isEditing,
      handle: (press) => {
        if (!isEditing && !uses.includes(press.name)) return false;
        heard.push(`${id}:${press.name}`);
        return true;
      },
    });
    let active = 'register';
    const router = new KeyRouter({
      active: () => active,
      first: (press) => (press.ctrl && press.name === 'c' ? (heard.push('quit'), true) : false),
      after: [
        (press) => (press.name === 'tab' ? (heard.push('screen:tab'), true) : false),
        (press) => (heard.push(`global:${press.name}`), true),
      ],
      subscribe: () => () => {},
    });
    router.add('register', target('register', ['n'], editing));
    router.add('log', target('log', ['p']));
    return { router, heard, show: (id: string) => (active = id) };
  }

  test('a field being edited takes every key but Ctrl-C', () => {
    const { router, heard } = setup(true);
    for (const name of ['q', ']', 'tab']) router.route(key(name));
    router.route(key('c', { ctrl: true }));
    expect(heard).toEqual(['register:q', 'register:]', 'register:tab', 'quit']);
    expect(router.editing()).toBe(true);
  });

  test('otherwise the focused pane, then the screen, then the global keys', () => {
    const { router, heard, show } = setup(false);
    router.route(key('n'));
    router.route(key('p'));
    router.route(key('tab'));
    show('log');
    router.route(key('p'));
    expect(heard).toEqual(['register:n', 'global:p', 'screen:tab', 'log:p']);
  });

  test('a pane that goes away no longer gets keys', () => {
    const { router, heard, show } = setup(false);
    const remove = router.add('console', { editing: () => true, handle: () => (heard.push('console'), true) });
    show('console');
    router.route(key('x'));
    remove();
    router.route(key('x'));
    expect(heard).toEqual(['console', 'global:x']);
  });
});

describe('the App\'s state', () => {
  test('panes and screens go round; a new screen forgets the last notice', () => {
    let state = appReducer(initialAppState, { type: 'move-focus', by: -1 });
    expect(state.focus).toBe('smart-object');
    state = appReducer(state, { type: 'notice', notice: { kind: 'info', text: 'sent' } });
    state = appReducer(state, { type: 'move-screen', by: -1, count: 5 });
    expect(state).toMatchObject({ screen: 4, notice: null });
    expect(appReducer(state, { type: 'move-screen', by: 1, count: 5 }).screen).toBe(0);
  });

  test('moves made before the screens are there wait, and go round once their number is known', () => {
    let state = appReducer(initialAppState, { type: 'move-screen', by: -1, count: 0 });
    state = appReducer(state, { type: 'move-screen', by: -1, count: 0 });
    expect(state).toMatchObject({ screen: 0, screenMovesWaiting: -2, notice: { kind: 'waiting' } });
    state = appReducer(state, { type: 'screens-ready', count: 6 });
    expect(state).toMatchObject({ screen: 4, screenMovesWaiting: 0, notice: null });
    expect(appReducer(state, { type: 'screens-ready', count: 6 })).toBe(state);
  });

  test('an action that changes nothing keeps the state, so nothing renders', () => {
    expect(appReducer(initialAppState, { type: 'focus', pane: 'log' })).toBe(initialAppState);
    expect(appReducer(initialAppState, { type: 'overlay', overlay: 'none' })).toBe(initialAppState);
  });
});
