import type { Key } from 'ink';

export type FieldKey =
  | { kind: 'type'; text: string }
  | { kind: 'erase' }
  | { kind: 'submit' }
  | { kind: 'cancel' }
  | { kind: 'switch'; back: boolean }
  | { kind: 'ignore' };

// Pasted text can carry newlines and escapes; a field only keeps what can be typed.
const UNTYPABLE = /[\u0000-\u001f\u007f-\u009f]/g;

/** What a key does to a one-line text field. */
export function readFieldKey(input: string, key: Key): FieldKey {
  if (key.return) return { kind: 'submit' };
  if (key.escape) return { kind: 'cancel' };
  // Terminals send DEL (0x7f) or BS for the Backspace key; Ink names them differently.
  if (key.backspace || key.delete) return { kind: 'erase' };
  if (key.tab) return { kind: 'switch', back: key.shift };
  if (key.ctrl || key.meta) return { kind: 'ignore' };
  const text = input.replace(UNTYPABLE, '');
  return text ? { kind: 'type', text } : { kind: 'ignore' };
}
