import { render } from 'ink';
import type { HomeActions, HomeViewSource } from '../sim/view-types.js';
import { App } from './App.js';
import { openFrameTrace } from './frame-trace.js';
import { oneKeyAtATime } from './one-key-at-a-time.js';

export { App } from './App.js';
export type { AppProps, Overlay } from './App.js';
export { printable } from './printable.js';

export interface UiOptions {
  source: HomeViewSource;
  actions: HomeActions;
  /** q and Ctrl-C: the caller unmounts the UI, restores the terminal and stops the home. */
  onQuit: () => void;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

export interface UiHandle {
  waitUntilExit(): Promise<void>;
  unmount(): void;
}

export function runUi(opts: UiOptions): UiHandle {
  const trace = openFrameTrace();
  const instance = render(<App source={opts.source} actions={opts.actions} onQuit={opts.onQuit} />, {
    // Only streams that were given: an explicit undefined would replace Ink's process defaults.
    ...(opts.stdout ? { stdout: opts.stdout } : {}),
    stdin: opts.stdin ?? oneKeyAtATime(process.stdin, trace?.key),
    // A flood of messages never means more than 30 frames a second.
    maxFps: 30,
    // Ctrl-C goes to onQuit, so the home shuts down in order and the data file is flushed.
    exitOnCtrlC: false,
    patchConsole: false,
    ...(trace ? { onRender: ({ renderTime }: { renderTime: number }) => trace.frame(renderTime) } : {}),
  });
  if (trace) void instance.waitUntilExit().finally(() => trace.close());
  return {
    waitUntilExit: async () => {
      await instance.waitUntilExit();
    },
    unmount: () => instance.unmount(),
  };
}
