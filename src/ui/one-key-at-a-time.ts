import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Splits what the terminal sends into single keys. Ink only separates escape sequences, so a
 * paste or a fast typist ("alice⏎21.5⏎" in one read) would reach the panes as one string and
 * the Enter inside it would be lost.
 */
export function splitKeys(text: string): string[] {
  const keys: string[] = [];
  // An escape sequence (CSI, SS3, or Alt + a printable key) is one key; anything else is one character,
  // so Esc followed at once by Ctrl-C is still two keys.
  const pattern = /\u001B(?:\[[\[]?[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|O[\x40-\x7e]|[^\u0000-\u001f\u007f])?|\r\n|[\s\S]/gu;
  for (const match of text.matchAll(pattern)) keys.push(match[0]);
  return keys;
}

/** A stdin for Ink that hands over one key at a time; close() gives the terminal back. */
export interface KeyStream extends NodeJS.ReadStream {
  close(): void;
}

/**
 * A stdin for Ink that hands over one key per read, so a burst ("alice⏎21.5⏎", twelve
 * Backspaces, a paste) reaches the key router as single keys, at once and in order. The router's
 * targets change their state as each key comes (they do not wait for React to render), so no key
 * waits for a frame. Only the key after a lone Esc waits a turn: Ink reads everything waiting at
 * once, and would take an Esc and the key read with it as Alt+key.
 *
 * It also owns raw mode: Ink switches it off and on again whenever its input hooks re-subscribe,
 * and a key typed in that instant would be held by the terminal's line editing (Enter arriving
 * as a newline with the rest of the line). Raw mode stays on until close() or exit.
 */
/** onRead hears the size of every chunk read from the terminal (the frame trace times keys with it). */
export function oneKeyAtATime(source: NodeJS.ReadStream, onRead?: (bytes: number) => void): KeyStream {
  // Object mode: each write is one read for Ink, however many are waiting.
  const keys = new PassThrough({ objectMode: true });
  const queue: string[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    while (queue.length > 0) {
      const key = queue.shift()!;
      keys.write(key);
      if (key === '\u001B' && queue.length > 0) {
        // Ink reads on the 'readable' event this write raises; the next key must come after that read.
        await nextTurn();
      }
    }
    draining = false;
  }

  const onData = (chunk: Buffer | string) => {
    onRead?.(chunk.length);
    // Ctrl-J and pasted line ends mean Enter here, as a terminal in raw mode sends for the key.
    queue.push(...splitKeys(chunk.toString()).map((key) => (key === '\n' || key === '\r\n' ? '\r' : key)));
    if (!draining) void drain();
  };

  let listening = false;
  const restore = () => {
    if (!listening) return;
    listening = false;
    source.off('data', onData);
    if (source.isTTY) source.setRawMode(false);
    source.pause();
  };
  process.once('exit', restore);

  const proxy = Object.assign(keys, {
    isTTY: source.isTTY,
    setRawMode(mode: boolean) {
      if (mode && !listening) {
        listening = true;
        if (source.isTTY) source.setRawMode(true);
        source.on('data', onData);
        source.resume();
      }
      return proxy;
    },
    ref() {
      source.ref();
      return proxy;
    },
    unref() {
      source.unref();
      return proxy;
    },
    close() {
      restore();
      process.off('exit', restore);
    },
  });
  return proxy as unknown as KeyStream;
}
