import { createElement } from 'react';
import type { KeyHelp } from '../../key-map.js';
import type { RunningScreen, ScreenContext, ScreenProps } from '../../screens.js';
import { USAGE } from './command.js';
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
  { keys: 'Esc', does: 'leave the line' },
  { keys: 'i', does: 'back to the line' },
  { keys: USAGE.publish, does: 'publish (QoS 0 unless -q, -r retains)', helpOnly: true },
  { keys: USAGE.subscribe, does: 'subscribe (wildcards + and # allowed)', helpOnly: true },
  { keys: USAGE.unsubscribe, does: 'unsubscribe', helpOnly: true },
  { keys: 'CONNECT / DISCONNECT', does: 'connect again / disconnect the console', helpOnly: true },
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
