import { createElement } from 'react';
import type { KeyHelp } from '../../key-map.js';
import type { RunningScreen, ScreenContext, ScreenProps } from '../../screens.js';
import { ConsoleClient } from './console-client.js';
import { ConsoleScreen } from './Screen.js';

export interface ConsoleScreenOptions extends ScreenContext {
  /** Defaults to `sht-console-<random hex>`. */
  clientId?: string;
  /** The time shown beside received messages; tests pin it. */
  now?: () => number;
}

export const CONSOLE_KEYS: readonly KeyHelp[] = [
  { keys: 'Enter', does: 'run' },
  { keys: '↑↓', does: 'history' },
  { keys: 'PgUp PgDn', does: 'scroll' },
  { keys: 'Esc / i', does: 'leave / back to the line' },
  // The help overlay has a narrow key column: the command word is the key, its syntax the text.
  { keys: 'PUBLISH', does: '[-q 0|1|2] [-r] <topic> <value...>', helpOnly: true },
  { keys: 'SUBSCRIBE', does: '<topic> [qos]', helpOnly: true },
  { keys: 'UNSUBSCRIBE', does: '<topic>', helpOnly: true },
  { keys: '(DIS)CONNECT', does: 'the console client', helpOnly: true },
];

/** The Console screen with its own MQTT client, connected at start (a failure is shown, not thrown). */
export async function startConsoleScreen(options: ConsoleScreenOptions): Promise<RunningScreen> {
  const source = new ConsoleClient({ url: options.url, login: options.login, clientId: options.clientId, now: options.now });
  await source.run({ kind: 'connect' });

  function Component({ width, height, focused, onEditingChange }: ScreenProps) {
    return createElement(ConsoleScreen, { width, height, focused, onEditingChange, source });
  }

  return {
    screen: { id: 'console', title: 'Console', keys: CONSOLE_KEYS, Component },
    stop: () => source.stop(),
  };
}
