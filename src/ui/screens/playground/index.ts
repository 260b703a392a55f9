/** The Playground screen: the MQTT course's producers, consumers and authorized demo, each its own client. */
import { createElement } from 'react';
import type { Clock, Random } from '../../../sim/clock.js';
import type { RunningScreen, ScreenContext, ScreenProps } from '../../screens.js';
import type { DemoLogin } from './authorized.js';
import { PlaygroundScreen } from './PlaygroundScreen.js';
import { PlaygroundSession } from './playground-session.js';

export interface PlaygroundScreenOptions extends ScreenContext {
  /** Drives the producers' rates and the timestamps; the wall clock when not given. */
  clock?: Clock;
  random?: Random;
  /**
   * Start the three producers at 1 Hz the first time the screen is shown (default true): a student
   * who opens the course sees data flow at once, as running its scripts does, while a home whose
   * Playground is never opened keeps its log free of course traffic.
   */
  startOnFirstShow?: boolean;
  /** The demo's two users; alice / alice and bob / bob (what --student adds) when not given. */
  alice?: DemoLogin;
  bob?: DemoLogin;
}

/** Connects the consumers and the demo users (failures are shown on the screen, not thrown) and returns the screen. */
export async function startPlaygroundScreen(ctx: PlaygroundScreenOptions): Promise<RunningScreen> {
  const session = new PlaygroundSession(ctx);
  await session.start();
  const startOnFirstShow = ctx.startOnFirstShow ?? true;
  const Component = (props: ScreenProps) => createElement(PlaygroundScreen, { ...props, session, startOnFirstShow });
  return {
    screen: { id: 'playground', title: 'Playground', Component },
    stop: () => session.stop(),
  };
}
