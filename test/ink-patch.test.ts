// Ink 6.8.0 runs with the edits scripts/patch-ink.mjs applies at install: frames built from what
// changed must be the very frames Ink's own Output draws.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain script without types
import { EDITS } from '../scripts/patch-ink.mjs';
import { describePatchScript, unpatchedCopy } from './fixtures/patch-script.js';

const inkDir = path.resolve('node_modules/ink');

type Clip = { x1?: number; x2?: number; y1?: number; y2?: number };
type Op = { type: 'write'; x: number; y: number; text: string; upper: boolean } | { type: 'clip'; clip: Clip } | { type: 'unclip' };
interface OutputLike {
  write(x: number, y: number, text: string, options: { transformers: ((line: string, index: number) => string)[] }): void;
  clip(clip: Clip): void;
  unclip(): void;
  get(): { output: string; height: number };
  caches: { styledChars: Map<string, unknown>; rows: Map<string, unknown> };
}
type OutputClass = new (options: { width: number; height: number }) => OutputLike;

let Patched: OutputClass;
let Unpatched: OutputClass;
beforeAll(async () => {
  Patched = (await import(pathToFileURL(path.join(inkDir, 'build/output.js')).href)).default;
  Unpatched = (await import(pathToFileURL(unpatchedCopy(inkDir, 'build/output.js', EDITS, 'ink-unpatched')).href)).default;
});

function draw(Output: OutputClass, width: number, height: number, ops: readonly Op[]): string {
  const output = new Output({ width, height });
  for (const op of ops) {
    if (op.type === 'clip') output.clip(op.clip);
    else if (op.type === 'unclip') output.unclip();
    else output.write(op.x, op.y, op.text, { transformers: op.upper ? [(line) => line.toUpperCase()] : [] });
  }
  return output.get().output;
}

// Text as panes write it: plain and coloured runs, wide characters, emoji, several lines.
const piece = fc.constantFrom('a', 'log', ' ', '→', '°C', '漢字', '😀', '\u001b[31mred\u001b[39m', '\u001b[1mbold\u001b[22m', '\u001b[7m ON \u001b[27m', '\n');
const text = fc.array(piece, { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant('write' as const), x: fc.integer({ min: -3, max: 30 }), y: fc.integer({ min: -2, max: 12 }), text, upper: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('clip' as const),
      clip: fc.record({ x1: fc.integer({ min: 0, max: 10 }), x2: fc.integer({ min: 5, max: 30 }), y1: fc.integer({ min: 0, max: 4 }), y2: fc.integer({ min: 2, max: 10 }) }, { requiredKeys: [] }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'unclip' as const }) },
);

describe('the patched Output draws what Ink draws', () => {
  it('for any writes, clips and transforms, frame after frame (so rows come from the caches too)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 10 }), fc.array(fc.array(op, { maxLength: 14 }), { minLength: 1, maxLength: 4 }), (width, height, frames) => {
        for (const ops of [...frames, ...frames]) expect(draw(Patched, width, height, ops)).toBe(draw(Unpatched, width, height, ops));
      }),
      { numRuns: 400 },
    );
  });

  it('a row that changes is drawn anew, also when only a style changed', () => {
    const line = (style: string) => [{ type: 'write' as const, x: 0, y: 0, text: `${style}ON\u001b[39m`, upper: false }];
    expect(draw(Patched, 10, 1, line('\u001b[32m'))).toBe(draw(Unpatched, 10, 1, line('\u001b[32m')));
    expect(draw(Patched, 10, 1, line('\u001b[31m'))).toBe('\u001b[31mON\u001b[39m');
  });

  it('keeps its caches bounded however many different lines a flood shows', () => {
    const output = new Patched({ width: 60, height: 20 });
    for (let frame = 0; frame < 1000; frame++) {
      const next = new Patched({ width: 60, height: 20 });
      for (let y = 0; y < 20; y++) next.write(0, y, `12:00:00 PUBLISH bench/${frame}/${y} q0 64 B`, { transformers: [] });
      next.get();
    }
    // 20,000 different lines and rows went through; the caches hold a few screens' worth.
    expect(output.caches.styledChars.size).toBeLessThanOrEqual(4000);
    expect(output.caches.rows.size).toBeLessThanOrEqual(4000);
    expect(output.caches.rows.size).toBeGreaterThan(0);
  });
});

describePatchScript({
  label: 'ink',
  name: 'ink',
  version: '6.8.0',
  dir: inkDir,
  parts: ['package.json', 'build'],
  undo: { file: 'build/wrap-text.js', patched: 'const cache = new Map();', unpatched: 'const cache = {};' },
});
