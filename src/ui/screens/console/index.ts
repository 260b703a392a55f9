import { createElement } from 'react';
import type { RunningScreen, ScreenContext, ScreenProps } from '../../screens.js';
import { ConsoleClient } from './console-client.js';
import { ConsoleScreen } from './Screen.js';

export interface ConsoleScreenOptions extends ScreenContext {
  /** Defaults to `sht-console-<random hex>`. */
  clientId?: string;
  /** The time shown beside received messages; tests pin it. */
  now?: () => number;
}

/** The Console screen with its own MQTT client, connected at start (a failure is shown, not thrown). */
export async function startConsoleScreen(options: ConsoleScreenOptions): Promise<RunningScreen> {
  const source = new ConsoleClient({ url: options.url, login: options.login, clientId: options.clientId, now: options.now });
  await source.run({ kind: 'connect', version: 4 });

  function Component({ width, height, focused }: ScreenProps) {
    return createElement(ConsoleScreen, { width, height, focused, source });
  }

  return {
    screen: { id: 'console', title: 'Console', Component },
    stop: () => source.stop(),
  };
}
