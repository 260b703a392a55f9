import { describe, expect, it } from 'vitest';
import { payloadPreview, safeText } from '../src/wire/preview.js';

const text = (s: string) => payloadPreview(Buffer.from(s, 'utf8'));

describe('payloadPreview', () => {
  it('shows plain text and JSON as they are', () => {
    expect(text('{"value":21.5,"unit":"°C"}')).toBe('{"value":21.5,"unit":"°C"}');
    expect(text('')).toBe('');
  });

  it('escapes a clear-screen sequence so the terminal is not cleared', () => {
    expect(text('\x1b[2Jhi')).toBe('\\x1B[2Jhi');
  });

  it('escapes an OSC window-title sequence', () => {
    const shown = text('\x1b]0;owned\x07');
    expect(shown).toBe('\\x1B]0;owned\\x07');
    expect(shown).not.toMatch(/[\x00-\x1f\x7f]/);
  });

  it('shows carriage return, newline and tab as escapes', () => {
    expect(text('a\rb\nc\td')).toBe('a\\rb\\nc\\td');
  });

  it('escapes DEL, C1 controls (8-bit CSI) and bidi overrides', () => {
    expect(text('x\x7fy')).toBe('x\\x7Fy');
    expect(text('a\u009b2Jb')).toBe('a\\u009B2Jb');
    expect(text('abc\u202edcba')).toBe('abc\\u202Edcba');
  });

  it('shows bytes that are not valid UTF-8 as \\xNN', () => {
    expect(payloadPreview(Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x00]))).toBe('hi\\xFF\\xFE\\x00');
    // A cut-off two-byte sequence and an overlong encoding of "/".
    expect(payloadPreview(Buffer.from([0xc3]))).toBe('\\xC3');
    expect(payloadPreview(Buffer.from([0xc0, 0xaf]))).toBe('\\xC0\\xAF');
    // A raw C1 byte (0x9B is CSI on some terminals) is invalid UTF-8 and escaped too.
    expect(payloadPreview(Buffer.from([0x9b, 0x32, 0x4a]))).toBe('\\x9B2J');
  });

  it('keeps multi-byte characters whole', () => {
    expect(text('Grüße 🏠')).toBe('Grüße 🏠');
  });

  it('cuts long payloads with an ellipsis, never inside an escape', () => {
    const long = payloadPreview(Buffer.from('x'.repeat(500)));
    expect(long).toBe('x'.repeat(79) + '…');
    expect(payloadPreview(Buffer.from('hello'), 5)).toBe('hello');
    expect(payloadPreview(Buffer.from('hello!'), 5)).toBe('hell…');
    expect(payloadPreview(Buffer.from('ab\x1b[2J'), 6)).toBe('ab…');
  });
});

describe('safeText', () => {
  it('escapes control characters in client ids and topics', () => {
    expect(safeText('dev\x1b]0;x\x07ice')).toBe('dev\\x1B]0;x\\x07ice');
    expect(safeText('home/kitchen')).toBe('home/kitchen');
    expect(safeText('a\nb')).toBe('a\\nb');
  });

  it('escapes a lone surrogate', () => {
    expect(safeText('a\ud800b')).toBe('a\\uD800b');
  });
});
