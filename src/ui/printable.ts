/**
 * Text from the wire (topics, client ids, names) can carry control characters; printed raw,
 * an ESC sequence would move the cursor or clear the screen. These show them as escapes instead.
 */
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

// C0 controls, DEL, C1 controls, and the line/paragraph separators some terminals treat as newlines.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, (char) => NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Exactly `width` columns: cut with an ellipsis or padded with spaces (for aligned columns). */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length > width) return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
  return text + ' '.repeat(width - chars.length);
}
