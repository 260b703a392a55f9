import { render } from 'ink';
import type { HomeActions, HomeViewSource } from '../sim/view-types.js';
import { enterAlternateScreen } from './alternate-screen.js';
import { App } from './App.js';
import { openFrameTrace } from './frame-trace.js';
import { oneKeyAtATime } from './one-key-at-a-time.js';
import type { RunningScreen, Screen, ScreenContext } from './screens.js';
import type { TopicSource } from '../wire/index.js';
import { isStarting } from './starting-view.js';
import { startTogether } from '../sim/start-in-order.js';

export { startingView } from './starting-view.js';

export interface UiOptions {
  source: HomeViewSource;
  actions: HomeActions;
  /** q and Ctrl-C: the caller unmounts the UI, restores the terminal and stops the home. */
  onQuit: () => void;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Screens after the home. */
  screens?: readonly Screen[];
  topics?: TopicSource;
}

export interface UiHandle {
  waitUntilExit(): Promise<void>;
  unmount(): void;
  /** Hands the running UI a new home (the started one replaces the "starting" one); drafts and focus stay. */
  update(next: Pick<UiOptions, 'source' | 'actions' | 'screens' | 'topics'>): void;
}

export function runUi(opts: UiOptions): UiHandle {
  const trace = openFrameTrace();
  const keys = opts.stdin ? undefined : oneKeyAtATime(process.stdin, trace?.key);
  const leaveAlternateScreen = enterAlternateScreen(opts.stdout ?? process.stdout);
  const instance = render(<App source={opts.source} actions={opts.actions} onQuit={opts.onQuit} screens={opts.screens} topics={opts.topics} />, {
    // Only streams that were given: an explicit undefined would replace Ink's process defaults.
    ...(opts.stdout ? { stdout: opts.stdout } : {}),
    stdin: opts.stdin ?? keys,
    // A flood is already paced by the home's view (ten updates a second at most), so Ink's own limit only
    // ever delays a key: a key just after a frame waited up to 34 ms at 30 frames a second, 10 ms here.
    maxFps: 100,
    // Ctrl-C goes to onQuit, so the home shuts down in order and the data file is flushed.
    exitOnCtrlC: false,
    patchConsole: false,
    ...(trace ? { onRender: ({ renderTime }: { renderTime: number }) => trace.frame(renderTime) } : {}),
  });
  if (trace) void instance.waitUntilExit().finally(() => trace.close());
  // However Ink ends (unmount, or an error while rendering), the terminal's own screen comes back.
  void instance.waitUntilExit().then(leaveAlternateScreen, leaveAlternateScreen);
  return {
    waitUntilExit: async () => {
      try {
        await instance.waitUntilExit();
      } finally {
        keys?.close();
        leaveAlternateScreen();
      }
    },
    unmount: () => {
      instance.unmount();
      keys?.close();
      leaveAlternateScreen();
    },
    update: (next) => {
      // What was done while the home started goes out now, through the started home.
      if (isStarting(opts.actions) && !isStarting(next.actions)) opts.actions.handOver(next.actions);
      instance.rerender(<App source={next.source} actions={next.actions} onQuit={opts.onQuit} screens={next.screens} topics={next.topics} />);
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
    // Loaded here, not with the UI: the first frame does not wait for the screens' MQTT clients.
    const [playground, challenge, console, carpark, topics] = await Promise.all([
      import('./screens/playground/index.js'),
      import('./screens/challenge/index.js'),
      import('./screens/console/index.js'),
      import('./screens/carpark/index.js'),
      import('./screens/topics/index.js'),
    ]);
    const starters = [playground.startPlaygroundScreen, challenge.startChallengeScreen, console.startConsoleScreen, carpark.startCarparkScreen];
    // Each screen has its own clients: they connect together, and the tabs keep this order.
    running.push(...(await startTogether(starters.map((start) => () => start(ctx)))));
    const source = ctx.topics;
    if (source) running.push(await topics.startTopicsScreen({ ...ctx, topics: source }));
  } catch (error) {
    await stop();
    throw error;
  }
  return { screens: running.map((entry) => entry.screen), stop };
}
