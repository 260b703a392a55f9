import type { Key } from 'ink';

/** One key as the key table speaks of it. */
export interface KeyPress {
  /** 'up', 'return', 'tab', 'space', 'backspace'..., or the character typed ('n', '[', 'Y'). */
  name: string;
  /** What the key types into a text field; '' for keys that type nothing. */
  text: string;
  ctrl: boolean;
  shift: boolean;
}

const NAMED: ReadonlyArray<[keyof Key, string]> = [
  ['upArrow', 'up'],
  ['downArrow', 'down'],
  ['leftArrow', 'left'],
  ['rightArrow', 'right'],
  ['pageUp', 'pageup'],
  ['pageDown', 'pagedown'],
  ['home', 'home'],
  ['end', 'end'],
  ['return', 'return'],
  ['escape', 'escape'],
  ['tab', 'tab'],
  // Terminals send DEL (0x7f) or BS for the Backspace key; Ink names them differently.
  ['backspace', 'backspace'],
  ['delete', 'backspace'],
];

// Pasted text can carry newlines and escapes; a field only keeps what can be typed.
const UNTYPABLE = /[\u0000-\u001f\u007f-\u009f]/g;

/** Ink's (input, key) as a KeyPress. */
export function keyPress(input: string, key: Key): KeyPress {
  for (const [flag, name] of NAMED) {
    if (key[flag]) return { name, text: '', ctrl: key.ctrl, shift: key.shift };
  }
  if (key.ctrl || key.meta) return { name: input, text: '', ctrl: key.ctrl, shift: key.shift };
  const text = input.replace(UNTYPABLE, '');
  return { name: input === ' ' ? 'space' : input, text, ctrl: false, shift: key.shift };
}

/**
 * Whether a key spec from the table names this key: 'n', '[', 'up', 'space', 'ctrl+c',
 * 'shift+tab'. A plain 'tab' is Tab without Shift; letters match as typed ('Y' is not 'y').
 */
export function matches(spec: string, press: KeyPress): boolean {
  // '+' alone is the plus key; 'ctrl+c' is a modifier and a key.
  const plus = spec.length > 1 ? spec.lastIndexOf('+') : -1;
  const modifiers = plus > 0 ? spec.slice(0, plus).split('+') : [];
  const name = plus > 0 ? spec.slice(plus + 1) : spec;
  const ctrl = modifiers.includes('ctrl');
  const shift = modifiers.includes('shift');
  if (press.name !== name || press.ctrl !== ctrl) return false;
  return name === 'tab' ? press.shift === shift : true;
}
