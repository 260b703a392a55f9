import { describe, expect, it } from 'vitest';
import { splitKeys } from '../../src/ui/one-key-at-a-time.js';

describe('splitting what the terminal sends into keys', () => {
  it('separates a fast typist\'s burst into single keys, Enter included', () => {
    expect(splitKeys('alice\r21.5\r')).toEqual(['a', 'l', 'i', 'c', 'e', '\r', '2', '1', '.', '5', '\r']);
  });

  it('keeps escape sequences whole', () => {
    expect(splitKeys('\u001B[A\u001B[Bq\u001B[5~\u001BOP\u001B[Z')).toEqual(['\u001B[A', '\u001B[B', 'q', '\u001B[5~', '\u001BOP', '\u001B[Z']);
  });

  it('keeps Esc and a control key that follows it apart, and Alt + a letter together', () => {
    expect(splitKeys('\u001B\u0003')).toEqual(['\u001B', '\u0003']);
    expect(splitKeys('\u001Bx')).toEqual(['\u001Bx']);
  });

  it('keeps a lone Esc and characters outside the basic plane whole', () => {
    expect(splitKeys('\u001B')).toEqual(['\u001B']);
    expect(splitKeys('°C😀')).toEqual(['°', 'C', '😀']);
  });
});
