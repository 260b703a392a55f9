// Edits to Ink 6.8.0 that make a frame cost what changed on the screen, applied when the package
// is installed (postinstall), with the checks of scripts/patch-package.mjs. Ink builds every
// frame from nothing: a fresh grid of one object per cell, each line of text tokenized and
// measured again, and its text caches kept for one frame. Under a flood that was most of the
// UI's thread. With these edits:
//
// - The caches of tokenized lines and string widths live across frames, and each is bounded
//   (Ink's own caches of wrapped and measured text grew with every line ever shown).
// - A row of the screen is kept as the list of writes that reach it; a row whose writes are the
//   same as in an earlier frame reuses that frame's text instead of being built cell by cell.
// - The width of a text is measured through the cache Ink already keeps for layout, not again.
// - A lone Esc is taken at once. Ink holds it until the loop's next turn, in case the rest of an
//   escape sequence comes in the next read; this program's key stream hands Ink whole keys, one
//   per read (src/ui/one-key-at-a-time.ts), so the wait only put Esc behind whatever else the
//   turn held.
//
// The frames are the same as Ink's own: test/ink-patch.test.ts draws the same screens with the
// patched and the unpatched Output and compares them.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyEdits, runWhenMain } from './patch-package.mjs';

export const INK_VERSION = '6.8.0';

/** Entries a cache keeps before it starts again: a few screens' worth of lines and rows. */
const LINES = 4000;
const WIDTHS = 20000;

const remember = (cache, limit) => `if (${cache}.size >= ${limit}) ${cache}.clear();\n`;

