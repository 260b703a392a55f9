/**
 * Printable previews of what arrives on the wire. Anything a client sends ends up in the
 * terminal, so every character that could move the cursor, clear the screen, retitle the
 * window or reorder text is shown as an escape instead of being written raw.
 */

// Control (Cc), format/bidi (Cf), line and paragraph separators, private use and unassigned.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u;
const SHORT_ESCAPES: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };
const ELLIPSIS = '…';

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

/** The text shown for one code point: itself when harmless, an escape otherwise. */
function showCodePoint(cp: number): string {
  const short = SHORT_ESCAPES[cp];
  if (short !== undefined) return short;
  if (cp < 0x80) {
    return cp < 0x20 || cp === 0x7f ? `\\x${hex(cp, 2)}` : String.fromCharCode(cp);
  }
  // Lone surrogates only come from JS strings; they are never printable.
  if (cp >= 0xd800 && cp <= 0xdfff) return `\\u${hex(cp, 4)}`;
  const ch = String.fromCodePoint(cp);
  if (!UNSAFE.test(ch)) return ch;
  return cp > 0xffff ? `\\u{${hex(cp, 4)}}` : `\\u${hex(cp, 4)}`;
}

/** Collects shown pieces until the visible budget is spent. */
class Preview {
  private readonly pieces: string[] = [];
  private length = 0;
  private full = false;
  constructor(private readonly max: number) {}

  /** Adds a piece; false once the preview is full. */
  add(piece: string): boolean {
    if (this.length + piece.length > this.max) {
      this.full = true;
      return false;
    }
    this.pieces.push(piece);
    this.length += piece.length;
    return true;
  }

  finish(moreLeft: boolean): string {
    if (!this.full && !moreLeft) return this.pieces.join('');
    // Make room for the ellipsis by dropping whole pieces, so an escape is never cut in half.
    while (this.pieces.length > 0 && this.length + ELLIPSIS.length > this.max) {
      this.length -= this.pieces.pop()!.length;
    }
    return this.pieces.join('') + ELLIPSIS;
  }
}

/**
 * Decodes one UTF-8 sequence at `i`. Returns the code point and its length, or -1 with
 * length 1 for a byte that does not start a valid, shortest-form sequence.
 */
function decodeAt(buf: Buffer, i: number): [cp: number, length: number] {
  const b0 = buf[i]!;
  if (b0 < 0x80) return [b0, 1];
  let length: number;
  let cp: number;
  let min: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    length = 2; cp = b0 & 0x1f; min = 0x80;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    length = 3; cp = b0 & 0x0f; min = 0x800;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    length = 4; cp = b0 & 0x07; min = 0x10000;
  } else {
    return [-1, 1];
  }
  if (i + length > buf.length) return [-1, 1];
  for (let k = 1; k < length; k++) {
    const b = buf[i + k]!;
    if ((b & 0xc0) !== 0x80) return [-1, 1];
    cp = (cp << 6) | (b & 0x3f);
  }
  // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not valid UTF-8.
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return [-1, 1];
  return [cp, length];
}

/**
 * A short, printable preview of a payload: valid UTF-8 text as itself, control characters
 * and bytes that are not valid UTF-8 escaped (`\x1B`, `\u009B`, `\xFF`), at most `max`
 * characters with an ellipsis when cut. Only the bytes needed for the preview are read.
 */
export function payloadPreview(payload: Uint8Array, max = 80): string {
  const buf = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const preview = new Preview(max);
  let i = 0;
  while (i < buf.length) {
    const [cp, length] = decodeAt(buf, i);
    const piece = cp < 0 ? `\\x${hex(buf[i]!, 2)}` : showCodePoint(cp);
    if (!preview.add(piece)) break;
    i += length;
  }
  return preview.finish(i < buf.length);
}

/** The same escaping for other strings that come from the wire (client ids, topics). */
export function safeText(s: string, max = Infinity): string {
  const preview = new Preview(max);
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    if (!preview.add(showCodePoint(cp))) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return preview.finish(i < s.length);
}
