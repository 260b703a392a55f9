import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { createElement } from 'react';
import { render, Text, useInput } from 'ink';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { oneKeyAtATime, splitKeys } from '../../src/ui/one-key-at-a-time.js';

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

describe('the key stream Ink reads', () => {
  /** Reads the stream as Ink does: on each 'readable', everything waiting, one read per key. */
  function readLikeInk(keys: NodeJS.ReadableStream & { read(): unknown }): string[][] {
    const batches: string[][] = [];
    keys.on('readable', () => {
      const batch: string[] = [];
      let key: unknown;
      while ((key = keys.read()) !== null) batch.push(String(key));
      if (batch.length > 0) batches.push(batch);
    });
    return batches;
  }

  function terminal() {
    const source = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream & PassThrough;
    const keys = oneKeyAtATime(source);
    keys.setRawMode(true);
    return { source, keys };
  }

  it('hands over a whole burst at once, one key per read, a paste\'s Enters kept', async () => {
    const { source, keys } = terminal();
    const batches = readLikeInk(keys);
    source.write(`alice\r\n21.5\r${'\u007F'.repeat(12)}`);
    await nextTurn();
    expect(batches.flat()).toEqual(['a', 'l', 'i', 'c', 'e', '\r', '2', '1', '.', '5', '\r', ...Array(12).fill('\u007F')]);
    keys.close();
  });

  it('lets Ink see a lone Esc alone, so the key after it is not read as Alt + key', async () => {
    const { source, keys } = terminal();
    const batches = readLikeInk(keys);
    source.write('\u001B\u0003');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches).toEqual([['\u001B'], ['\u0003']]);
    keys.close();
  });
});

describe('Esc in Ink, read through the key stream', () => {
  it('reaches the keys in the turn it was read, not a turn later behind whatever else that turn holds', async () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => terminal, ref: () => terminal, unref: () => terminal }) as unknown as NodeJS.ReadStream & PassThrough;
    const keys = oneKeyAtATime(terminal);
    const stdout = Object.assign(new EventEmitter(), { columns: 40, rows: 5, isTTY: true, write: () => true }) as unknown as NodeJS.WriteStream;
    const heard: string[] = [];
    function Keys() {
      useInput((input, key) => heard.push(key.escape ? 'Esc' : key.return ? (key.meta ? 'Alt+Enter' : 'Enter') : input));
      return createElement(Text, null, 'keys');
    }
    const instance = render(createElement(Keys), { stdin: keys, stdout, debug: true, exitOnCtrlC: false, patchConsole: false });
    try {
      await nextTurn();
      terminal.write('\u001B');
      // A turn of the loop that was already waiting when the key came.
      await new Promise<void>((resolve) => setImmediate(() => {
        heard.push('next turn');
        resolve();
      }));
      expect(heard).toEqual(['Esc', 'next turn']);
      terminal.write('q');
      await nextTurn();
      expect(heard).toEqual(['Esc', 'next turn', 'q']);
      // Esc and Enter in one read (a fast typist) stay two keys, not Alt + Enter.
      terminal.write('\u001B\r');
      await nextTurn();
      await nextTurn();
      expect(heard).toEqual(['Esc', 'next turn', 'q', 'Esc', 'Enter']);
    } finally {
      instance.unmount();
      keys.close();
    }
  });
});
