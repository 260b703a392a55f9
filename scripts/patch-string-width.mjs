// An edit to string-width 8.3.0 (the width of text for Ink's layout and frames), applied when the
// package is installed (postinstall), with the checks of scripts/patch-package.mjs.
//
// string-width measures anything beyond printable ASCII grapheme by grapheme, with Intl.Segmenter,
// an emoji test and an East Asian width lookup each: 150 µs for one line of the broker log (its
// "…" and "°" are enough) and 320 µs for a pane's border. Ink measures every new line, so under a
// flood that was several milliseconds of each frame. With this edit, text made only of characters
// that are one column wide and a grapheme of their own (Latin, Greek, Cyrillic, punctuation,
// arrows, box drawing, blocks, shapes, ✓ ✗ ⚠) is as wide as it is long, as ASCII already was.
// test/string-width-patch.test.ts checks every one of those characters, and random text, against
// string-width's own answer.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyEdits, runWhenMain } from './patch-package.mjs';

export const STRING_WIDTH_VERSION = '8.3.0';

/** One column each, and never joined to a neighbour into one grapheme (with ambiguous characters narrow, the default). */
export const NARROW = String.raw`\u00A0-\u00AC\u00AE-\u02FF\u0370-\u0482\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2300-\u2319\u23CE\u2500-\u25FC\u26A0\u2713\u2717`;

export const EDITS = [
  {
    file: 'index.js',
    from: '\tif (/^[\\u0020-\\u007E]*$/.test(string)) {\n\t\treturn string.length;\n\t}\n',
    to:
      '\tif (/^[\\u0020-\\u007E]*$/.test(string)) {\n\t\treturn string.length;\n\t}\n\n' +
      '\t// Characters one column wide that never join a neighbour: width equals length here too.\n' +
      `\tif (ambiguousIsNarrow && /^[\\u0020-\\u007E${NARROW}]*$/.test(string)) {\n\t\treturn string.length;\n\t}\n`,
  },
];

/** The folder of the string-width Ink measures with. */
export function stringWidthDir() {
  return dirname(fileURLToPath(import.meta.resolve('string-width')));
}

/** Applies the edit if it is not applied yet under `dir`; returns how many it applied. Throws one sentence when it cannot. */
export function patchStringWidth(dir = stringWidthDir()) {
  return applyEdits({ name: 'string-width', version: STRING_WIDTH_VERSION, script: 'scripts/patch-string-width.mjs', dir, edits: EDITS });
}

runWhenMain(import.meta.url, 'patch-string-width', (dir) => ({ applied: patchStringWidth(dir ?? stringWidthDir()), what: `string-width ${STRING_WIDTH_VERSION}` }));
