/** The Car park screen: its own MQTT client, the sign of each lot, and keys that send cars through the gates. */
import { createElement } from 'react';
import type { Clock } from '../../../sim/clock.js';
import type { RunningScreen, ScreenContext, ScreenProps } from '../../screens.js';
import { CarparkLink } from './carpark-link.js';
import { CarparkScreen } from './CarparkScreen.js';

export interface CarparkScreenOptions extends ScreenContext {
  /** Time for the passages' timestamps and the log; the wall clock when not given. */
  clock?: Clock;
}

/** Connects the screen's client (a refused connection rejects with a HomeError) and returns the screen. */
export async function startCarparkScreen(ctx: CarparkScreenOptions): Promise<RunningScreen> {
  const lots = ctx.defaults.carPark.lots;
  const link = new CarparkLink({ url: ctx.url, login: ctx.login, clock: ctx.clock, lots });
  await link.start();
  const Component = (props: ScreenProps) => createElement(CarparkScreen, { ...props, link });
  return {
    screen: { id: 'carpark', title: 'Car park', Component },
    stop: () => link.stop(),
  };
}
