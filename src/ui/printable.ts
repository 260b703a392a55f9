import { safeText } from '../wire/preview.js';

/**
 * Text from the wire (topics, client ids, names) can carry control, bidi and format characters;
 * printed raw, they would move the cursor, clear the screen or reverse a line. The UI shows them
 * escaped, exactly as the broker log and the headless log do.
 */
export function printable(text: string): string {
  return safeText(text);
}

/** Exactly `width` columns: cut with an ellipsis or padded with spaces (for aligned columns). */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length > width) return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
  return text + ' '.repeat(width - chars.length);
}
