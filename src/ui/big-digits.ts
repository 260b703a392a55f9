/** Three-row block glyphs for the setpoint, readable across the room. */
const GLYPHS: Record<string, [string, string, string]> = {
  '0': ['█▀█', '█ █', '█▄█'],
  '1': ['▀█ ', ' █ ', '▄█▄'],
  '2': ['▀▀█', '█▀▀', '█▄▄'],
  '3': ['▀▀█', ' ▀█', '▄▄█'],
  '4': ['█ █', '▀▀█', '  █'],
  '5': ['█▀▀', '▀▀█', '▄▄█'],
  '6': ['█▀▀', '█▀█', '█▄█'],
  '7': ['▀▀█', '  █', '  █'],
  '8': ['█▀█', '█▀█', '█▄█'],
  '9': ['█▀█', '▀▀█', '▄▄█'],
  '.': [' ', ' ', '▄'],
  '-': ['   ', '▀▀▀', '   '],
  ' ': [' ', ' ', ' '],
};

/** The three rows of `text` in block digits; characters without a glyph are left out. */
export function bigDigits(text: string): [string, string, string] {
  const rows: [string, string, string] = ['', '', ''];
  for (const char of text) {
    const glyph = GLYPHS[char];
    if (!glyph) continue;
    for (let row = 0; row < 3; row++) rows[row] += (rows[row] ? ' ' : '') + glyph[row];
  }
  return rows;
}
