import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Splits what the terminal sends into single keys. Ink only separates escape sequences, so a
 * paste or a fast typist ("alice⏎21.5⏎" in one read) would reach the panes as one string and
 * the Enter inside it would be lost.
 */
export function splitKeys(text: string): string[] {
  const keys: string[] = [];
  // An escape sequence (CSI, SS3, or ESC + one character) is one key; anything else is one character.
  const pattern = /\u001B(?:\[[\[]?[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|O[\x40-\x7e]|[\s\S])?|\r\n|[\s\S]/gu;
  for (const match of text.matchAll(pattern)) keys.push(match[0]);
  return keys;
}

/**
 * A stdin for Ink that hands over one key per turn of the event loop, so each key is handled
 * after React has applied the one before it (a field switch, a mode change).
 */
// Four turns were measured to be enough in a real terminal; six leave a margin and cost microseconds.
const TURNS_PER_KEY = 6;

/** onRead hears the size of every chunk read from the terminal (the frame trace times keys with it). */
export function oneKeyAtATime(source: NodeJS.ReadStream, onRead?: (bytes: number) => void): NodeJS.ReadStream {
  const keys = new PassThrough({ encoding: 'utf8' });
  const queue: string[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    while (queue.length > 0) {
      keys.write(queue.shift()!);
      // React renders on its scheduler and Ink re-attaches key handlers in effects after that;
      // a few turns let both finish before the next key is read against the new state.
      for (let turn = 0; turn < TURNS_PER_KEY; turn++) await nextTurn();
    }
    draining = false;
  }

  const onData = (chunk: Buffer | string) => {
    onRead?.(chunk.length);
    queue.push(...splitKeys(chunk.toString()));
    if (!draining) void drain();
  };

  let listening = false;
  const proxy = Object.assign(keys, {
    isTTY: source.isTTY,
    setRawMode(mode: boolean) {
      source.setRawMode?.(mode);
      if (mode && !listening) {
        listening = true;
        source.on('data', onData);
        source.resume();
      } else if (!mode && listening) {
        listening = false;
        source.off('data', onData);
        source.pause();
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
  });
  return proxy as unknown as NodeJS.ReadStream;
}
