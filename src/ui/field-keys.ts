import type { KeyPress } from './keys/key-press.js';
import { commandOf } from './keys/key-table.js';

export type FieldKey =
  | { kind: 'type'; text: string }
  | { kind: 'erase' }
  | { kind: 'submit' }
  | { kind: 'cancel' }
  | { kind: 'switch' }
  | { kind: 'ignore' };

/** What a key does to a one-line text field, by the key table's 'field' keys; the rest is typed. */
export function readFieldKey(press: KeyPress): FieldKey {
  switch (commandOf('field', press)) {
    case 'submit':
      return { kind: 'submit' };
    case 'cancel':
      return { kind: 'cancel' };
    case 'erase':
      return { kind: 'erase' };
    case 'switch-field':
      return { kind: 'switch' };
    default:
      return press.text && !press.ctrl ? { kind: 'type', text: press.text } : { kind: 'ignore' };
  }
}
