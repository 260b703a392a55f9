/**
 * Every key of the program in one table: the help overlay, the footer and the key handlers all
 * read it, so what a key is said to do and what it does cannot drift apart.
 */
import type { PaneId } from '../layout.js';
import { matches, type KeyPress } from './key-press.js';

export type ScreenId = 'playground' | 'challenge' | 'console' | 'carpark' | 'topics';

/** Where a binding applies. 'field' is any text field; 'console-line' the console's own. */
export type KeyScope = 'always' | 'global' | 'screens' | 'home' | 'field' | 'help' | PaneId | ScreenId | 'console-line' | 'topics-form';

export type Command =
  // always and global
  | 'quit-now' | 'quit' | 'help' | 'next-screen' | 'previous-screen' | 'clear-notice'
  // home: moving between panes
  | 'next-pane' | 'previous-pane' | 'go-to-pane'
  // any text field
  | 'submit' | 'cancel' | 'erase' | 'switch-field'
  // the help overlay
  | 'close' | 'line-down' | 'line-up' | 'page-down' | 'page-up'
  // lists and logs
  | 'up' | 'down' | 'left' | 'right' | 'oldest' | 'follow' | 'filter' | 'pause'
  // the home's panes
  | 'new-user' | 'edit-user' | 'delete-user' | 'let-through' | 'switch-on' | 'switch-off' | 'switch-toggle'
  // the screens
  | 'start-stop' | 'faster' | 'slower' | 'alice-publishes' | 'run-solver' | 'car-in' | 'car-out'
  | 'to-line' | 'run-line' | 'older' | 'newer'
  // the Topics screen
  | 'fold' | 'unfold' | 'search' | 'retained-only' | 'publish' | 'delete-retained' | 'write-payload' | 'write-history'
  | 'clients' | 'next-field' | 'disconnect-client' | 'yes' | 'no' | 'next-qos' | 'toggle-retain'
  | 'detail-up' | 'detail-down' | 'open-line';

export interface KeyBinding {
  scope: KeyScope;
  /** The keys of each command this line of help stands for ('↑↓' is up and down). */
  run: Partial<Record<Command, readonly string[]>>;
  /** The keys as people read them. */
  keys: string;
  does: string;
  /** The footer's shorter form, or false to leave the line to the help overlay. */
  footer?: { keys: string; does: string } | false;
}

