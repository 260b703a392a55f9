import type { PaneId } from './layout.js';

export interface KeyHelp {
  keys: string;
  does: string;
  /** Shown in the help overlay only, to keep the footer to one line. */
  helpOnly?: boolean;
}

export const PANE_ORDER: readonly PaneId[] = ['log', 'register', 'presence', 'thermostat', 'smart-object'];

export const PANE_TITLES: Record<PaneId, string> = {
  log: 'Broker log',
  register: 'Register',
  presence: 'Presence',
  thermostat: 'Thermostat',
  'smart-object': 'Smart object',
};

/** Keys that work everywhere except inside a text field or the help overlay. */
export const GLOBAL_KEYS: readonly KeyHelp[] = [
  { keys: '[ / ]', does: 'previous / next screen' },
  { keys: 'Tab / Shift-Tab', does: 'next / previous pane (Home)' },
  { keys: '1-5', does: 'go to pane (Home)' },
  { keys: '?', does: 'help' },
  { keys: 'q / Ctrl-C', does: 'quit' },
];

/** The short form of the global keys, for the footer; help and quit first so a narrow footer keeps them. */
export const FOOTER_GLOBAL_KEYS: readonly KeyHelp[] = [
  { keys: '?', does: 'help' },
  { keys: 'q', does: 'quit' },
  { keys: 'Tab/1-5', does: 'pane' },
  { keys: '[ ]', does: 'screen' },
];

/** The same on a screen other than the home, where Tab and digits belong to the screen. */
export const FOOTER_SCREEN_KEYS: readonly KeyHelp[] = [
  { keys: '?', does: 'help' },
  { keys: 'q', does: 'quit' },
  { keys: '[ ]', does: 'screen' },
];

/** Keys inside a text field (register form, preference edit, log filter). */
export const FIELD_KEYS: readonly KeyHelp[] = [
  { keys: 'Enter', does: 'apply' },
  { keys: 'Esc', does: 'leave the field' },
  { keys: 'Backspace', does: 'erase' },
  { keys: 'Tab', does: 'name ↔ °C (register form)' },
];

export const PANE_KEYS: Record<PaneId, readonly KeyHelp[]> = {
  log: [
    { keys: '↑↓ PgUp PgDn', does: 'scroll' },
    { keys: 'Home', does: 'oldest', helpOnly: true },
    { keys: 'End', does: 'follow' },
    { keys: '/', does: 'filter' },
    { keys: 'p', does: 'pause' },
  ],
  register: [
    { keys: 'n', does: 'new' },
    { keys: '↑↓', does: 'select' },
    { keys: 'e', does: 'edit °C' },
    { keys: 'd', does: 'delete' },
  ],
  presence: [
    { keys: '↑↓', does: 'select' },
    { keys: 'Space/Enter', does: 'home ↔ away' },
  ],
  thermostat: [],
  'smart-object': [
    { keys: 'o/f', does: 'ON/OFF' },
    { keys: 'Space', does: 'toggle' },
    { keys: '←→', does: 'object' },
  ],
};

export function keyLine(keys: readonly KeyHelp[]): string {
  return keys
    .filter((key) => !key.helpOnly)
    .map((key) => `${key.keys} ${key.does}`)
    .join(' · ');
}
