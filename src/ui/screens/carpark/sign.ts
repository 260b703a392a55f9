/** The car-park sign in block letters: free spaces as digits, or FULL. */
import { bigDigits } from '../../big-digits.js';

const LETTERS: Record<string, [string, string, string]> = {
  F: ['█▀▀', '█▀ ', '█  '],
  U: ['█ █', '█ █', '█▄█'],
  L: ['█  ', '█  ', '█▄▄'],
};

/** The three rows the sign shows for `spaces` free: FULL at 0. */
export function signRows(spaces: number): { rows: [string, string, string]; full: boolean } {
  if (spaces > 0) return { rows: bigDigits(String(spaces)), full: false };
  const rows: [string, string, string] = ['', '', ''];
  for (const letter of 'FULL') {
    const glyph = LETTERS[letter]!;
    for (let row = 0; row < 3; row++) rows[row] += (rows[row] ? ' ' : '') + glyph[row];
  }
  return { rows, full: true };
}