export const KEY_TABLE: readonly KeyBinding[] = [
  { scope: 'always', run: { 'quit-now': ['ctrl+c'] }, keys: 'Ctrl-C', does: 'quit, also from a field', footer: false },

  { scope: 'global', run: { help: ['?'] }, keys: '?', does: 'help' },
  { scope: 'global', run: { quit: ['q'] }, keys: 'q', does: 'quit' },
  { scope: 'screens', run: { 'previous-screen': ['['], 'next-screen': [']'] }, keys: '[ / ]', does: 'previous / next screen', footer: { keys: '[ ]', does: 'screen' } },
  { scope: 'global', run: { 'clear-notice': ['escape'] }, keys: 'Esc', does: 'clear the last message', footer: false },

  { scope: 'home', run: { 'next-pane': ['tab'], 'previous-pane': ['shift+tab'] }, keys: 'Tab / Shift-Tab', does: 'next / previous pane', footer: { keys: 'Tab/1-5', does: 'pane' } },
  { scope: 'home', run: { 'go-to-pane': ['1', '2', '3', '4', '5'] }, keys: '1-5', does: 'go to pane', footer: false },

  { scope: 'field', run: { submit: ['return'] }, keys: 'Enter', does: 'apply' },
  { scope: 'field', run: { cancel: ['escape'] }, keys: 'Esc', does: 'leave the field' },
  { scope: 'field', run: { erase: ['backspace'] }, keys: 'Backspace', does: 'erase' },
  { scope: 'field', run: { 'switch-field': ['tab', 'shift+tab'] }, keys: 'Tab', does: 'name ↔ °C (register form)' },

  { scope: 'help', run: { close: ['escape', '?', 'q'] }, keys: 'Esc ? q', does: 'close' },
  { scope: 'help', run: { 'line-up': ['up'], 'line-down': ['down'], 'page-up': ['pageup'], 'page-down': ['pagedown', 'space'] }, keys: '↑↓ PgUp PgDn', does: 'more keys' },

  { scope: 'log', run: { up: ['up'], down: ['down'], 'page-up': ['pageup'], 'page-down': ['pagedown'] }, keys: '↑↓ PgUp PgDn', does: 'scroll' },
  { scope: 'log', run: { oldest: ['home'] }, keys: 'Home', does: 'oldest', footer: false },
  { scope: 'log', run: { follow: ['end'] }, keys: 'End', does: 'follow' },
  { scope: 'log', run: { filter: ['/'] }, keys: '/', does: 'filter (text, or + and #)', footer: { keys: '/', does: 'filter' } },
  { scope: 'log', run: { 'open-line': ['return'] }, keys: 'Enter', does: 'open the bottom line whole', footer: { keys: 'Enter', does: 'open' } },
  { scope: 'log', run: { pause: ['p'] }, keys: 'p', does: 'pause' },

  { scope: 'register', run: { 'new-user': ['n', 'return'] }, keys: 'n', does: 'new' },
  { scope: 'register', run: { up: ['up'], down: ['down'] }, keys: '↑↓', does: 'select' },
  { scope: 'register', run: { 'edit-user': ['e'] }, keys: 'e', does: 'edit °C' },
  { scope: 'register', run: { 'delete-user': ['d'] }, keys: 'd', does: 'delete' },

  { scope: 'presence', run: { up: ['up'], down: ['down'] }, keys: '↑↓', does: 'select' },
  { scope: 'presence', run: { 'let-through': ['space', 'return'] }, keys: 'Space/Enter', does: 'home ↔ away' },

  { scope: 'smart-object', run: { 'switch-on': ['o'], 'switch-off': ['f'] }, keys: 'o/f', does: 'ON/OFF' },
  { scope: 'smart-object', run: { 'switch-toggle': ['space'] }, keys: 'Space', does: 'toggle' },
  { scope: 'smart-object', run: { left: ['left'], right: ['right'] }, keys: '←→', does: 'object' },

  { scope: 'playground', run: { up: ['up'], down: ['down'] }, keys: '↑↓', does: 'producer' },
  { scope: 'playground', run: { 'start-stop': ['space'] }, keys: 'Space', does: 'start/stop' },
  // = is + without Shift on most keyboards.
  { scope: 'playground', run: { faster: ['+', '='], slower: ['-'] }, keys: '+/-', does: 'rate' },
  { scope: 'playground', run: { 'alice-publishes': ['a'] }, keys: 'a', does: 'alice publishes' },

  { scope: 'challenge', run: { 'run-solver': ['s'] }, keys: 's', does: 'run the solver' },
  { scope: 'challenge', run: { up: ['up'], down: ['down'] }, keys: '↑↓', does: 'run' },
  { scope: 'challenge', run: { follow: ['end'] }, keys: 'End', does: 'newest run', footer: false },

  { scope: 'console', run: { 'to-line': ['return', 'i'] }, keys: 'Enter / i', does: 'type a command' },
  { scope: 'console', run: { 'page-up': ['pageup'], 'page-down': ['pagedown'] }, keys: 'PgUp PgDn', does: 'scroll' },
  { scope: 'console', run: { follow: ['end'] }, keys: 'End', does: 'newest', footer: false },
  { scope: 'console-line', run: { 'run-line': ['return'] }, keys: 'Enter', does: 'run' },
  { scope: 'console-line', run: { older: ['up'], newer: ['down'] }, keys: '↑↓', does: 'history' },
  { scope: 'console-line', run: { 'page-up': ['pageup'], 'page-down': ['pagedown'] }, keys: 'PgUp PgDn', does: 'scroll' },
  { scope: 'console-line', run: { cancel: ['escape'] }, keys: 'Esc', does: 'leave the line' },
  { scope: 'console-line', run: { erase: ['backspace'] }, keys: 'Backspace', does: 'erase', footer: false },

  { scope: 'carpark', run: { up: ['up'], down: ['down'] }, keys: '↑↓', does: 'lot' },
  { scope: 'carpark', run: { 'car-in': ['i'] }, keys: 'i', does: 'car in' },
  { scope: 'carpark', run: { 'car-out': ['o'] }, keys: 'o', does: 'car out' },

  { scope: 'topics', run: { up: ['up'], down: ['down'], 'page-up': ['pageup'], 'page-down': ['pagedown'] }, keys: '↑↓ PgUp PgDn', does: 'topic (client)', footer: { keys: '↑↓', does: 'topic' } },
  { scope: 'topics', run: { unfold: ['right', 'return'], fold: ['left'] }, keys: '→/Enter ←', does: 'unfold / fold', footer: { keys: '←→', does: 'fold' } },
  { scope: 'topics', run: { filter: ['/'] }, keys: '/', does: 'filter with + and #' },
  { scope: 'topics', run: { search: ['s'] }, keys: 's', does: 'search topics and payloads' , footer: { keys: 's', does: 'search' } },
  { scope: 'topics', run: { 'retained-only': ['r'] }, keys: 'r', does: 'retained only' , footer: { keys: 'r', does: 'retained' } },
  { scope: 'topics', run: { publish: ['p'] }, keys: 'p', does: 'publish to the topic' , footer: { keys: 'p', does: 'publish' } },
  { scope: 'topics', run: { 'delete-retained': ['d'] }, keys: 'd', does: 'delete the retained message' , footer: { keys: 'd', does: 'delete retained' } },
  { scope: 'topics', run: { 'write-payload': ['w'], 'write-history': ['W'] }, keys: 'w / W', does: 'write the payload / the history to a file', footer: { keys: 'w/W', does: 'save' } },
  { scope: 'topics', run: { 'next-field': ['g'] }, keys: 'g', does: 'graph the next numeric field', footer: false },
  { scope: 'topics', run: { 'detail-up': ['k'], 'detail-down': ['j'] }, keys: 'j / k', does: 'scroll the payload', footer: false },
  { scope: 'topics', run: { clients: ['c'] }, keys: 'c', does: 'topics ↔ clients' , footer: { keys: 'c', does: 'clients' } },
  { scope: 'topics', run: { 'disconnect-client': ['x'] }, keys: 'x', does: 'disconnect the client (Clients view)', footer: false },
  { scope: 'topics', run: { yes: ['y'], no: ['n'] }, keys: 'y / n', does: 'answer a question', footer: false },
  { scope: 'topics-form', run: { submit: ['return'] }, keys: 'Enter', does: 'apply / send' },
  { scope: 'topics-form', run: { cancel: ['escape'] }, keys: 'Esc', does: 'leave' },
  { scope: 'topics-form', run: { erase: ['backspace'] }, keys: 'Backspace', does: 'erase', footer: false },
  { scope: 'topics-form', run: { 'next-qos': ['tab'] }, keys: 'Tab', does: 'QoS (publish)' },
  { scope: 'topics-form', run: { 'toggle-retain': ['ctrl+r'] }, keys: 'Ctrl-R', does: 'retain (publish)' },
];

