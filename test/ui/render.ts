import { stripVTControlCharacters } from 'node:util';
import type { ReactElement } from 'react';
import { render } from 'ink-testing-library';

// Log lines show HH:MM:SS in local time; snapshots must not depend on where they run.
process.env.TZ = 'UTC';

export const ARROW_UP = '\u001B[A';
export const ARROW_DOWN = '\u001B[B';
export const ARROW_RIGHT = '\u001B[C';
export const ARROW_LEFT = '\u001B[D';
export const PAGE_UP = '\u001B[5~';
export const END = '\u001B[F';
export const TAB = '\t';
export const SHIFT_TAB = '\u001B[Z';
export const ESC = '\u001B';
export const ENTER = '\r';
export const BACKSPACE = '\u007F';
export const CTRL_C = '\u0003';

const WAIT_MS = 2000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Ink writes a frame during React's commit, but key handlers (useInput) are attached in effects that
 * React runs on a later turn of the event loop; a key written before then would go nowhere.
 */
async function effectsFlushed(): Promise<void> {
  await nextTurn();
  await nextTurn();
}

export interface Screen {
  /** The latest frame without colours. */
  frame(): string;
  /** The latest frame as written to the terminal, escape sequences and all. */
  rawFrame(): string;
  /** Write one key and wait until the frame changes, or until `until` holds. */
  press(key: string, until?: (frame: string) => boolean): Promise<string>;
  /** Type text one key at a time, each waiting for its frame. */
  type(text: string): Promise<string>;
  waitFor(condition: (frame: string) => boolean, what?: string): Promise<string>;
  unmount(): void;
  /** Renders a new element in the same terminal, as the App does when a prop changes. */
  rerender(element: ReactElement): void;
  stdout: NodeJS.EventEmitter & { columns: number; rows: number };
}

/** Render at a fixed terminal size, as a person with that window would see it. */
export async function renderAt(element: ReactElement, size: { columns: number; rows: number }): Promise<Screen> {
  const instance = render(element);
  // ink-testing-library's stdout is 100 columns; Ink lays out at stdout.columns, so set the real size.
  Object.defineProperty(instance.stdout, 'columns', { value: size.columns, configurable: true });
  Object.defineProperty(instance.stdout, 'rows', { value: size.rows, configurable: true });
  instance.stdout.emit('resize');

  const frame = () => stripVTControlCharacters(instance.lastFrame() ?? '');

  async function waitFor(condition: (frame: string) => boolean, what = 'the expected frame'): Promise<string> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      await nextTurn();
      const current = frame();
      if (condition(current)) {
        await effectsFlushed();
        return frame();
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${current}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async function press(key: string, until?: (frame: string) => boolean): Promise<string> {
    const before = instance.lastFrame();
    instance.stdin.write(key);
    if (until) return waitFor(until, `the frame after ${JSON.stringify(key)}`);
    const deadline = Date.now() + WAIT_MS;
    await nextTurn();
    while (instance.lastFrame() === before) {
      if (Date.now() > deadline) throw new Error(`key ${JSON.stringify(key)} changed nothing on screen`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await effectsFlushed();
    return frame();
  }

  async function type(text: string): Promise<string> {
    for (const char of text) await press(char);
    return frame();
  }

  await waitFor((current) => current.length > 0, 'the first frame');
  return {
    frame,
    rawFrame: () => instance.lastFrame() ?? '',
    press,
    type,
    waitFor,
    unmount: () => instance.unmount(),
    rerender: (next) => instance.rerender(next),
    stdout: instance.stdout as unknown as Screen['stdout'],
  };
}
