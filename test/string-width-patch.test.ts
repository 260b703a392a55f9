// string-width 8.3.0 runs with the edit scripts/patch-string-width.mjs applies at install: text
// it now measures by its length must be as wide as string-width itself says.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain script without types
import { EDITS, NARROW, STRING_WIDTH_VERSION } from '../scripts/patch-string-width.mjs';
import { describePatchScript, unpatchedCopy } from './fixtures/patch-script.js';

type Width = (text: string, options?: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean }) => number;

const dir = path.resolve('node_modules/string-width');
const edit = (EDITS as Array<{ from: string; to: string }>)[0]!;

let patched: Width;
let unpatched: Width;
beforeAll(async () => {
  patched = (await import(pathToFileURL(path.join(dir, 'index.js')).href)).default;
  unpatched = (await import(pathToFileURL(unpatchedCopy(dir, 'index.js', EDITS, 'string-width-unpatched')).href)).default;
});

/** Every character of the class the edit measures by length. */
function narrowCharacters(): string[] {
  const characters: string[] = [];
  for (const [, from, to] of (NARROW as string).matchAll(/\\u([0-9A-F]{4})(?:-\\u([0-9A-F]{4}))?/g)) {
    const first = parseInt(from!, 16);
    const last = to ? parseInt(to, 16) : first;
    for (let code = first; code <= last; code++) characters.push(String.fromCodePoint(code));
  }
  return characters;
}

describe('string width with the edit', () => {
  it('is what string-width says for every character it measures by length, alone, among others and coloured', () => {
    const characters = narrowCharacters();
    expect(characters.length).toBeGreaterThan(1000);
    const wrong = characters.filter((c) =>
      [c, `a${c}b`, `${c}${c}`, `\u001b[31m${c}\u001b[39m x`].some((text) => patched(text) !== unpatched(text) || patched(text, { ambiguousIsNarrow: false }) !== unpatched(text, { ambiguousIsNarrow: false })),
    );
    expect(wrong).toEqual([]);
  });

  it('is what string-width says for random text: log lines, borders, wide characters, emoji, combining marks', () => {
    const characters = narrowCharacters();
    const piece = fc.oneof(
      fc.constantFrom(...characters),
      fc.constantFrom('a', ' ', 'sht-fleet00435-…', '°C', '─', '╭', '█', '漢字', '😀', '👍🏽', 'e\u0301', '\u200d', '\ufe0f', '\u0000', '\u001b[2m', '\u001b[22m', '\u001b[38;5;33m', '\u009b31m'),
    );
    const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.boolean(), fc.boolean(), (value, ambiguousIsNarrow, countAnsiEscapeCodes) => {
        expect(patched(value, { ambiguousIsNarrow, countAnsiEscapeCodes })).toBe(unpatched(value, { ambiguousIsNarrow, countAnsiEscapeCodes }));
      }),
      { numRuns: 3000 },
    );
  });

  it('measures a broker-log line by its length', () => {
    const line = '\u001b[2m15:01:05\u001b[22m \u001b[34mpublish     \u001b[39m sht-fleet01793-… device/fleet01793/telemetry/temperature q0 21.5 °C';
    expect(patched(line)).toBe(unpatched(line));
    expect(patched(line)).toBe(line.replace(/\u001b\[[0-9;]*m/g, '').length);
  });
});

describePatchScript({
  label: 'string-width',
  name: 'string-width',
  version: STRING_WIDTH_VERSION,
  dir,
  parts: ['package.json', 'index.js'],
  undo: { file: 'index.js', patched: edit.to, unpatched: edit.from },
});
