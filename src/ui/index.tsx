import { render } from 'ink';
import type { HomeActions, HomeViewSource } from '../sim/view-types.js';
import { App } from './App.js';
import { openFrameTrace } from './frame-trace.js';
import { oneKeyAtATime } from './one-key-at-a-time.js';
import type { RunningScreen, Screen, ScreenContext } from './screens.js';
import { startCarparkScreen } from './screens/carpark/index.js';
import { startChallengeScreen } from './screens/challenge/index.js';
import { startConsoleScreen } from './screens/console/index.js';
import { startPlaygroundScreen } from './screens/playground/index.js';

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
  /** Screens after the home. */
  screens?: readonly Screen[];
}

export interface UiHandle {
  waitUntilExit(): Promise<void>;
  unmount(): void;
}

export function runUi(opts: UiOptions): UiHandle {
  const trace = openFrameTrace();
  const keys = opts.stdin ? undefined : oneKeyAtATime(process.stdin, trace?.key);
  const instance = render(<App source={opts.source} actions={opts.actions} onQuit={opts.onQuit} screens={opts.screens} />, {
    // Only streams that were given: an explicit undefined would replace Ink's process defaults.
    ...(opts.stdout ? { stdout: opts.stdout } : {}),
    stdin: opts.stdin ?? keys,
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
      try {
        await instance.waitUntilExit();
      } finally {
        keys?.close();
      }
    },
    unmount: () => {
      instance.unmount();
      keys?.close();
    },
  };
}

/** Starts the screens beside the home, in tab order; stop() ends their clients. */
export async function startScreens(ctx: ScreenContext): Promise<{ screens: Screen[]; stop(): Promise<void> }> {
  const running: RunningScreen[] = [];
  const stop = async () => {
    for (const screen of running.splice(0).reverse()) await screen.stop().catch(() => undefined);
  };
  try {
    for (const start of [startPlaygroundScreen, startChallengeScreen, startConsoleScreen, startCarparkScreen]) running.push(await start(ctx));
  } catch (error) {
    await stop();
    throw error;
  }
  return { screens: running.map((entry) => entry.screen), stop };
}