/** The console's commands, for the help overlay: the command word is the key, its syntax the text. */
export const CONSOLE_SYNTAX: ReadonlyArray<{ keys: string; does: string }> = [
  { keys: 'PUBLISH', does: '[-q 0|1|2] [-r] <topic> <value...>' },
  { keys: 'SUBSCRIBE', does: '<topic> [qos]' },
  { keys: 'UNSUBSCRIBE', does: '<topic>' },
  { keys: '(DIS)CONNECT', does: 'the console client' },
];

export function bindingsOf(scope: KeyScope): KeyBinding[] {
  return KEY_TABLE.filter((binding) => binding.scope === scope);
}

/** The command this key runs in a scope, if any. */
export function commandOf(scope: KeyScope, press: KeyPress): Command | undefined {
  for (const binding of KEY_TABLE) {
    if (binding.scope !== scope) continue;
    for (const [command, specs] of Object.entries(binding.run) as Array<[Command, readonly string[]]>) {
      if (specs.some((spec) => matches(spec, press))) return command;
    }
  }
  return undefined;
}

/** One footer line for the scopes given, in order: "n new · ↑↓ select · ? help". */
export function footerLine(scopes: readonly KeyScope[]): string {
  return scopes
    .flatMap((scope) => bindingsOf(scope))
    .flatMap((binding) => (binding.footer === false ? [] : [binding.footer ?? binding]))
    .map((entry) => `${entry.keys} ${entry.does}`)
    .join(' · ');
}