export const EDITS = [
  {
    file: 'build/output.js',
    from: 'class OutputCaches {\n    widths = new Map();\n    blockWidths = new Map();\n    styledChars = new Map();\n',
    to:
      "const blankCell = { type: 'char', value: ' ', fullWidth: false, styles: [] };\n" +
      'class OutputCaches {\n    widths = new Map();\n    blockWidths = new Map();\n    styledChars = new Map();\n' +
      '    slices = new Map();\n    rows = new Map();\n' +
      '    getSlice(line, from, to) {\n' +
      '        const key = `${from}:${to}:${line}`;\n' +
      '        let cached = this.slices.get(key);\n' +
      '        if (cached === undefined) {\n' +
      '            cached = sliceAnsi(line, from, to);\n' +
      `            ${remember('this.slices', LINES)}` +
      '            this.slices.set(key, cached);\n' +
      '        }\n' +
      '        return cached;\n' +
      '    }\n' +
      '    // writes: [x, line, x, line...] in the order they were made; the same writes give the same row.\n' +
      '    getRow(writes, width) {\n' +
      "        if (writes.length === 0) return '';\n" +
      '        let key = String(width);\n' +
      '        for (let i = 0; i < writes.length; i += 2) key += `|${writes[i]}:${writes[i + 1].length}:${writes[i + 1]}`;\n' +
      '        let cached = this.rows.get(key);\n' +
      '        if (cached === undefined) {\n' +
      '            const row = new Array(width).fill(blankCell);\n' +
      '            for (let i = 0; i < writes.length; i += 2) {\n' +
      '                let offsetX = writes[i];\n' +
      '                for (const character of this.getStyledChars(writes[i + 1])) {\n' +
      '                    row[offsetX] = character;\n' +
      '                    const characterWidth = Math.max(1, this.getStringWidth(character.value));\n' +
      '                    for (let index = 1; index < characterWidth; index++) {\n' +
      "                        row[offsetX + index] = { type: 'char', value: '', fullWidth: false, styles: character.styles };\n" +
      '                    }\n' +
      '                    offsetX += characterWidth;\n' +
      '                }\n' +
      '            }\n' +
      '            cached = styledCharsToString(row.filter(item => item !== undefined)).trimEnd();\n' +
      `            ${remember('this.rows', LINES)}` +
      '            this.rows.set(key, cached);\n' +
      '        }\n' +
      '        return cached;\n' +
      '    }\n',
  },
  {
    file: 'build/output.js',
    from: '            cached = styledCharsFromTokens(tokenize(line));\n            this.styledChars.set(line, cached);\n',
    to: `            cached = styledCharsFromTokens(tokenize(line));\n            ${remember('this.styledChars', LINES)}            this.styledChars.set(line, cached);\n`,
  },
  {
    file: 'build/output.js',
    from: '            cached = stringWidth(text);\n            this.widths.set(text, cached);\n',
    to: `            cached = stringWidth(text);\n            ${remember('this.widths', WIDTHS)}            this.widths.set(text, cached);\n`,
  },
  {
    file: 'build/output.js',
    from: '            cached = lineWidth;\n            this.blockWidths.set(text, cached);\n',
    to: `            cached = lineWidth;\n            ${remember('this.blockWidths', WIDTHS)}            this.blockWidths.set(text, cached);\n`,
  },
  {
    file: 'build/output.js',
    from: 'export default class Output {\n',
    to: 'const sharedCaches = new OutputCaches();\nexport default class Output {\n',
  },
  {
    file: 'build/output.js',
    from: '    caches = new OutputCaches();\n',
    to: '    caches = sharedCaches;\n',
  },
  {
    file: 'build/output.js',
    from: '                            return sliceAnsi(line, from, to);\n',
    to: '                            return this.caches.getSlice(line, from, to);\n',
  },
  {
    file: 'build/output.js',
    from:
      '            const row = [];\n            for (let x = 0; x < this.width; x++) {\n                row.push({\n' +
      "                    type: 'char',\n                    value: ' ',\n                    fullWidth: false,\n                    styles: [],\n" +
      '                });\n            }\n            output.push(row);\n',
    to: '            output.push([]);\n',
  },
  {
    file: 'build/output.js',
    from:
      '                    const characters = this.caches.getStyledChars(line);\n' +
      '                    let offsetX = x;\n' +
      '                    for (const character of characters) {\n' +
      '                        currentLine[offsetX] = character;\n' +
      '                        // Determine printed width using string-width to align with measurement\n' +
      '                        const characterWidth = Math.max(1, this.caches.getStringWidth(character.value));\n' +
      '                        // For multi-column characters, clear following cells to avoid stray spaces/artifacts\n' +
      '                        if (characterWidth > 1) {\n' +
      '                            for (let index = 1; index < characterWidth; index++) {\n' +
      '                                currentLine[offsetX + index] = {\n' +
      "                                    type: 'char',\n" +
      "                                    value: '',\n" +
      '                                    fullWidth: false,\n' +
      '                                    styles: character.styles,\n' +
      '                                };\n' +
      '                            }\n' +
      '                        }\n' +
      '                        offsetX += characterWidth;\n' +
      '                    }\n',
    to: '                    currentLine.push(x, line);\n',
  },
  {
    file: 'build/output.js',
    from:
      '            .map(line => {\n' +
      '            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742\n' +
      '            const lineWithoutEmptyItems = line.filter(item => item !== undefined);\n' +
      '            return styledCharsToString(lineWithoutEmptyItems).trimEnd();\n' +
      '        })\n',
    to: '            .map(writes => this.caches.getRow(writes, this.width))\n',
  },
  {
    file: 'build/render-node-to-output.js',
    from: "import wrapText from './wrap-text.js';\n",
    to: "import wrapText from './wrap-text.js';\nimport measureText from './measure-text.js';\n",
  },
  {
    file: 'build/render-node-to-output.js',
    from: '                const currentWidth = widestLine(text);\n',
    to: '                const currentWidth = measureText(text).width;\n',
  },
  {
    file: 'build/components/App.js',
    from: '        if (inputParserRef.current.hasPendingEscape()) {\n            schedulePendingInputFlush();\n        }\n',
    to:
      '        if (inputParserRef.current.hasPendingEscape()) {\n' +
      '            const pendingEscape = inputParserRef.current.flushPendingEscape();\n' +
      '            if (pendingEscape) emitInput(pendingEscape);\n' +
      '        }\n',
  },
  {
    file: 'build/measure-text.js',
    from: '    cache.set(text, dimensions);\n',
    to: `    ${remember('cache', WIDTHS)}    cache.set(text, dimensions);\n`,
  },
  {
    file: 'build/wrap-text.js',
    from: 'const cache = {};\n',
    to: 'const cache = new Map();\n',
  },
  {
    file: 'build/wrap-text.js',
    from: '    const cachedText = cache[cacheKey];\n',
    to: '    const cachedText = cache.get(cacheKey);\n',
  },
  {
    file: 'build/wrap-text.js',
    from: '    cache[cacheKey] = wrappedText;\n',
    to: `    ${remember('cache', WIDTHS)}    cache.set(cacheKey, wrappedText);\n`,
  },
];

/** The folder of the Ink this project imports. */
export function inkDir() {
  return dirname(dirname(fileURLToPath(import.meta.resolve('ink'))));
}

/** Applies every edit not yet applied under `dir`; returns how many it applied. Throws one sentence when it cannot. */
export function patchInk(dir = inkDir()) {
  return applyEdits({ name: 'ink', version: INK_VERSION, script: 'scripts/patch-ink.mjs', dir, edits: EDITS });
}

runWhenMain(import.meta.url, 'patch-ink', (dir) => ({ applied: patchInk(dir ?? inkDir()), what: `Ink ${INK_VERSION}` }));
